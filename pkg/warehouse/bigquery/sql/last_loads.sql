-- The newest load of each source (health check: freshness).
SELECT IFNULL(source, 'saramin') AS source, MAX(loaded_at) AS loaded_at
FROM `staging.recruit_loads` GROUP BY 1
UNION ALL
SELECT source, MAX(loaded_at) AS loaded_at FROM `staging.indicator_loads` GROUP BY 1;
