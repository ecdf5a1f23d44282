-- Merge the batch (temp table trend_batch) into external.google_trend: new
-- (request, keyword, period) rows are inserted, rows whose values changed
-- are replaced, identical rows are left as they are (a replay or a re-run
-- changes nothing). Then core.google_trend is rebuilt for the keywords the
-- batch touched. As ../../duckdb/sql/merge_trend.sql.
CREATE TEMP TABLE batch_trend AS
SELECT * FROM trend_batch
WHERE TRUE -- GoogleSQL allows QUALIFY only beside WHERE, GROUP BY or HAVING
QUALIFY ROW_NUMBER() OVER (
    PARTITION BY request_id, keyword, period ORDER BY fetched_at DESC, source_line DESC, source_object DESC) = 1;

-- The window_to range the MERGE may touch (external is partitioned by
-- month of window_to): the batch's and that of the rows already kept for
-- its requests (read from the request_id and window_to columns only). A
-- request id names its window, so the two agree; reading them anyway means
-- the partition filter can never hide an existing row.
SET (merge_lo, merge_hi, merge_null) = (
    SELECT AS STRUCT MIN(window_to), MAX(window_to), LOGICAL_OR(window_to IS NULL)
    FROM (
        SELECT window_to FROM batch_trend
        UNION ALL
        SELECT window_to FROM `external.google_trend`
        WHERE request_id IN (SELECT request_id FROM batch_trend)));

SET (n_inserted, n_updated, n_unchanged) = (
    SELECT AS STRUCT
        COUNTIF(e.request_id IS NULL),
        COUNTIF(e.request_id IS NOT NULL AND (
            b.interest IS DISTINCT FROM e.interest OR b.has_data IS DISTINCT FROM e.has_data OR
            b.is_partial IS DISTINCT FROM e.is_partial OR b.interest_scaled IS DISTINCT FROM e.interest_scaled OR
            b.resolution IS DISTINCT FROM e.resolution OR b.synthetic IS DISTINCT FROM e.synthetic)),
        COUNTIF(e.request_id IS NOT NULL AND NOT (
            b.interest IS DISTINCT FROM e.interest OR b.has_data IS DISTINCT FROM e.has_data OR
            b.is_partial IS DISTINCT FROM e.is_partial OR b.interest_scaled IS DISTINCT FROM e.interest_scaled OR
            b.resolution IS DISTINCT FROM e.resolution OR b.synthetic IS DISTINCT FROM e.synthetic))
    FROM batch_trend AS b
    LEFT JOIN (
        SELECT * FROM `external.google_trend`
        WHERE (window_to >= merge_lo AND window_to <= merge_hi) OR (merge_null AND window_to IS NULL)
    ) AS e
    ON e.request_id = b.request_id AND e.keyword = b.keyword AND e.period = b.period);

-- A changed row is replaced whole (DuckDB deletes and inserts it). The ON
-- clause carries the partition filter.
MERGE `external.google_trend` AS e
USING batch_trend AS b
ON e.request_id = b.request_id AND e.keyword = b.keyword AND e.period = b.period
   AND ((e.window_to >= merge_lo AND e.window_to <= merge_hi) OR (merge_null AND e.window_to IS NULL))
WHEN MATCHED AND (
    b.interest IS DISTINCT FROM e.interest OR b.has_data IS DISTINCT FROM e.has_data OR
    b.is_partial IS DISTINCT FROM e.is_partial OR b.interest_scaled IS DISTINCT FROM e.interest_scaled OR
    b.resolution IS DISTINCT FROM e.resolution OR b.synthetic IS DISTINCT FROM e.synthetic) THEN UPDATE SET
    resolution = b.resolution, interest = b.interest, has_data = b.has_data, is_partial = b.is_partial,
    interest_scaled = b.interest_scaled, anchor = b.anchor, anchor_mean = b.anchor_mean, scale = b.scale,
    request_keywords = b.request_keywords, geo = b.geo, window_from = b.window_from, window_to = b.window_to,
    fetched_at = b.fetched_at, synthetic = b.synthetic, run_id = b.run_id, source_object = b.source_object,
    loaded_at = b.loaded_at
WHEN NOT MATCHED THEN INSERT
    (request_id, keyword, period, resolution, interest, has_data, is_partial, interest_scaled,
     anchor, anchor_mean, scale, request_keywords, geo, window_from, window_to, fetched_at, synthetic,
     run_id, source_object, loaded_at)
VALUES
    (b.request_id, b.keyword, b.period, b.resolution, b.interest, b.has_data, b.is_partial, b.interest_scaled,
     b.anchor, b.anchor_mean, b.scale, b.request_keywords, b.geo, b.window_from, b.window_to, b.fetched_at, b.synthetic,
     b.run_id, b.source_object, b.loaded_at);

-- core: one row per keyword and period, from the request with the newest
-- window, then the newest fetch, then the smallest request id. The touched
-- keywords' rows are read whole (every window of them: clustered by
-- keyword).
SET touched_keywords = ARRAY(SELECT DISTINCT keyword FROM batch_trend);

DELETE FROM `core.google_trend` WHERE keyword IN UNNEST(touched_keywords);

INSERT INTO `core.google_trend`
    (keyword, period, resolution, interest, interest_scaled, has_data, is_partial,
     anchor, anchor_mean, scale, request_id, request_keywords, window_from, window_to,
     fetched_at, synthetic)
SELECT keyword, period, resolution, interest, interest_scaled, has_data, is_partial,
       anchor, anchor_mean, scale, request_id, request_keywords, window_from, window_to,
       fetched_at, synthetic
FROM `external.google_trend`
WHERE keyword IN UNNEST(touched_keywords)
QUALIFY ROW_NUMBER() OVER (
    PARTITION BY keyword, period ORDER BY window_to DESC, fetched_at DESC, request_id) = 1;
