-- Of the postings a run carried: how many are closed now, how many are of
-- a data role (the run's notification).
SELECT count(*) FILTER (WHERE NOT c.is_open), count(*) FILTER (WHERE c.is_data_role)
FROM core.recruit c
WHERE c.id IN (SELECT id FROM staging.recruit WHERE run_id = $run_id);
