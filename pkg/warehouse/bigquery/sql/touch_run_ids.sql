-- The ids this load can change: the batch's, and those close_expired.sql
-- is about to close (keep its condition identical).
CREATE TEMP TABLE refresh_ids AS
SELECT DISTINCT id FROM batch
UNION DISTINCT
SELECT id FROM `external.recruit_table` WHERE is_open AND expires_at <= clock;
CREATE TEMP TABLE refresh_dates (d DATE);
