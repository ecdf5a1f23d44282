-- Rows of the batch that cannot be merged: the script stops (and rolls
-- back) with a message Go maps to warehouse.ErrInvalidRow.
SET (bad, first_bad) = (
    SELECT AS STRUCT count(*), min(source_object || ':' || CAST(source_line AS STRING))
    FROM batch
    WHERE id IS NULL OR TRIM(id) = '' OR modified_at IS NULL);
IF bad > 0 THEN
    RAISE USING MESSAGE = FORMAT('jobpulse: invalid rows: %d rows without id or modified_at, first at %s', bad, first_bad);
END IF;
