-- One chunk of a large batch's staged rows, to merge: the ids from $lo
-- (inclusive) to $hi (exclusive, NULL: no end), every version of each.
CREATE OR REPLACE TEMP TABLE batch AS
SELECT * FROM staging.recruit
WHERE run_id = $run_id AND id >= $lo AND ($hi IS NULL OR id < $hi);
