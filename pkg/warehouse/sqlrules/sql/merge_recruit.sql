-- Merge one staged run (the temp table batch: the run's rows, or those of
-- one chunk of its ids) into external.recruit_table. Duplicates of an id
-- inside the run collapse to the newest (ties: the later object, then the
-- later line). A row is replaced only by a strictly newer modified_at, so
-- replays and older versions arriving late are no-ops. MERGE rather than
-- INSERT ... ON CONFLICT, which BigQuery lacks.
--
-- The warehouse clock (load.go: the latest window end or modification time
-- ever loaded, never the wall clock) makes a replay compute the same
-- is_open. A version is open when active (or silent about it) and not
-- expired at the clock. closed_at is the first close: for a version the
-- API marks inactive, its modified_at (capped by its expiry); for one that
-- expired, its expires_at. A reopened posting (a newer open version) gets
-- closed_at NULL again.
{{- if bigquery}}
--
-- BigQuery: count_merge_recruit.sql kept the newest of each id in
-- batch_newest, and the ON clause carries the partition filter (posted_at
-- between merge_lo and merge_hi, or NULL when the batch or a replaced row
-- has none): only the months the batch touches are read.
{{- end}}
MERGE {{if duckdb}}INTO {{end}}{{table "external.recruit_table"}} AS c
USING (
    SELECT *,
        coalesce(active, true) AND (expires_at IS NULL OR expires_at > {{clock}}) AS now_open,
        CASE WHEN active IS FALSE THEN least(modified_at, coalesce(expires_at, modified_at))
             ELSE expires_at END AS close_time
{{- if duckdb}}
    FROM batch
    QUALIFY row_number() OVER (
        PARTITION BY id ORDER BY modified_at DESC, source_object DESC, source_line DESC) = 1
{{- else}}
    FROM batch_newest
{{- end}}
) AS s
ON c.id = s.id
{{- if bigquery}}
   AND ((c.posted_at >= merge_lo AND c.posted_at <= merge_hi) OR (merge_null AND c.posted_at IS NULL))
{{- end}}
WHEN MATCHED AND s.modified_at > c.modified_at THEN UPDATE SET
    url = s.url, active = s.active, company_name = s.company_name,
    company_href = s.company_href, title = s.title,
    industry_code = s.industry_code, industry_name = s.industry_name,
    location_codes = s.location_codes, location_names = s.location_names,
    job_type_codes = s.job_type_codes, job_type_names = s.job_type_names,
    job_mid_codes = s.job_mid_codes, job_mid_names = s.job_mid_names,
    job_codes = s.job_codes, job_code_names = s.job_code_names,
    experience_code = s.experience_code, experience_min = s.experience_min,
    experience_max = s.experience_max, experience_name = s.experience_name,
    education_code = s.education_code, education_name = s.education_name,
    keywords = s.keywords, salary_code = s.salary_code, salary_name = s.salary_name,
    posted_at = s.posted_at, modified_at = s.modified_at,
    opening_at = s.opening_at, expires_at = s.expires_at,
    close_type_code = s.close_type_code, close_type_name = s.close_type_name,
    read_count = s.read_count, apply_count = s.apply_count,
    synthetic = s.synthetic, extra = s.extra, raw_object = s.raw_object,
    run_id = s.run_id, source_object = s.source_object,
    first_seen_at = least(c.first_seen_at, s.loaded_at),
    last_seen_at = s.loaded_at,
    is_open = s.now_open,
    closed_at = CASE WHEN s.now_open THEN NULL ELSE coalesce(c.closed_at, s.close_time) END,
{{- if bigquery}}
    null_lists = s.null_lists,
{{- end}}
    skills = s.skills
WHEN NOT MATCHED THEN INSERT (
    id, url, active, company_name, company_href, title, industry_code, industry_name,
    location_codes, location_names, job_type_codes, job_type_names,
    job_mid_codes, job_mid_names, job_codes, job_code_names,
    experience_code, experience_min, experience_max, experience_name,
    education_code, education_name, keywords, salary_code, salary_name,
    posted_at, modified_at, opening_at, expires_at, close_type_code, close_type_name,
    read_count, apply_count, synthetic, extra, raw_object,
    run_id, source_object, first_seen_at, last_seen_at, is_open, closed_at,{{if bigquery}} null_lists,{{end}} skills
) VALUES (
    s.id, s.url, s.active, s.company_name, s.company_href, s.title, s.industry_code, s.industry_name,
    s.location_codes, s.location_names, s.job_type_codes, s.job_type_names,
    s.job_mid_codes, s.job_mid_names, s.job_codes, s.job_code_names,
    s.experience_code, s.experience_min, s.experience_max, s.experience_name,
    s.education_code, s.education_name, s.keywords, s.salary_code, s.salary_name,
    s.posted_at, s.modified_at, s.opening_at, s.expires_at, s.close_type_code, s.close_type_name,
    s.read_count, s.apply_count, s.synthetic, s.extra, s.raw_object,
    s.run_id, s.source_object, s.loaded_at, s.loaded_at,
    s.now_open, CASE WHEN s.now_open THEN NULL ELSE s.close_time END,{{if bigquery}} s.null_lists,{{end}} s.skills
);
