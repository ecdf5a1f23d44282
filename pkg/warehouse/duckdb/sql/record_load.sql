-- Record (or, on reload, replace) one run's load.
INSERT OR REPLACE INTO staging.recruit_loads
    (run_id, source, window_from, window_to, objects, rows,
     staged, inserted, updated, unchanged, loaded_at, as_of)
VALUES
    ($run_id, $source, $window_from, $window_to, from_json($objects, '["VARCHAR"]'), $rows,
     $staged, $inserted, $updated, $unchanged, $loaded_at, $as_of);
