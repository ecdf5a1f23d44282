-- Checks of the layers after a batch was merged and core refreshed: core
-- must hold exactly what external holds, and datajob only core's rows
-- (the same checks as ../../duckdb/sql/checks_core.sql). Run by CheckAll
-- (loader --check); each load runs them on the ids it touched
-- (checks_batch.sql). They read the id column of external.recruit_table,
-- core.recruit and core.datajob whole.
SELECT 'core_matches_external' AS name,
       ABS((SELECT COUNT(*) FROM `core.recruit`) - (SELECT COUNT(*) FROM `external.recruit_table`)) AS failed,
       CAST(NULL AS STRING) AS example
UNION ALL
SELECT 'core_ids_unique', COUNT(*), MIN(id)
FROM (SELECT id FROM `core.recruit` GROUP BY id HAVING COUNT(*) > 1)
UNION ALL
SELECT 'external_ids_unique', COUNT(*), MIN(id)
FROM (SELECT id FROM `external.recruit_table` GROUP BY id HAVING COUNT(*) > 1)
UNION ALL
SELECT 'datajob_in_recruit', COUNT(*), MIN(d.id)
FROM `core.datajob` AS d
WHERE NOT EXISTS (SELECT 1 FROM `core.recruit` AS r WHERE r.id = d.id)
-- No trailing semicolon: the load script wraps this query in ARRAY(...).
