-- Merge the staged rows of one batch ($objects) into external.google_trend:
-- new (request, keyword, period) rows are inserted, rows whose values
-- changed are replaced, identical rows are left as they are (a replay or a
-- re-run changes nothing). Then core.google_trend is rebuilt for the
-- keywords the batch touched.
CREATE OR REPLACE TEMP TABLE batch_trend AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY request_id, keyword, period ORDER BY fetched_at DESC, source_line DESC) AS rn
    FROM staging.google_trend
    WHERE source_object IN (SELECT unnest(from_json($objects, '["VARCHAR"]')))
) WHERE rn = 1;

CREATE OR REPLACE TEMP TABLE batch_trend_counts AS
SELECT
    count(*) FILTER (WHERE e.request_id IS NULL) AS inserted,
    count(*) FILTER (WHERE e.request_id IS NOT NULL AND (
        b.interest IS DISTINCT FROM e.interest OR b.has_data IS DISTINCT FROM e.has_data OR
        b.is_partial IS DISTINCT FROM e.is_partial OR b.interest_scaled IS DISTINCT FROM e.interest_scaled OR
        b.resolution IS DISTINCT FROM e.resolution OR b.synthetic IS DISTINCT FROM e.synthetic)) AS updated,
    count(*) AS total
FROM batch_trend b
LEFT JOIN external.google_trend e USING (request_id, keyword, period);

DELETE FROM external.google_trend e
USING batch_trend b
WHERE e.request_id = b.request_id AND e.keyword = b.keyword AND e.period = b.period
  AND (b.interest IS DISTINCT FROM e.interest OR b.has_data IS DISTINCT FROM e.has_data OR
       b.is_partial IS DISTINCT FROM e.is_partial OR b.interest_scaled IS DISTINCT FROM e.interest_scaled OR
       b.resolution IS DISTINCT FROM e.resolution OR b.synthetic IS DISTINCT FROM e.synthetic);

INSERT INTO external.google_trend
SELECT b.request_id, b.keyword, b.period, b.resolution, b.interest, b.has_data, b.is_partial,
       b.interest_scaled, b.anchor, b.anchor_mean, b.scale, b.request_keywords, b.geo,
       b.window_from, b.window_to, b.fetched_at, b.synthetic, b.run_id, b.source_object, b.loaded_at
FROM batch_trend b
ANTI JOIN external.google_trend e USING (request_id, keyword, period);

DELETE FROM core.google_trend WHERE keyword IN (SELECT DISTINCT keyword FROM batch_trend);

INSERT INTO core.google_trend
SELECT keyword, period, resolution, interest, interest_scaled, has_data, is_partial,
       anchor, anchor_mean, scale, request_id, request_keywords, window_from, window_to,
       fetched_at, synthetic
FROM (
    SELECT *, row_number() OVER (PARTITION BY keyword, period
                                 ORDER BY window_to DESC, fetched_at DESC, request_id) AS rn
    FROM external.google_trend
    WHERE keyword IN (SELECT DISTINCT keyword FROM batch_trend)
) WHERE rn = 1;
