-- The rows of the batch (or, for a large one, of one chunk of it) being
-- loaded, as staging.recruit holds them: staged here by stage_recruit.sql,
-- checked, appended to staging.recruit (keep_batch.sql) and merged from
-- here, so no step scans staging.recruit for the run's rows. Private to the
-- connection, and so to the transaction that holds it.
CREATE OR REPLACE TEMP TABLE batch AS SELECT * FROM staging.recruit LIMIT 0;
