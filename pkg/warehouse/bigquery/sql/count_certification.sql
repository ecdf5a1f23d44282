-- What the replacement does to each key (exam, stage, year, round) of the
-- batch: new to the loaded set, changed, or the same figures.
SET (n_inserted, n_updated, n_unchanged) = (
    SELECT AS STRUCT
        COUNTIF(e.exam IS NULL),
        COUNTIF(e.exam IS NOT NULL AND (
            b.applicants IS DISTINCT FROM e.applicants OR b.examinees IS DISTINCT FROM e.examinees OR
            b.passers IS DISTINCT FROM e.passers OR b.pass_rate IS DISTINCT FROM e.pass_rate OR
            b.source IS DISTINCT FROM e.source OR b.quality IS DISTINCT FROM e.quality OR
            b.synthetic IS DISTINCT FROM e.synthetic)),
        COUNTIF(e.exam IS NOT NULL AND NOT (
            b.applicants IS DISTINCT FROM e.applicants OR b.examinees IS DISTINCT FROM e.examinees OR
            b.passers IS DISTINCT FROM e.passers OR b.pass_rate IS DISTINCT FROM e.pass_rate OR
            b.source IS DISTINCT FROM e.source OR b.quality IS DISTINCT FROM e.quality OR
            b.synthetic IS DISTINCT FROM e.synthetic))
    FROM batch_cert AS b
    LEFT JOIN `external.certification` AS e
    ON e.exam = b.exam AND e.stage = b.stage AND e.year = b.year AND e.round = b.round);
