SELECT hash FROM meta.versions WHERE table_name = $table;
