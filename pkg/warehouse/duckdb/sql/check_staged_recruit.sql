-- Rows of the batch that cannot be merged: how many, and the first one's place.
SELECT count(*), min(source_object || ':' || source_line)
FROM batch
WHERE id IS NULL OR trim(id) = '' OR modified_at IS NULL;
