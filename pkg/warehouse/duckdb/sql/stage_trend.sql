-- Append one clean NDJSON file of trend rows to staging.google_trend. Keys
-- not listed are ignored; missing keys are NULL.
INSERT INTO staging.google_trend
SELECT
    keyword, period, resolution, interest, has_data, is_partial, interest_scaled,
    anchor, anchor_mean, scale, request_id, request_keywords, geo,
    window_from, window_to, fetched_at, synthetic,
    source_object AS raw_object,
    $run_id       AS run_id,
    $object       AS source_object,
    row_number() OVER () AS source_line,
    $loaded_at    AS loaded_at
FROM read_json($path,
    format = 'newline_delimited',
    records = true,
    columns = {
        keyword: 'VARCHAR', period: 'DATE', resolution: 'VARCHAR', interest: 'BIGINT',
        has_data: 'BOOLEAN', is_partial: 'BOOLEAN', interest_scaled: 'DOUBLE',
        anchor: 'VARCHAR', anchor_mean: 'DOUBLE', scale: 'DOUBLE',
        request_id: 'VARCHAR', request_keywords: 'VARCHAR', geo: 'VARCHAR',
        window_from: 'DATE', window_to: 'DATE', fetched_at: 'TIMESTAMPTZ',
        synthetic: 'BOOLEAN', source_object: 'VARCHAR'
    });
