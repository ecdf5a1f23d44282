-- Of the postings a run carried: how many are closed now, how many are of
-- a data role (the run's notification).
SELECT COUNTIF(NOT c.is_open) AS closed, COUNTIF(c.is_data_role) AS data_roles
FROM `core.recruit` c
WHERE c.id IN (SELECT id FROM `staging.recruit` WHERE run_id = @run_id);
