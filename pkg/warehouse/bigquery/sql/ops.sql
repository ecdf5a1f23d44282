-- Record job executions in ops.runs; recording an execution again
-- replaces its row. @runs is a JSON array of ops.Run (its json tags). A
-- handful of rows an hour: one DML MERGE keyed by (job, execution) is
-- cheaper to reason about than a load job and replaces in place.
MERGE `ops.runs` AS t
USING (
    SELECT
        JSON_VALUE(r, '$.job') AS job,
        JSON_VALUE(r, '$.execution') AS execution,
        JSON_VALUE(r, '$.run_id') AS run_id,
        JSON_VALUE(r, '$.source') AS source,
        TIMESTAMP(JSON_VALUE(r, '$.window_from')) AS window_from,
        TIMESTAMP(JSON_VALUE(r, '$.window_to')) AS window_to,
        CAST(JSON_VALUE(r, '$.count_in') AS INT64) AS count_in,
        CAST(JSON_VALUE(r, '$.count_out') AS INT64) AS count_out,
        CAST(JSON_VALUE(r, '$.checks_passed') AS INT64) AS checks_passed,
        CAST(JSON_VALUE(r, '$.checks_failed') AS INT64) AS checks_failed,
        JSON_VALUE(r, '$.status') AS status,
        JSON_VALUE(r, '$.error') AS error,
        TIMESTAMP(JSON_VALUE(r, '$.started_at')) AS started_at,
        CAST(JSON_VALUE(r, '$.duration_ms') AS INT64) AS duration_ms
    FROM UNNEST(JSON_QUERY_ARRAY(PARSE_JSON(@runs))) AS r
    WHERE TRUE -- GoogleSQL allows QUALIFY only beside WHERE, GROUP BY or HAVING
    QUALIFY ROW_NUMBER() OVER (PARTITION BY job, execution) = 1
) AS s
ON t.job = s.job AND t.execution = s.execution
   AND t.started_at BETWEEN TIMESTAMP(@min_started) AND TIMESTAMP(@max_started)
WHEN MATCHED THEN UPDATE SET
    run_id = s.run_id, source = s.source, window_from = s.window_from, window_to = s.window_to,
    count_in = s.count_in, count_out = s.count_out, checks_passed = s.checks_passed,
    checks_failed = s.checks_failed, status = s.status, error = s.error,
    started_at = s.started_at, duration_ms = s.duration_ms
WHEN NOT MATCHED THEN INSERT ROW;
