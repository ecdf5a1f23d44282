-- Rebuild core.recruit and core.datajob for the ids in refresh_ids: delete
-- them (in the partitions collect_dates.sql found them in), then insert
-- them again from external.recruit_table with every code resolved through
-- meta. Same decisions as DuckDB's core_recruit.sql (see there); the
-- columns are inserted by position, in the order schema.go gives (external's
-- skills, its last column, goes to core's own skills column).
CREATE TEMP TABLE core_rows AS
WITH r AS (
    SELECT e.* FROM `external.recruit_table` e JOIN refresh_ids USING (id)
    WHERE (e.posted_at BETWEEN refresh_lo AND refresh_hi) OR (refresh_null AND e.posted_at IS NULL)
),
loc AS (
    SELECT r.id,
        ARRAY_AGG(coalesce(l.full_name, NULLIF(r.location_names[SAFE_OFFSET(i)], ''), code) ORDER BY i) AS regions,
        ARRAY_AGG(l.province IGNORE NULLS ORDER BY i LIMIT 1)[SAFE_OFFSET(0)] AS province,
        ARRAY_AGG(l.province IGNORE NULLS ORDER BY i) AS province_seq
    FROM r CROSS JOIN UNNEST(r.location_codes) AS code WITH OFFSET i
    LEFT JOIN `meta.location` l ON l.code = TRIM(code)
    GROUP BY r.id
),
jt AS (
    SELECT r.id, ARRAY_AGG(coalesce(t.name, code) ORDER BY i) AS job_types
    FROM r CROSS JOIN UNNEST(r.job_type_codes) AS code WITH OFFSET i
    LEFT JOIN `meta.job_types` t ON t.code = TRIM(code)
    GROUP BY r.id
)
SELECT
    r.* EXCEPT (skills) REPLACE (
        coalesce(ind.name, r.industry_name) AS industry_name,
        coalesce(edu.name, r.education_name) AS education_name
    ),
    coalesce(loc.regions, []) AS regions,
    loc.province,
    ARRAY(SELECT p FROM UNNEST(loc.province_seq) AS p WITH OFFSET o GROUP BY p ORDER BY min(o)) AS provinces,
    ind.category_code AS industry_category_code,
    cat.name AS industry_category,
    ex.name AS experience_level,
    coalesce(r.experience_code IN (1, 3) OR (r.experience_code = 0 AND coalesce(r.experience_min, 0) = 0), false) AS is_entry_level,
    coalesce(jt.job_types, []) AS job_types,
    coalesce(sal.name, NULLIF(r.salary_name, '')) AS salary_band,
    sal.min_manwon AS salary_min_manwon,
    sal.max_manwon AS salary_max_manwon,
    r.skills,
    role.role,
    role.role IS NOT NULL AS is_data_role,
    DATE(r.posted_at, 'Asia/Seoul') AS posted_date,
    DATE(r.closed_at, 'Asia/Seoul') AS closed_date,
    role.it_group,
    LOWER(ARRAY_TO_STRING([r.title, r.company_name], ' ')) AS search_text
FROM r
LEFT JOIN loc USING (id)
LEFT JOIN jt USING (id)
LEFT JOIN `meta.industries` ind ON ind.code = TRIM(r.industry_code)
LEFT JOIN `meta.industry_categories` cat ON cat.code = ind.category_code
LEFT JOIN `meta.experiences` ex ON ex.code = CAST(r.experience_code AS STRING)
LEFT JOIN `meta.education` edu ON edu.code = TRIM(r.education_code)
LEFT JOIN `meta.salary` sal ON sal.code = TRIM(r.salary_code)
LEFT JOIN `external.recruit_role` role USING (id);

DELETE FROM `core.datajob`
WHERE (posted_date IN UNNEST(dates) OR posted_date IS NULL) AND id IN (SELECT id FROM refresh_ids);
DELETE FROM `core.recruit`
WHERE (posted_date IN UNNEST(dates) OR posted_date IS NULL) AND id IN (SELECT id FROM refresh_ids);

INSERT INTO `core.recruit` SELECT * FROM core_rows;
INSERT INTO `core.datajob` SELECT * FROM core_rows WHERE role IS NOT NULL;
