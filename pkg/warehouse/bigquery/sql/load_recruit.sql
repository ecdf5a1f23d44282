-- One batch, from the per-object load tables to core, in one transaction
-- (BigQuery scripting). Go (load.go) replaces each double-braced name
-- below with the file sql/name.sql, and load_tables (in stage_recruit.sql)
-- with a UNION ALL of the batch's per-object load tables. Parameters:
-- @run_id, @source, @objects (ARRAY<STRING>, index = object_index),
-- @window_from, @window_to, @rows, @loaded_at.
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
DECLARE dates ARRAY<DATE>;
DECLARE open_from DATE;
DECLARE open_to DATE;

BEGIN
    BEGIN TRANSACTION;

    {{delete_staged_recruit}}
    {{stage_recruit}}
    {{check_staged_recruit}}
    {{load_as_of}}
    {{touch_run_ids}}
    {{collect_dates}}
    {{count_merge_recruit}}
    {{merge_recruit}}
    {{close_expired}}
    {{classify_recruit}}
    {{core_recruit}}
    {{collect_dates}}
    {{aggregates}}
    {{record_load}}

    COMMIT TRANSACTION;
EXCEPTION WHEN ERROR THEN
    ROLLBACK TRANSACTION;
    RAISE USING MESSAGE = @@error.message;
END;

SELECT n_staged AS staged, n_inserted AS inserted, n_updated AS updated, n_unchanged AS unchanged;
