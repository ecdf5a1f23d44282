-- Checks of the whole warehouse, run on demand and every 3 hours.
-- Freshness: the newest load is no older than $max_age_seconds at $now.
SELECT 'freshness' AS name,
       CASE WHEN max(loaded_at) IS NULL
              OR epoch(CAST($now AS TIMESTAMPTZ)) - epoch(max(loaded_at)) > $max_age_seconds
            THEN 1 ELSE 0 END AS failed,
       CAST(max(loaded_at) AS VARCHAR) AS example
FROM staging.recruit_loads
UNION ALL
-- Every posting in external came through staging.
SELECT 'external_in_staging', count(*), min(e.id)
FROM external.recruit_table e ANTI JOIN staging.recruit s ON e.id = s.id
UNION ALL
-- The kept version is the newest staged one.
SELECT 'external_is_newest', count(*), min(e.id)
FROM external.recruit_table e
JOIN (SELECT id, max(modified_at) AS m FROM staging.recruit GROUP BY id) s ON s.id = e.id
WHERE s.m > e.modified_at;
