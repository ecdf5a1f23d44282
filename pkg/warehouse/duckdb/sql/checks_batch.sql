-- Checks of the layers after a batch was merged and core refreshed, on the
-- ids the load touched (refresh_ids), so that they cost what the batch
-- does: each such id is in core exactly when it is in external, once in
-- each, and in datajob only when in core. loader --check runs them over
-- the whole warehouse (checks_core.sql).
WITH c AS (SELECT r.id FROM core.recruit r JOIN refresh_ids USING (id)),
     e AS (SELECT x.id FROM external.recruit_table x JOIN refresh_ids USING (id)),
     d AS (SELECT x.id FROM core.datajob x JOIN refresh_ids USING (id))
SELECT 'core_matches_external' AS name, count(*) AS failed, min(i.id) AS example
FROM refresh_ids i
WHERE (i.id IN (SELECT id FROM c)) <> (i.id IN (SELECT id FROM e))
UNION ALL
SELECT 'core_ids_unique', count(*), min(id)
FROM (SELECT id FROM c GROUP BY id HAVING count(*) > 1)
UNION ALL
SELECT 'external_ids_unique', count(*), min(id)
FROM (SELECT id FROM e GROUP BY id HAVING count(*) > 1)
UNION ALL
SELECT 'datajob_in_recruit', count(*), min(id)
FROM d WHERE id NOT IN (SELECT id FROM c);
