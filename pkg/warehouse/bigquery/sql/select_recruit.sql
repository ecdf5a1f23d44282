-- One posting of external.recruit_table. The id filter is on the
-- clustering column, so BigQuery reads only the blocks holding it.
SELECT
    id, url, active, company_name, company_href, title, industry_code, industry_name,
    location_codes, location_names, job_type_codes, job_type_names,
    job_mid_codes, job_mid_names, job_codes, job_code_names,
    experience_code, experience_min, experience_max, experience_name,
    education_code, education_name, keywords, salary_code, salary_name,
    posted_at, modified_at, opening_at, expires_at, close_type_code, close_type_name,
    read_count, apply_count, synthetic, TO_JSON_STRING(extra) AS extra, raw_object,
    run_id, source_object, first_seen_at, last_seen_at, null_lists, skills
FROM `external.recruit_table`
WHERE id = @id;
