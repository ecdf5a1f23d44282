DELETE FROM meta.{{table}};
