-- What merge_recruit.sql is about to do, per distinct id of the batch,
-- and the posted_at range the MERGE may touch: the batch's and that of the
-- rows it may replace (read from the id and posted_at columns only), so
-- the MERGE's partition filter never hides an existing id.
CREATE TEMP TABLE batch_newest AS
SELECT * FROM batch
WHERE TRUE -- GoogleSQL allows QUALIFY only beside WHERE, GROUP BY or HAVING
QUALIFY ROW_NUMBER() OVER (
    PARTITION BY id ORDER BY modified_at DESC, source_object DESC, source_line DESC) = 1;

CREATE TEMP TABLE batch_current AS
SELECT c.id, c.modified_at, c.posted_at
FROM `external.recruit_table` c
WHERE c.id IN (SELECT id FROM batch_newest);

SET (n_inserted, n_updated, n_unchanged) = (
    SELECT AS STRUCT
        COUNTIF(c.id IS NULL),
        COUNTIF(c.id IS NOT NULL AND b.modified_at > c.modified_at),
        COUNTIF(c.id IS NOT NULL AND b.modified_at <= c.modified_at)
    FROM batch_newest b LEFT JOIN batch_current c USING (id));

SET (merge_lo, merge_hi, merge_null) = (
    SELECT AS STRUCT min(posted_at), max(posted_at), LOGICAL_OR(posted_at IS NULL)
    FROM (SELECT posted_at FROM batch_newest UNION ALL SELECT posted_at FROM batch_current));
-- Where the touched ids' rows lie in external once merged: the batch's and
-- the replaced rows' range, and the expiring rows'. The core refresh and the
-- checks read external there only (partition pruning on posted_at).
SET (refresh_lo, refresh_hi, refresh_null) = (
    SELECT AS STRUCT min(t), max(t), IFNULL(LOGICAL_OR(n), FALSE)
    FROM UNNEST([STRUCT(merge_lo AS t, merge_null AS n), (merge_hi, FALSE), (expired_lo, expired_null), (expired_hi, FALSE)]));
