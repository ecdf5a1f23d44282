-- Checks a staged certification set must pass before it replaces the
-- loaded one. Each returns the number of offending rows and one example.
SELECT 'certification_key_present' AS name, count(*) AS failed,
       any_value(coalesce(exam, '?') || ' ' || coalesce(CAST(year AS VARCHAR), '?')) AS example
FROM batch_cert WHERE exam IS NULL OR exam = '' OR year IS NULL
UNION ALL
SELECT 'certification_key_unique', count(*), any_value(exam || ' ' || stage || ' ' || year || ' round ' || round)
FROM (SELECT exam, stage, year, round FROM batch_cert GROUP BY ALL HAVING count(*) > 1)
UNION ALL
SELECT 'certification_counts_ordered', count(*), any_value(exam || ' ' || stage || ' ' || year)
FROM batch_cert
WHERE passers < 0 OR examinees < 0 OR passers > examinees OR (applicants > 0 AND examinees > applicants);
