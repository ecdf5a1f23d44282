-- Checks a staged run must pass before it moves up to external and core
-- (the same checks as ../../duckdb/sql/checks_staged.sql): one row per
-- check with the number of offending rows and an example. Run inside the
-- load script, on the script's temp table batch (the run's staged rows, so
-- staging.recruit is not scanned again); @window_to is the batch's window.
WITH s AS (SELECT * FROM batch)
-- Ids without a value fail earlier (ErrInvalidRow). An id repeated within a
-- batch is not a failure: overlapping windows and pages repeat postings,
-- and the merge keeps the newest; ids must be unique in external and core
-- (checks_core.sql).
SELECT 'location_known' AS name, COUNT(*) AS failed, MIN(s.id || ':' || l) AS example
FROM s, UNNEST(s.location_codes) AS l
WHERE l NOT IN (SELECT code FROM `meta.location`)
UNION ALL
SELECT 'industry_known', COUNT(*), MIN(id || ':' || industry_code)
FROM s WHERE industry_code IS NOT NULL AND industry_code <> '' AND industry_code NOT IN (SELECT code FROM `meta.industries`)
UNION ALL
SELECT 'experience_known', COUNT(*), MIN(id || ':' || CAST(experience_code AS STRING))
FROM s WHERE experience_code IS NOT NULL AND CAST(experience_code AS STRING) NOT IN (SELECT code FROM `meta.experiences`)
UNION ALL
SELECT 'education_known', COUNT(*), MIN(id || ':' || education_code)
FROM s WHERE education_code IS NOT NULL AND education_code <> '' AND education_code NOT IN (SELECT code FROM `meta.education`)
UNION ALL
SELECT 'job_type_known', COUNT(*), MIN(s.id || ':' || j)
FROM s, UNNEST(s.job_type_codes) AS j
WHERE j NOT IN (SELECT code FROM `meta.job_types`)
UNION ALL
-- Not in the future: nothing can be posted or modified after the end of
-- the window it was extracted in (an hour of slack for clock skew).
SELECT 'time_not_future', COUNT(*), MIN(id)
FROM s WHERE @window_to IS NOT NULL
  AND (posted_at > TIMESTAMP_ADD(@window_to, INTERVAL 1 HOUR)
       OR modified_at > TIMESTAMP_ADD(@window_to, INTERVAL 1 HOUR))
UNION ALL
SELECT 'expiry_after_posting', COUNT(*), MIN(id)
FROM s WHERE expires_at IS NOT NULL AND posted_at IS NOT NULL AND expires_at < posted_at
-- A modification time before the posting time is not checked: the real API
-- sends such postings (3 of 110 in the sample of 2021-09-27).
-- No trailing semicolon: the load script wraps this query in ARRAY(...).
