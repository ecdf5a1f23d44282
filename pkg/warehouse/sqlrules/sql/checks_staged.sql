-- Checks a staged run must pass before it moves up to external and core:
-- one row per check with the number of offending rows and an example. Run
-- on the temp table batch (the run's rows, or one chunk of a large run;
-- BigQuery: the load script's, so staging.recruit is not scanned again).
-- No trailing semicolon: BigQuery's load script wraps this query in
-- ARRAY(...).
WITH s AS (SELECT * FROM batch)
-- Ids without a value fail earlier (ErrInvalidRow). An id repeated within a
-- batch is not a failure: overlapping windows and pages repeat postings,
-- and the merge keeps the newest; ids must be unique in external and core
-- (checks_core.sql).
SELECT 'location_known' AS name, count(*) AS failed, min(s.id || ':' || code) AS example
FROM s, {{unnest "s.location_codes" "code"}}
WHERE code NOT IN (SELECT code FROM {{table "meta.location"}})
UNION ALL
SELECT 'industry_known', count(*), min(id || ':' || industry_code)
FROM s WHERE industry_code IS NOT NULL AND industry_code <> '' AND industry_code NOT IN (SELECT code FROM {{table "meta.industries"}})
UNION ALL
SELECT 'experience_known', count(*), min(id || ':' || CAST(experience_code AS {{string}}))
FROM s WHERE experience_code IS NOT NULL AND CAST(experience_code AS {{string}}) NOT IN (SELECT code FROM {{table "meta.experiences"}})
UNION ALL
SELECT 'education_known', count(*), min(id || ':' || education_code)
FROM s WHERE education_code IS NOT NULL AND education_code <> '' AND education_code NOT IN (SELECT code FROM {{table "meta.education"}})
UNION ALL
SELECT 'job_type_known', count(*), min(s.id || ':' || code)
FROM s, {{unnest "s.job_type_codes" "code"}}
WHERE code NOT IN (SELECT code FROM {{table "meta.job_types"}})
UNION ALL
-- Not in the future: nothing can be posted or modified after the end of
-- the window it was extracted in (an hour of slack for clock skew).
SELECT 'time_not_future', count(*), min(id)
FROM s WHERE {{ts "window_to"}} IS NOT NULL
  AND (posted_at > {{hourAfter (ts "window_to")}}
       OR modified_at > {{hourAfter (ts "window_to")}})
UNION ALL
SELECT 'expiry_after_posting', count(*), min(id)
FROM s WHERE expires_at IS NOT NULL AND posted_at IS NOT NULL AND expires_at < posted_at
-- A modification time before the posting time is not checked: the real API
-- sends such postings (3 of 110 in the sample of 2021-09-27).
