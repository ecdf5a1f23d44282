-- Checks of the layers after a batch was merged and core refreshed, on the
-- ids the load touched (refresh_ids), so that they cost what the batch
-- does: each such id is in core exactly when it is in external, once in
-- each, and in datajob only when in core. loader --check runs them over
-- the whole warehouse (checks_core.sql). No trailing semicolon: BigQuery's
-- load script wraps this query in ARRAY(...).
{{- if duckdb}}
WITH c AS (SELECT r.id FROM core.recruit r JOIN refresh_ids USING (id)),
     e AS (SELECT x.id FROM external.recruit_table x JOIN refresh_ids USING (id)),
     d AS (SELECT x.id FROM core.datajob x JOIN refresh_ids USING (id))
{{- else}}
-- BigQuery reads the ids in the partitions they lie in (core: the dates
-- collect_dates.sql gathered; external: refresh_lo to refresh_hi).
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
{{- end}}
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
FROM d WHERE id NOT IN (SELECT id FROM c)
