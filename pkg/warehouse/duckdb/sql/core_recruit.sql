-- Rebuild core.recruit and core.datajob for the ids in refresh_ids: delete
-- them, then insert them again from external.recruit_table with every code
-- resolved through meta. Deterministic: the same external rows, meta and
-- roles give byte-identical core rows, so replays change nothing.
--
-- Decisions:
--   * A code meta does not know keeps the API's own name (or the code), so a
--     new code shows up instead of vanishing; the checks flag it.
--   * province is the province of the first region meta knows; provinces
--     lists each province once, in the order its first region appears.
--   * is_entry_level: experience code 1 (신입) or 3 (신입/경력), or 0
--     (경력무관) when it asks for no minimum years: all three accept a
--     newcomer. Code 2 (경력) never does, even "경력 0~2년".
--   * skills: the row's own, as the transformer found them (package skills:
--     the data skills and tools named in the title, keywords and job-code
--     names, never an industry or a job code that is not a tool); empty for
--     a row written before the transformer set them.
--   * salary_min/max_manwon: the band's bounds where meta.salary gives them.
--   * posted_date / closed_date: KST calendar days (Korea has no DST).
--   * search_text: title and company name lowered, which the dashboard's
--     search reads.
DELETE FROM core.datajob WHERE id IN (SELECT id FROM refresh_ids);
DELETE FROM core.recruit WHERE id IN (SELECT id FROM refresh_ids);

-- The rows are built once, in a temp table, for both tables; every join
-- reads only the refreshed ids' rows of the big tables.
CREATE OR REPLACE TEMP TABLE refresh_core AS
WITH r AS (
    SELECT e.* FROM external.recruit_table e JOIN refresh_ids USING (id)
),
role AS (
    SELECT x.* FROM external.recruit_role x JOIN refresh_ids USING (id)
),
loc AS (
    SELECT r.id,
        list(coalesce(l.full_name, nullif(r.location_names[u.i], ''), u.code) ORDER BY u.i) AS regions,
        arg_min(l.province, u.i) FILTER (WHERE l.province IS NOT NULL) AS province,
        list(l.province ORDER BY u.i) FILTER (WHERE l.province IS NOT NULL) AS province_seq
    FROM r, unnest(r.location_codes) WITH ORDINALITY AS u(code, i)
    LEFT JOIN meta.location l ON l.code = trim(u.code)
    GROUP BY r.id
),
jt AS (
    SELECT r.id, list(coalesce(t.name, u.code) ORDER BY u.i) AS job_types
    FROM r, unnest(r.job_type_codes) WITH ORDINALITY AS u(code, i)
    LEFT JOIN meta.job_types t ON t.code = trim(u.code)
    GROUP BY r.id
)
SELECT
    r.* EXCLUDE (skills) REPLACE (
        coalesce(ind.name, r.industry_name) AS industry_name,
        coalesce(edu.name, r.education_name) AS education_name
    ),
    coalesce(loc.regions, []::VARCHAR[]) AS regions,
    loc.province,
    coalesce(list_filter(loc.province_seq, (p, i) -> list_position(loc.province_seq, p) = i), []::VARCHAR[]) AS provinces,
    ind.category_code AS industry_category_code,
    cat.name AS industry_category,
    exp.name AS experience_level,
    coalesce(r.experience_code IN (1, 3) OR (r.experience_code = 0 AND coalesce(r.experience_min, 0) = 0), false) AS is_entry_level,
    coalesce(jt.job_types, []::VARCHAR[]) AS job_types,
    coalesce(sal.name, nullif(r.salary_name, '')) AS salary_band,
    sal.min_manwon AS salary_min_manwon,
    sal.max_manwon AS salary_max_manwon,
    coalesce(r.skills, []::VARCHAR[]) AS skills,
    role.role,
    role.role IS NOT NULL AS is_data_role,
    CAST(timezone('Asia/Seoul', r.posted_at) AS DATE) AS posted_date,
    CAST(timezone('Asia/Seoul', r.closed_at) AS DATE) AS closed_date,
    role.it_group,
    lower(concat_ws(' ', r.title, r.company_name)) AS search_text
FROM r
LEFT JOIN loc USING (id)
LEFT JOIN jt USING (id)
LEFT JOIN meta.industries ind ON ind.code = trim(r.industry_code)
LEFT JOIN meta.industry_categories cat ON cat.code = ind.category_code
LEFT JOIN meta.experiences exp ON exp.code = CAST(r.experience_code AS VARCHAR)
LEFT JOIN meta.education edu ON edu.code = trim(r.education_code)
LEFT JOIN meta.salary sal ON sal.code = trim(r.salary_code)
LEFT JOIN role USING (id);

INSERT INTO core.recruit BY NAME SELECT * FROM refresh_core;
INSERT INTO core.datajob BY NAME SELECT * FROM refresh_core WHERE role IS NOT NULL;
