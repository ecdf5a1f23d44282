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
