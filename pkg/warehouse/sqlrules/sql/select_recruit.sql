-- One posting of external.recruit_table, in the column order
-- Warehouse.Recruit scans (BigQuery: by name, with null_lists). The id
-- filter is on BigQuery's clustering column, so it reads only the blocks
-- holding it.
SELECT
    id, url, active, company_name, company_href, title, industry_code, industry_name,
    location_codes, location_names, job_type_codes, job_type_names,
    job_mid_codes, job_mid_names, job_codes, job_code_names,
    experience_code, experience_min, experience_max, experience_name,
    education_code, education_name, keywords, salary_code, salary_name,
    posted_at, modified_at, opening_at, expires_at, close_type_code, close_type_name,
    read_count, apply_count, synthetic, {{if duckdb}}extra::VARCHAR{{else}}TO_JSON_STRING(extra) AS extra{{end}}, raw_object,
    run_id, source_object, first_seen_at, last_seen_at,{{if bigquery}} null_lists,{{end}} skills
FROM {{table "external.recruit_table"}}
WHERE id = {{param "id"}};
