-- Checks of the layers after the core refresh, on the ids the load touched
-- (refresh_ids) in the partitions they lie in (core: the dates
-- collect_dates.sql gathered; external: refresh_lo to refresh_hi), so that
-- they read what the batch does: each such id is in core exactly when it is
-- in external, once in each, and in datajob only when in core. The same
-- checks as ../../duckdb/sql/checks_batch.sql; CheckAll runs them over the
-- whole warehouse (checks_core.sql). Wrapped by load_recruit.sql into the
-- variable checks (no trailing semicolon).
WITH c AS (
    SELECT r.id FROM `core.recruit` r
    WHERE (r.posted_date IN UNNEST(dates) OR r.posted_date IS NULL) AND r.id IN (SELECT id FROM refresh_ids)
),
e AS (
    SELECT x.id FROM `external.recruit_table` x
    WHERE ((x.posted_at BETWEEN refresh_lo AND refresh_hi) OR (refresh_null AND x.posted_at IS NULL))
      AND x.id IN (SELECT id FROM refresh_ids)
),
d AS (
    SELECT x.id FROM `core.datajob` x
    WHERE (x.posted_date IN UNNEST(dates) OR x.posted_date IS NULL) AND x.id IN (SELECT id FROM refresh_ids)
)
SELECT 'core_matches_external' AS name, COUNT(*) AS failed, MIN(i.id) AS example
FROM refresh_ids i
WHERE (i.id IN (SELECT id FROM c)) != (i.id IN (SELECT id FROM e))
UNION ALL
SELECT 'core_ids_unique', COUNT(*), MIN(id)
FROM (SELECT id FROM c GROUP BY id HAVING COUNT(*) > 1)
UNION ALL
SELECT 'external_ids_unique', COUNT(*), MIN(id)
FROM (SELECT id FROM e GROUP BY id HAVING COUNT(*) > 1)
UNION ALL
SELECT 'datajob_in_recruit', COUNT(*), MIN(id)
FROM d WHERE id NOT IN (SELECT id FROM c)
