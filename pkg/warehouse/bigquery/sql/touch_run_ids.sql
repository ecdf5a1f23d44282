-- The ids this load can change: the batch's, and those close_expired.sql
-- is about to close (keep its condition identical).
CREATE TEMP TABLE expiring AS
SELECT id, posted_at FROM `external.recruit_table` WHERE is_open AND expires_at <= clock;
-- Where the expiring rows lie (partitions by posted_at), for refresh_lo.
SET (expired_lo, expired_hi, expired_null) = (
    SELECT AS STRUCT min(posted_at), max(posted_at), LOGICAL_OR(posted_at IS NULL) FROM expiring);
CREATE TEMP TABLE refresh_ids AS
SELECT DISTINCT id FROM batch
UNION DISTINCT
SELECT id FROM expiring;
CREATE TEMP TABLE refresh_dates (d DATE);
