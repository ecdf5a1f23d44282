-- One batch, from the per-object load tables to core, in one transaction
-- (BigQuery scripting). Go (load.go) replaces each double-braced name
-- below with the file sql/name.sql, and load_tables (in stage_recruit.sql)
-- with a UNION ALL of the batch's per-object load tables. Parameters:
-- @run_id, @source, @objects (ARRAY<STRING>, index = object_index),
-- @window_from, @window_to, @rows, @loaded_at.
-- Data checks (checks_staged.sql after staging, checks_batch.sql after the
-- core refresh) collect into the variable checks; a failed one rolls the
-- transaction back and skips the remaining steps, and the script still ends
-- normally: its final SELECT returns the counts, failed_checks and one row
-- per check, from which Go builds Result.Checks or a *warehouse.CheckError.
-- Script variables, not subqueries, carry the dates and ranges into the
-- WHERE and ON clauses: BigQuery prunes partitions on constant expressions
-- and script variables, not on subqueries.
DECLARE n_staged INT64;
DECLARE bad INT64;
DECLARE first_bad STRING;
DECLARE prev_loaded_at TIMESTAMP;
DECLARE clock TIMESTAMP;
DECLARE n_inserted INT64;
DECLARE n_updated INT64;
DECLARE n_unchanged INT64;
DECLARE merge_lo TIMESTAMP;
DECLARE merge_hi TIMESTAMP;
DECLARE merge_null BOOL;
DECLARE expired_lo TIMESTAMP;
DECLARE expired_hi TIMESTAMP;
DECLARE expired_null BOOL;
DECLARE refresh_lo TIMESTAMP;
DECLARE refresh_hi TIMESTAMP;
DECLARE refresh_null BOOL;
DECLARE dates ARRAY<DATE>;
DECLARE open_from DATE;
DECLARE open_to DATE;
DECLARE checks ARRAY<STRUCT<name STRING, layer STRING, failed INT64, example STRING>> DEFAULT [];
DECLARE checks_failed BOOL DEFAULT FALSE;

BEGIN
    BEGIN TRANSACTION;

    {{delete_staged_recruit}}
    {{stage_recruit}}
    {{check_staged_recruit}}
    SET checks = ARRAY(
        SELECT AS STRUCT name, 'staging' AS layer, failed, example FROM (
{{checks_staged}}
        ) ORDER BY name);
    SET checks_failed = EXISTS(SELECT 1 FROM UNNEST(checks) WHERE failed > 0);

    IF NOT checks_failed THEN
        {{load_as_of}}
        {{touch_run_ids}}
        {{collect_dates}}
        {{count_merge_recruit}}
        {{merge_recruit}}
        {{close_expired}}
        {{classify_recruit_go}}
        {{core_recruit}}
        {{collect_dates}}
        {{aggregates}}
        SET checks = ARRAY_CONCAT(checks, ARRAY(
            SELECT AS STRUCT name, 'core' AS layer, failed, example FROM (
{{checks_batch}}
            ) ORDER BY name));
        SET checks_failed = EXISTS(SELECT 1 FROM UNNEST(checks) WHERE failed > 0);
    END IF;

    IF checks_failed THEN
        -- The batch stays out of external and core, and the run's staging
        -- rows are not replaced either: the whole load changes nothing.
        ROLLBACK TRANSACTION;
    ELSE
        {{record_load}}
        COMMIT TRANSACTION;
    END IF;
EXCEPTION WHEN ERROR THEN
    ROLLBACK TRANSACTION;
    RAISE USING MESSAGE = @@error.message;
END;

-- At least one row (LEFT JOIN), one per check in the order they ran.
SELECT n_staged AS staged, n_inserted AS inserted, n_updated AS updated, n_unchanged AS unchanged,
       checks_failed AS failed_checks,
       c.name AS check_name, c.layer AS check_layer, c.failed AS check_failed, c.example AS check_example
FROM (SELECT 1) LEFT JOIN UNNEST(checks) AS c WITH OFFSET AS check_index ON TRUE
ORDER BY check_index;
