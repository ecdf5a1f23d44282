INSERT OR REPLACE INTO meta.versions (table_name, hash, rows, loaded_at)
VALUES ($table, $hash, $rows, $loaded_at);
