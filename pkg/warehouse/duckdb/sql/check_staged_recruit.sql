-- Rows of a run that cannot be merged: how many, and the first one's place.
SELECT count(*), min(source_object || ':' || source_line)
FROM staging.recruit
WHERE run_id = $run_id AND (id IS NULL OR trim(id) = '' OR modified_at IS NULL);
