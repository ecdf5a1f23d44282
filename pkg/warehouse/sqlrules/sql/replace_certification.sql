-- Replace the certification data set with the staged batch (temp table
-- batch_cert), external then core. Runs inside the load's transaction, so
-- a failure anywhere leaves the previous set in place. WHERE TRUE because
-- BigQuery's DELETE needs a WHERE clause.
DELETE FROM {{table "external.certification"}} WHERE TRUE;

INSERT INTO {{table "external.certification"}}
    (exam, jmcd, stage, year, round, applicants, examinees, passers, pass_rate,
     source, quality, note, synthetic, origin, run_id, as_of, loaded_at)
SELECT exam, jmcd, stage, year, round, applicants, examinees, passers, pass_rate,
       source, quality, note, synthetic, origin, {{param "run_id"}}, {{param "as_of"}}, {{param "loaded_at"}}
FROM batch_cert;

DELETE FROM {{table "core.certification"}} WHERE TRUE;

-- pass_rate: DuckDB's DECIMAL times BIGINT, divided, is a DOUBLE,
-- BigQuery's a FLOAT64; both round half away from zero.
INSERT INTO {{table "core.certification"}}
    (exam, stage, year, round, applicants, examinees, passers, pass_rate, quality, source, synthetic, as_of)
SELECT exam,
       CASE WHEN stage = '' THEN '전체' ELSE stage END,
       year, round,
       NULLIF(applicants, 0),
       examinees, passers,
       CASE WHEN examinees > 0 THEN ROUND(100.0 * passers / examinees, 1) END,
       quality, source, synthetic, as_of
FROM {{table "external.certification"}};
