-- Append one clean NDJSON file to the temp table batch (prepare_batch.sql),
-- which keep_batch.sql appends to staging.recruit. The explicit column list
-- absorbs schema drift: keys not listed are ignored, missing keys are NULL.
-- A line that is not a JSON object, or a value of the wrong type, fails.
-- The JSON's own run_id is not read: the batch's run_id is authoritative.
INSERT INTO batch
SELECT
    id, url, active, company_name, company_href, title, industry_code, industry_name,
    location_codes, location_names, job_type_codes, job_type_names,
    job_mid_codes, job_mid_names, job_codes, job_code_names,
    experience_code, experience_min, experience_max, experience_name,
    education_code, education_name, keywords, salary_code, salary_name,
    posted_at, modified_at, opening_at, expires_at, close_type_code, close_type_name,
    read_count, apply_count, synthetic, extra,
    source_object AS raw_object,
    $run_id       AS run_id,
    $object       AS source_object,
    row_number() OVER () AS source_line,
    $loaded_at    AS loaded_at,
    skills
FROM read_json($path,
    format = 'newline_delimited',
    records = true,
    columns = {
        id: 'VARCHAR', url: 'VARCHAR', active: 'BOOLEAN',
        company_name: 'VARCHAR', company_href: 'VARCHAR', title: 'VARCHAR',
        industry_code: 'VARCHAR', industry_name: 'VARCHAR',
        location_codes: 'VARCHAR[]', location_names: 'VARCHAR[]',
        job_type_codes: 'VARCHAR[]', job_type_names: 'VARCHAR[]',
        job_mid_codes: 'VARCHAR[]', job_mid_names: 'VARCHAR[]',
        job_codes: 'VARCHAR[]', job_code_names: 'VARCHAR[]',
        experience_code: 'BIGINT', experience_min: 'BIGINT', experience_max: 'BIGINT',
        experience_name: 'VARCHAR', education_code: 'VARCHAR', education_name: 'VARCHAR',
        keywords: 'VARCHAR[]', salary_code: 'VARCHAR', salary_name: 'VARCHAR',
        posted_at: 'TIMESTAMPTZ', modified_at: 'TIMESTAMPTZ',
        opening_at: 'TIMESTAMPTZ', expires_at: 'TIMESTAMPTZ',
        close_type_code: 'VARCHAR', close_type_name: 'VARCHAR',
        read_count: 'BIGINT', apply_count: 'BIGINT', synthetic: 'BOOLEAN',
        extra: 'JSON', source_object: 'VARCHAR', skills: 'VARCHAR[]'
    });
