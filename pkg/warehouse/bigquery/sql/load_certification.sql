-- Replace the certification data set with one batch (cert.Stat per line),
-- from the per-object load tables, in one transaction (BigQuery
-- scripting): the same steps, in the same order, as the DuckDB
-- implementation's ReplaceCertifications. Go (indicators.go) replaces each
-- double-braced name below with the file sql/name.sql, and load_tables (in
-- stage_certification.sql) with a UNION ALL of the per-object load tables.
-- Parameters: @run_id, @source, @objects, @batch (hash of the objects),
-- @window_from, @window_to, @as_of (the window end), @loaded_at.
-- A batch whose @as_of is older than the loaded set's changes nothing
-- (stale, every row unchanged). The checks (check_certification.sql)
-- collect into the variable checks; a failed one rolls back and the
-- script still ends normally. Any other error rolls back and is raised
-- again: the previous set stays. The final SELECT returns the counts,
-- stale, failed_checks and one row per check.
DECLARE n_staged INT64;
DECLARE n_inserted INT64 DEFAULT 0;
DECLARE n_updated INT64 DEFAULT 0;
DECLARE n_unchanged INT64 DEFAULT 0;
DECLARE current_as_of TIMESTAMP;
DECLARE stale BOOL DEFAULT FALSE;
DECLARE checks ARRAY<STRUCT<name STRING, layer STRING, failed INT64, example STRING>> DEFAULT [];
DECLARE checks_failed BOOL DEFAULT FALSE;

BEGIN
    BEGIN TRANSACTION;

    {{stage_certification}}

    -- The as_of guard: a replay of an older run cannot bring back an old set.
    SET current_as_of = (SELECT MAX(as_of) FROM `external.certification`);
    SET stale = current_as_of IS NOT NULL AND @as_of < current_as_of;

    IF stale THEN
        SET n_unchanged = n_staged;
    ELSE
        SET checks = ARRAY(
            SELECT AS STRUCT name, 'external' AS layer, failed, example FROM (
{{check_certification}}
            ) ORDER BY position);
        SET checks_failed = EXISTS(SELECT 1 FROM UNNEST(checks) WHERE failed > 0);
        IF NOT checks_failed THEN
            {{count_certification}}
            -- The same run again (a replay, a re-run) finds the set already
            -- loaded as it is: nothing changes, not even the load time.
            IF NOT (current_as_of IS NOT NULL AND current_as_of = @as_of
                    AND n_inserted = 0 AND n_updated = 0
                    AND n_unchanged = (SELECT COUNT(*) FROM `external.certification`)) THEN
                {{replace_certification}}
                {{record_indicator_load}}
            END IF;
        END IF;
    END IF;

    IF checks_failed THEN
        -- The set failed a check: the loaded one stays.
        ROLLBACK TRANSACTION;
    ELSE
        COMMIT TRANSACTION;
    END IF;
EXCEPTION WHEN ERROR THEN
    ROLLBACK TRANSACTION;
    RAISE USING MESSAGE = @@error.message;
END;

-- At least one row (LEFT JOIN), one per check in the order they ran.
SELECT n_staged AS staged, n_inserted AS inserted, n_updated AS updated, n_unchanged AS unchanged,
       stale AS stale, checks_failed AS failed_checks,
       c.name AS check_name, c.layer AS check_layer, c.failed AS check_failed, c.example AS check_example
FROM (SELECT 1) LEFT JOIN UNNEST(checks) AS c WITH OFFSET AS check_index ON TRUE
ORDER BY check_index;
