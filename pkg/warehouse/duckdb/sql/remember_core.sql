-- The refreshed ids' core rows as they are before the refresh, for
-- aggregates.sql to tell which days of open_postings_daily changed. Run with
-- the first collect_dates.sql.
INSERT INTO refresh_before
SELECT r.id, r.posted_date, r.closed_date, r.role FROM core.recruit r JOIN refresh_ids USING (id);
