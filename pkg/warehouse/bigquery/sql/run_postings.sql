-- Of the postings a run carried: how many are closed now, how many are of
-- a data role (the run's notification). The run's staged rows all carry the
-- loaded_at of its load (staging.recruit_loads), so the filter names one
-- partition, as staging.recruit's require_partition_filter wants.
DECLARE run_loaded_at TIMESTAMP DEFAULT (SELECT max(loaded_at) FROM `staging.recruit_loads` WHERE run_id = @run_id);
SELECT COUNTIF(NOT c.is_open) AS closed, COUNTIF(c.is_data_role) AS data_roles
FROM `core.recruit` c
WHERE c.id IN (
    SELECT id FROM `staging.recruit`
    WHERE DATE(loaded_at) = DATE(run_loaded_at) AND loaded_at = run_loaded_at AND run_id = @run_id);
