-- Record (or, on reload, replace) one run's load.
MERGE `staging.recruit_loads` AS t
USING (SELECT @run_id AS run_id) AS s
ON t.run_id = s.run_id
WHEN MATCHED THEN UPDATE SET
    source = @source, window_from = @window_from, window_to = @window_to, objects = @objects,
    `rows` = @rows, staged = n_staged, inserted = n_inserted, updated = n_updated, unchanged = n_unchanged,
    loaded_at = @loaded_at, as_of = clock
WHEN NOT MATCHED THEN INSERT
    (run_id, source, window_from, window_to, objects, `rows`, staged, inserted, updated, unchanged, loaded_at, as_of)
VALUES
    (@run_id, @source, @window_from, @window_to, @objects, @rows, n_staged, n_inserted, n_updated, n_unchanged, @loaded_at, clock);
