-- Replace the certification data set with the staged batch (temp table
-- batch_cert), external then core. Runs inside the load's transaction, so
-- a failure anywhere leaves the previous set in place.
DELETE FROM external.certification;

INSERT INTO external.certification
SELECT exam, jmcd, stage, year, round, applicants, examinees, passers, pass_rate,
       source, quality, note, synthetic, origin, $run_id, $as_of, $loaded_at
FROM batch_cert;

DELETE FROM core.certification;

INSERT INTO core.certification
SELECT exam,
       CASE WHEN stage = '' THEN '전체' ELSE stage END,
       year, round,
       NULLIF(applicants, 0),
       examinees, passers,
       CASE WHEN examinees > 0 THEN round(100.0 * passers / examinees, 1) END,
       quality, source, synthetic, as_of
FROM external.certification;
