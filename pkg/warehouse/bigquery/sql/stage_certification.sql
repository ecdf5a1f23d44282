-- The batch's certification rows (cert.Stat per line), from the per-object
-- load tables, into the script's temp table batch_cert: a missing stage is
-- the whole exam (''), a missing round the whole year (0).
CREATE TEMP TABLE batch_cert AS
WITH loaded AS (
    {{load_tables}}
)
SELECT exam, jmcd, COALESCE(stage, '') AS stage, year, COALESCE(round, 0) AS round,
       applicants, examinees, passers, pass_rate, source, quality, note,
       COALESCE(synthetic, FALSE) AS synthetic, origin
FROM loaded;
SET n_staged = (SELECT COUNT(*) FROM batch_cert);
