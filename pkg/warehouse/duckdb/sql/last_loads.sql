-- The newest load of each source (health check: freshness).
SELECT coalesce(source, 'saramin') AS source, max(loaded_at) AS loaded_at
FROM staging.recruit_loads GROUP BY ALL
UNION ALL
SELECT source, max(loaded_at) FROM staging.indicator_loads GROUP BY ALL;
