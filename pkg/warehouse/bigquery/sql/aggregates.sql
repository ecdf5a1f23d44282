-- Recompute the dashboard aggregates for the dates in `dates` only (and
-- open_postings_daily from the earliest of them to the warehouse clock's
-- day), from core.recruit. Each posting counts once under 'all' and once
-- under its data role. Rows exist only for counts > 0. Every DELETE and
-- read names its dates through the `dates` array: partition pruning.
CREATE TEMP TABLE refresh_rows AS
SELECT r.posted_date AS date,
    coalesce(r.province, 'unknown') AS province,
    coalesce(r.industry_category, 'unknown') AS industry_category,
    r.is_entry_level,
    role
FROM `core.recruit` r, UNNEST(IF(r.role IS NULL, ['all'], ['all', r.role])) AS role
WHERE r.posted_date IN UNNEST(dates);

DELETE FROM `core.daily_postings` WHERE date IN UNNEST(dates);
INSERT INTO `core.daily_postings` (date, role, postings)
SELECT date, role, count(*) FROM refresh_rows GROUP BY date, role;

DELETE FROM `core.daily_by_region` WHERE date IN UNNEST(dates);
INSERT INTO `core.daily_by_region` (date, province, role, postings)
SELECT date, province, role, count(*) FROM refresh_rows GROUP BY date, province, role;

DELETE FROM `core.daily_by_industry` WHERE date IN UNNEST(dates);
INSERT INTO `core.daily_by_industry` (date, industry_category, role, postings)
SELECT date, industry_category, role, count(*) FROM refresh_rows GROUP BY date, industry_category, role;

DELETE FROM `core.daily_entry_level` WHERE date IN UNNEST(dates);
INSERT INTO `core.daily_entry_level` (date, role, entry_level, postings)
SELECT date, role, is_entry_level, count(*) FROM refresh_rows GROUP BY date, role, is_entry_level;

-- Open postings at the end of each KST day, from the earliest refreshed
-- date (or the last day already computed, so gaps are filled) to the
-- warehouse clock's day. MIN over an array skips NULLs, as DuckDB's
-- list_min does (LEAST would not).
SET open_from = (SELECT min(x) FROM UNNEST([
    (SELECT min(d) FROM UNNEST(dates) AS d),
    (SELECT max(date) FROM `core.open_postings_daily` WHERE date >= DATE_SUB(DATE(clock, 'Asia/Seoul'), INTERVAL 400 DAY))]) AS x);
SET open_to = DATE(clock, 'Asia/Seoul');

IF open_from IS NOT NULL AND open_to IS NOT NULL AND open_from <= open_to THEN
    DELETE FROM `core.open_postings_daily` WHERE date >= open_from;
    INSERT INTO `core.open_postings_daily` (date, role, open_postings)
    WITH p AS (
        SELECT r.posted_at, r.closed_at, role
        FROM `core.recruit` r, UNNEST(IF(r.role IS NULL, ['all'], ['all', r.role])) AS role
        WHERE r.posted_at IS NOT NULL
          AND (r.closed_date IS NULL OR r.closed_date >= open_from)
    )
    SELECT d, p.role, count(*)
    FROM UNNEST(GENERATE_DATE_ARRAY(open_from, open_to)) AS d
    JOIN p
      ON p.posted_at < TIMESTAMP(DATE_ADD(d, INTERVAL 1 DAY), 'Asia/Seoul')
     AND (p.closed_at IS NULL OR p.closed_at >= TIMESTAMP(DATE_ADD(d, INTERVAL 1 DAY), 'Asia/Seoul'))
    GROUP BY d, p.role;
END IF;
