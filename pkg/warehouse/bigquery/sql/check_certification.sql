-- Checks a staged certification set must pass before it replaces the
-- loaded one (the same checks as ../../duckdb/sql/check_certification.sql):
-- each returns the number of offending rows and one example. position
-- keeps DuckDB's order (UNION ALL has none). Wrapped by
-- load_certification.sql, so no trailing semicolon.
SELECT 1 AS position, 'certification_key_present' AS name, COUNT(*) AS failed,
       MIN(COALESCE(exam, '?') || ' ' || COALESCE(CAST(year AS STRING), '?')) AS example
FROM batch_cert WHERE exam IS NULL OR exam = '' OR year IS NULL
UNION ALL
SELECT 2, 'certification_key_unique', COUNT(*),
       MIN(exam || ' ' || stage || ' ' || CAST(year AS STRING) || ' round ' || CAST(round AS STRING))
FROM (SELECT exam, stage, year, round FROM batch_cert GROUP BY exam, stage, year, round HAVING COUNT(*) > 1)
UNION ALL
SELECT 3, 'certification_counts_ordered', COUNT(*), MIN(exam || ' ' || stage || ' ' || CAST(year AS STRING))
FROM batch_cert
WHERE passers < 0 OR examinees < 0 OR passers > examinees OR (applicants > 0 AND examinees > applicants)
