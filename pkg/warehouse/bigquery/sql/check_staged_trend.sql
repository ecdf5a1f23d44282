-- Trend rows that cannot be merged (no keyword, period or request id): the
-- script stops (and rolls back) with a message Go maps to
-- warehouse.ErrInvalidRow.
SET (bad, first_bad) = (
    SELECT AS STRUCT COUNT(*), MIN(source_object || ':' || CAST(source_line AS STRING))
    FROM trend_batch
    WHERE keyword IS NULL OR period IS NULL OR request_id IS NULL);
IF bad > 0 THEN
    RAISE USING MESSAGE = FORMAT('jobpulse: invalid rows: %d trend rows without keyword, period or request id, first at %s', bad, first_bad);
END IF;
