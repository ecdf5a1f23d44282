-- Recompute the dashboard aggregates for the dates in refresh_dates only
-- (BigQuery: the script variable dates, so every DELETE and read names its
-- partitions) and open_postings_daily from the earliest of them to the
-- warehouse clock's day, from core.recruit. Each posting counts once under
-- 'all' and once under its data role. Rows exist only for counts > 0.
{{tempTable}} refresh_rows AS
SELECT r.posted_date AS date,
    coalesce(r.province, 'unknown') AS province,
    coalesce(r.industry_category, 'unknown') AS industry_category,
    r.is_entry_level,
{{- if duckdb}}
    unnest(CASE WHEN r.role IS NULL THEN ['all'] ELSE ['all', r.role] END) AS role
FROM core.recruit r
{{- else}}
    role
FROM `core.recruit` r, UNNEST(IF(r.role IS NULL, ['all'], ['all', r.role])) AS role
{{- end}}
WHERE r.posted_date IN {{refreshDates}};

DELETE FROM {{table "core.daily_postings"}} WHERE date IN {{refreshDates}};
INSERT INTO {{table "core.daily_postings"}} (date, role, postings)
SELECT date, role, count(*) FROM refresh_rows GROUP BY date, role;

DELETE FROM {{table "core.daily_by_region"}} WHERE date IN {{refreshDates}};
INSERT INTO {{table "core.daily_by_region"}} (date, province, role, postings)
SELECT date, province, role, count(*) FROM refresh_rows GROUP BY date, province, role;

DELETE FROM {{table "core.daily_by_industry"}} WHERE date IN {{refreshDates}};
INSERT INTO {{table "core.daily_by_industry"}} (date, industry_category, role, postings)
SELECT date, industry_category, role, count(*) FROM refresh_rows GROUP BY date, industry_category, role;

DELETE FROM {{table "core.daily_entry_level"}} WHERE date IN {{refreshDates}};
INSERT INTO {{table "core.daily_entry_level"}} (date, role, entry_level, postings)
SELECT date, role, is_entry_level, count(*) FROM refresh_rows GROUP BY date, role, is_entry_level;

-- Open postings at the end of each KST day: posted before the day ended and
-- not closed by then, so a posting counts from its posted day to the day
-- before it closed. The range ends at the warehouse clock's day and starts
-- at the earlier of the first day a refreshed posting changed and the last
-- day already computed (so days without any load in between are filled).
{{- if duckdb}}
-- The first day a posting changed is its posted day when that or its
-- role changed, else its closing day when that changed: a posting that
-- closes today changes no day before.
CREATE OR REPLACE TEMP TABLE refresh_days AS
WITH after AS (
    SELECT r.id, r.posted_date, r.closed_date, r.role FROM core.recruit r JOIN refresh_ids USING (id)
),
changed AS (
    SELECT CASE
        WHEN b.id IS NULL OR a.id IS NULL
          OR b.posted_date IS DISTINCT FROM a.posted_date OR b.role IS DISTINCT FROM a.role
            THEN list_min([b.posted_date, a.posted_date])
        WHEN b.closed_date IS DISTINCT FROM a.closed_date
            THEN list_min([b.closed_date, a.closed_date])
        END AS d
    FROM refresh_before b FULL JOIN after a ON a.id = b.id
),
bounds AS (
    SELECT list_min([(SELECT min(d) FROM changed),
                     (SELECT max(date) FROM core.open_postings_daily)]) AS lo,
           (SELECT CAST(timezone('Asia/Seoul', max(as_of)) AS DATE) FROM refresh_clock) AS hi
)
SELECT CAST(unnest(range(CAST(lo AS TIMESTAMP), CAST(hi + 1 AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS date
FROM bounds WHERE lo IS NOT NULL AND hi IS NOT NULL AND lo <= hi;

DELETE FROM core.open_postings_daily WHERE date >= (SELECT min(date) FROM refresh_days);
-- posted_date and closed_date are the KST days of posted_at and closed_at,
-- so "posted before the day ended" is posted_date <= date and "not closed
-- by then" closed_date > date: the same as comparing the timestamps with
-- the next KST midnight, without converting a time zone per posting.
INSERT INTO core.open_postings_daily
WITH p AS (
    SELECT r.posted_date, r.closed_date,
        unnest(CASE WHEN r.role IS NULL THEN ['all'] ELSE ['all', r.role] END) AS role
    FROM core.recruit r
    WHERE r.posted_date IS NOT NULL
      AND (r.closed_date IS NULL OR r.closed_date >= (SELECT min(date) FROM refresh_days))
)
SELECT d.date, p.role, count(*)
FROM refresh_days d JOIN p
  ON p.posted_date <= d.date
 AND (p.closed_date IS NULL OR p.closed_date > d.date)
GROUP BY d.date, p.role;
{{- else}}
-- The first day changed is the earliest refreshed date. MIN over an array
-- skips NULLs, as DuckDB's list_min does (LEAST would not).
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
{{- end}}
