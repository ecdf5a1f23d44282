-- Replace the certification data set with the staged batch (temp table
-- batch_cert), external then core. Runs inside the load script's
-- transaction, so a failure anywhere leaves the previous set in place.
-- BigQuery's DELETE needs a WHERE clause.
DELETE FROM `external.certification` WHERE TRUE;

INSERT INTO `external.certification`
    (exam, jmcd, stage, year, round, applicants, examinees, passers, pass_rate,
     source, quality, note, synthetic, origin, run_id, as_of, loaded_at)
SELECT exam, jmcd, stage, year, round, applicants, examinees, passers, pass_rate,
       source, quality, note, synthetic, origin, @run_id, @as_of, @loaded_at
FROM batch_cert;

DELETE FROM `core.certification` WHERE TRUE;

INSERT INTO `core.certification`
    (exam, stage, year, round, applicants, examinees, passers, pass_rate, quality, source, synthetic, as_of)
SELECT exam,
       CASE WHEN stage = '' THEN '전체' ELSE stage END,
       year, round,
       NULLIF(applicants, 0),
       examinees, passers,
       CASE WHEN examinees > 0 THEN ROUND(100.0 * passers / examinees, 1) END,
       quality, source, synthetic, as_of
FROM `external.certification`;
