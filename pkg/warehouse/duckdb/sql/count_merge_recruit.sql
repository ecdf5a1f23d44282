-- What merge_recruit.sql is about to do, per distinct id of the batch.
-- Keep the dedup ordering identical to merge_recruit.sql.
WITH batch AS (
    SELECT id, modified_at
    FROM batch
    QUALIFY row_number() OVER (
        PARTITION BY id ORDER BY modified_at DESC, source_object DESC, source_line DESC) = 1
)
SELECT
    count(*) FILTER (WHERE c.id IS NULL),
    count(*) FILTER (WHERE c.id IS NOT NULL AND b.modified_at > c.modified_at),
    count(*) FILTER (WHERE c.id IS NOT NULL AND b.modified_at <= c.modified_at)
FROM batch b LEFT JOIN external.recruit_table c ON c.id = b.id;
