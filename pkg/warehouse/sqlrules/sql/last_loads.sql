-- The newest load of each source (health check: freshness).
SELECT coalesce(source, 'saramin') AS source, max(loaded_at) AS loaded_at
FROM {{table "staging.recruit_loads"}} GROUP BY 1
UNION ALL
SELECT source, max(loaded_at) AS loaded_at FROM {{table "staging.indicator_loads"}} GROUP BY 1;
