-- Checks of the layers over the whole warehouse (loader --check): core
-- must hold exactly what external holds, and datajob only core's rows.
-- Each load runs them on the ids it touched (checks_batch.sql).
SELECT 'core_matches_external' AS name,
       abs((SELECT count(*) FROM core.recruit) - (SELECT count(*) FROM external.recruit_table)) AS failed,
       NULL AS example
UNION ALL
SELECT 'core_ids_unique', count(*), min(id)
FROM (SELECT id FROM core.recruit GROUP BY id HAVING count(*) > 1)
UNION ALL
SELECT 'external_ids_unique', count(*), min(id)
FROM (SELECT id FROM external.recruit_table GROUP BY id HAVING count(*) > 1)
UNION ALL
SELECT 'datajob_in_recruit', count(*), min(d.id)
FROM core.datajob d ANTI JOIN core.recruit r ON d.id = r.id;
