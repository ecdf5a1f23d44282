-- One batch of Google Trends rows, from the per-object load tables to
-- core.google_trend, in one transaction (BigQuery scripting): the same
-- steps, in the same order, as the DuckDB implementation's LoadTrends.
-- Go (indicators.go) replaces each double-braced name below with the file
-- sql/name.sql, and load_tables (in stage_trend.sql) with a UNION ALL of
-- the batch's per-object load tables. Parameters: @run_id, @source,
-- @objects (ARRAY<STRING>, index = object_index), @batch (hash of the
-- objects), @window_from, @window_to, @loaded_at.
-- Any error rolls everything back, staging included, and is raised again;
-- rows without keyword, period or request id raise a message starting
-- with "jobpulse: invalid rows" (warehouse.ErrInvalidRow). The final
-- SELECT returns the counts.
DECLARE n_staged INT64;
DECLARE bad INT64;
DECLARE first_bad STRING;
DECLARE prev_from TIMESTAMP;
DECLARE prev_to TIMESTAMP;
DECLARE merge_lo DATE;
DECLARE merge_hi DATE;
DECLARE merge_null BOOL;
DECLARE touched_keywords ARRAY<STRING>;
DECLARE n_inserted INT64;
DECLARE n_updated INT64;
DECLARE n_unchanged INT64;

BEGIN
    BEGIN TRANSACTION;

    {{delete_staged_trend}}
    {{stage_trend}}
    {{check_staged_trend}}
    {{merge_trend}}
    {{record_indicator_load}}

    COMMIT TRANSACTION;
EXCEPTION WHEN ERROR THEN
    ROLLBACK TRANSACTION;
    RAISE USING MESSAGE = @@error.message;
END;

SELECT n_staged AS staged, n_inserted AS inserted, n_updated AS updated, n_unchanged AS unchanged;
