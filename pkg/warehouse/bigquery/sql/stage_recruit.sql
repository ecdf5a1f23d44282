-- The batch's rows, from the per-object load tables: lists turned from the
-- loaded JSON into ARRAY<STRING> (null lists named in null_lists, BigQuery
-- having no NULL array), the row's own source_object kept as raw_object,
-- the batch's run id and object name attached. A load job keeps no line
-- numbers: source_line numbers rows within an object in an order that is
-- stable across replays (a fingerprint of the row), not the file's order.
CREATE TEMP TABLE batch AS
WITH loaded AS (
    {{load_tables}}
)
SELECT
    l.id, l.url, l.active, l.company_name, l.company_href, l.title, l.industry_code, l.industry_name,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.location_codes)) AS x WITH OFFSET o ORDER BY o) AS location_codes,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.location_names)) AS x WITH OFFSET o ORDER BY o) AS location_names,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.job_type_codes)) AS x WITH OFFSET o ORDER BY o) AS job_type_codes,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.job_type_names)) AS x WITH OFFSET o ORDER BY o) AS job_type_names,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.job_mid_codes)) AS x WITH OFFSET o ORDER BY o) AS job_mid_codes,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.job_mid_names)) AS x WITH OFFSET o ORDER BY o) AS job_mid_names,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.job_codes)) AS x WITH OFFSET o ORDER BY o) AS job_codes,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.job_code_names)) AS x WITH OFFSET o ORDER BY o) AS job_code_names,
    l.experience_code, l.experience_min, l.experience_max, l.experience_name,
    l.education_code, l.education_name,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.keywords)) AS x WITH OFFSET o ORDER BY o) AS keywords,
    l.salary_code, l.salary_name,
    l.posted_at, l.modified_at, l.opening_at, l.expires_at, l.close_type_code, l.close_type_name,
    l.read_count, l.apply_count, l.synthetic, l.extra,
    l.source_object AS raw_object,
    @run_id AS run_id,
    @objects[OFFSET(l.object_index)] AS source_object,
    ROW_NUMBER() OVER (PARTITION BY l.object_index ORDER BY FARM_FINGERPRINT(TO_JSON_STRING(l))) AS source_line,
    @loaded_at AS loaded_at,
    ARRAY(SELECT name FROM UNNEST([
        STRUCT('location_codes' AS name, l.location_codes AS v), ('location_names', l.location_names),
        ('job_type_codes', l.job_type_codes), ('job_type_names', l.job_type_names),
        ('job_mid_codes', l.job_mid_codes), ('job_mid_names', l.job_mid_names),
        ('job_codes', l.job_codes), ('job_code_names', l.job_code_names), ('keywords', l.keywords),
        ('skills', l.skills)])
        WHERE v IS NULL OR JSON_TYPE(v) = 'null') AS null_lists,
    ARRAY(SELECT JSON_VALUE(x) FROM UNNEST(JSON_QUERY_ARRAY(l.skills)) AS x WITH OFFSET o ORDER BY o) AS skills
FROM loaded AS l;
SET n_staged = (SELECT count(*) FROM batch);

INSERT INTO `staging.recruit` SELECT * FROM batch;
