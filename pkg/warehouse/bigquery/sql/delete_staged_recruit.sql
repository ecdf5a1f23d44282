-- Drop the run's previously staged rows. They all carry the loaded_at of
-- the run's previous load (staging.recruit_loads), so the filter names one
-- partition (require_partition_filter holds) and the run_id cluster.
SET prev_loaded_at = (SELECT max(loaded_at) FROM `staging.recruit_loads` WHERE run_id = @run_id);
DELETE FROM `staging.recruit`
WHERE DATE(loaded_at) = DATE(prev_loaded_at) AND loaded_at = prev_loaded_at AND run_id = @run_id;
