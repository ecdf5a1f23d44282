-- Checks of the whole warehouse, run on demand and every 3 hours (the same
-- checks as ../../duckdb/sql/checks_all.sql). Parameters: @now (TIMESTAMP),
-- @max_age_seconds (FLOAT64).
-- staging.recruit requires a partition filter: the filter on loaded_at
-- below admits every partition on purpose (these checks compare external
-- with the whole history); only id, modified_at and loaded_at are read.
WITH staged AS (
    SELECT id, MAX(modified_at) AS m
    FROM `staging.recruit`
    WHERE loaded_at >= TIMESTAMP '1970-01-01 00:00:00+00'
    GROUP BY id
)
-- Freshness: the newest load is no older than @max_age_seconds at @now.
SELECT 'freshness' AS name,
       CASE WHEN MAX(loaded_at) IS NULL
              OR TIMESTAMP_DIFF(@now, MAX(loaded_at), MICROSECOND) / 1e6 > @max_age_seconds
            THEN 1 ELSE 0 END AS failed,
       CAST(MAX(loaded_at) AS STRING) AS example
FROM `staging.recruit_loads`
UNION ALL
-- Every posting in external came through staging.
SELECT 'external_in_staging', COUNT(*), MIN(e.id)
FROM `external.recruit_table` AS e LEFT JOIN staged AS s ON s.id = e.id
WHERE s.id IS NULL
UNION ALL
-- The kept version is the newest staged one.
SELECT 'external_is_newest', COUNT(*), MIN(e.id)
FROM `external.recruit_table` AS e
JOIN staged AS s ON s.id = e.id
WHERE s.m > e.modified_at
