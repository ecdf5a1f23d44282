-- The batch's trend rows (trends.Row per line), from the per-object load
-- tables: the row's own source_object kept as raw_object, the batch's run
-- id and object name attached, then appended to staging.google_trend. A
-- load job keeps no line numbers: source_line numbers rows within an
-- object in an order that is stable across replays (a fingerprint of the
-- row), not the file's order.
CREATE TEMP TABLE trend_batch AS
WITH loaded AS (
    {{load_tables}}
)
SELECT
    l.keyword, l.period, l.resolution, l.interest, l.has_data, l.is_partial, l.interest_scaled,
    l.anchor, l.anchor_mean, l.scale, l.request_id, l.request_keywords, l.geo,
    l.window_from, l.window_to, l.fetched_at, l.synthetic,
    l.source_object AS raw_object,
    @run_id AS run_id,
    @objects[OFFSET(l.object_index)] AS source_object,
    ROW_NUMBER() OVER (PARTITION BY l.object_index ORDER BY FARM_FINGERPRINT(TO_JSON_STRING(l))) AS source_line,
    @loaded_at AS loaded_at
FROM loaded AS l;
SET n_staged = (SELECT COUNT(*) FROM trend_batch);

INSERT INTO `staging.google_trend`
    (keyword, period, resolution, interest, has_data, is_partial, interest_scaled,
     anchor, anchor_mean, scale, request_id, request_keywords, geo,
     window_from, window_to, fetched_at, synthetic, raw_object, run_id, source_object, source_line, loaded_at)
SELECT keyword, period, resolution, interest, has_data, is_partial, interest_scaled,
       anchor, anchor_mean, scale, request_id, request_keywords, geo,
       window_from, window_to, fetched_at, synthetic, raw_object, run_id, source_object, source_line, loaded_at
FROM trend_batch;
