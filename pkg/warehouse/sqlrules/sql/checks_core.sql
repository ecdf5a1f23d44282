-- Checks of the layers over the whole warehouse (loader --check): core
-- must hold exactly what external holds, and datajob only core's rows.
-- Each load runs them on the ids it touched (checks_batch.sql). They read
-- the id column of external.recruit_table, core.recruit and core.datajob
-- whole. No trailing semicolon: BigQuery's load script wraps this query in
-- ARRAY(...).
SELECT 'core_matches_external' AS name,
       abs((SELECT count(*) FROM {{table "core.recruit"}}) - (SELECT count(*) FROM {{table "external.recruit_table"}})) AS failed,
       CAST(NULL AS {{string}}) AS example
UNION ALL
SELECT 'core_ids_unique', count(*), min(id)
FROM (SELECT id FROM {{table "core.recruit"}} GROUP BY id HAVING count(*) > 1)
UNION ALL
SELECT 'external_ids_unique', count(*), min(id)
FROM (SELECT id FROM {{table "external.recruit_table"}} GROUP BY id HAVING count(*) > 1)
UNION ALL
SELECT 'datajob_in_recruit', count(*), min(d.id)
FROM {{table "core.datajob"}} AS d
WHERE NOT EXISTS (SELECT 1 FROM {{table "core.recruit"}} AS r WHERE r.id = d.id)
