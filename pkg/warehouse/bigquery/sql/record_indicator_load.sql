-- Record (or, when the same batch loads again, replace) one load of a
-- trends or certification batch, keyed by source, run id and @batch (a
-- hash of the batch's objects, computed in Go as DuckDB does). rows is
-- the number of rows staged.
MERGE `staging.indicator_loads` AS t
USING (SELECT @source AS source, @run_id AS run_id, @batch AS batch) AS s
ON t.source = s.source AND t.run_id = s.run_id AND t.batch = s.batch
WHEN MATCHED THEN UPDATE SET
    window_from = @window_from, window_to = @window_to, objects = @objects, `rows` = n_staged,
    inserted = n_inserted, updated = n_updated, unchanged = n_unchanged, loaded_at = @loaded_at
WHEN NOT MATCHED THEN INSERT
    (source, run_id, batch, window_from, window_to, objects, `rows`, inserted, updated, unchanged, loaded_at)
VALUES
    (@source, @run_id, @batch, @window_from, @window_to, @objects, n_staged, n_inserted, n_updated, n_unchanged, @loaded_at);
