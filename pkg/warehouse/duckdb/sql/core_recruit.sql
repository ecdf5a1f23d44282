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

-- The rows are built once, in a temp table, for both tables, in steps
-- that each join a few tables: DuckDB gives every hash join and grouped
-- aggregate of a statement buffers of its own, several MB however few the
-- rows, all held until the statement ends, and the loader runs within a
-- small memory limit. Every step reads only the refreshed ids' rows of the
-- big tables.
--
-- The refreshed postings' codes, narrow.
CREATE OR REPLACE TEMP TABLE refresh_src AS
SELECT e.id, e.location_codes, e.location_names, e.job_type_codes,
    e.industry_code, e.experience_code, e.education_code, e.salary_code
FROM external.recruit_table e JOIN refresh_ids USING (id);

-- Regions, in the API's order, and provinces.
CREATE OR REPLACE TEMP TABLE refresh_loc AS
SELECT r.id,
    list(coalesce(l.full_name, nullif(r.location_names[u.i], ''), u.code) ORDER BY u.i) AS regions,
    arg_min(l.province, u.i) FILTER (WHERE l.province IS NOT NULL) AS province,
    list(l.province ORDER BY u.i) FILTER (WHERE l.province IS NOT NULL) AS province_seq
FROM refresh_src r, unnest(r.location_codes) WITH ORDINALITY AS u(code, i)
LEFT JOIN meta.location l ON l.code = trim(u.code)
GROUP BY r.id;

-- Job types, in the API's order.
CREATE OR REPLACE TEMP TABLE refresh_jt AS
SELECT r.id, list(coalesce(t.name, u.code) ORDER BY u.i) AS job_types
FROM refresh_src r, unnest(r.job_type_codes) WITH ORDINALITY AS u(code, i)
LEFT JOIN meta.job_types t ON t.code = trim(u.code)
GROUP BY r.id;

-- The single codes.
CREATE OR REPLACE TEMP TABLE refresh_codes AS
SELECT r.id,
    ind.name AS industry_name,
    ind.category_code AS industry_category_code,
    cat.name AS industry_category,
    exp.name AS experience_level,
    edu.name AS education_name,
    sal.name AS salary_name,
    sal.min_manwon AS salary_min_manwon,
    sal.max_manwon AS salary_max_manwon
FROM refresh_src r
LEFT JOIN meta.industries ind ON ind.code = trim(r.industry_code)
LEFT JOIN meta.industry_categories cat ON cat.code = ind.category_code
LEFT JOIN meta.experiences exp ON exp.code = CAST(r.experience_code AS VARCHAR)
LEFT JOIN meta.education edu ON edu.code = trim(r.education_code)
LEFT JOIN meta.salary sal ON sal.code = trim(r.salary_code);

-- Everything core adds to a posting, one row per refreshed id.
CREATE OR REPLACE TEMP TABLE refresh_derived AS
SELECT i.id,
    coalesce(loc.regions, []::VARCHAR[]) AS regions,
    loc.province,
    coalesce(list_filter(loc.province_seq, (p, i) -> list_position(loc.province_seq, p) = i), []::VARCHAR[]) AS provinces,
    c.industry_name AS meta_industry_name,
    c.industry_category_code,
    c.industry_category,
    c.experience_level,
    c.education_name AS meta_education_name,
    coalesce(jt.job_types, []::VARCHAR[]) AS job_types,
    c.salary_name AS meta_salary_name,
    c.salary_min_manwon,
    c.salary_max_manwon,
    role.role,
    role.it_group
FROM refresh_ids i
LEFT JOIN refresh_loc loc USING (id)
LEFT JOIN refresh_jt jt USING (id)
LEFT JOIN refresh_codes c USING (id)
LEFT JOIN external.recruit_role role USING (id);

CREATE OR REPLACE TEMP TABLE refresh_core AS
SELECT
    r.* EXCLUDE (skills) REPLACE (
        coalesce(d.meta_industry_name, r.industry_name) AS industry_name,
        coalesce(d.meta_education_name, r.education_name) AS education_name
    ),
    d.regions,
    d.province,
    d.provinces,
    d.industry_category_code,
    d.industry_category,
    d.experience_level,
    coalesce(r.experience_code IN (1, 3) OR (r.experience_code = 0 AND coalesce(r.experience_min, 0) = 0), false) AS is_entry_level,
    d.job_types,
    coalesce(d.meta_salary_name, nullif(r.salary_name, '')) AS salary_band,
    d.salary_min_manwon,
    d.salary_max_manwon,
    coalesce(r.skills, []::VARCHAR[]) AS skills,
    d.role,
    d.role IS NOT NULL AS is_data_role,
    CAST(timezone('Asia/Seoul', r.posted_at) AS DATE) AS posted_date,
    CAST(timezone('Asia/Seoul', r.closed_at) AS DATE) AS closed_date,
    d.it_group,
    lower(concat_ws(' ', r.title, r.company_name)) AS search_text
FROM external.recruit_table r JOIN refresh_derived d USING (id);

INSERT INTO core.recruit BY NAME SELECT * FROM refresh_core;
INSERT INTO core.datajob BY NAME SELECT * FROM refresh_core WHERE role IS NOT NULL;

-- The steps' tables go at once: a temp table lives as long as the
-- connection, in blocks of 256 KiB per column, and refresh_core alone is
-- about 15 MiB however few its rows.
DROP TABLE refresh_core;
DROP TABLE refresh_derived;
DROP TABLE refresh_codes;
DROP TABLE refresh_jt;
DROP TABLE refresh_loc;
DROP TABLE refresh_src;
