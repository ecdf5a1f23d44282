-- Drop the rows staged earlier from the batch's objects: staged trend rows
-- are keyed by the object they came from, so loading an object again
-- replaces them. Each carries the loaded_at of the last load that staged
-- it, and every load is recorded in staging.indicator_loads with its
-- objects and that loaded_at: the range of those loads names the
-- partitions to read (require_partition_filter holds), the source_object
-- cluster the blocks.
SET (prev_from, prev_to) = (
    SELECT AS STRUCT MIN(l.loaded_at), MAX(l.loaded_at)
    FROM `staging.indicator_loads` AS l, UNNEST(l.objects) AS o
    WHERE o IN UNNEST(@objects));
DELETE FROM `staging.google_trend`
WHERE DATE(loaded_at) BETWEEN DATE(prev_from) AND DATE(prev_to)
  AND loaded_at BETWEEN prev_from AND prev_to
  AND source_object IN UNNEST(@objects);
