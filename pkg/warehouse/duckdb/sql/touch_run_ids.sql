-- The ids a load can change: the run's own, and those close_expired.sql is
-- about to close (keep its condition identical).
INSERT OR IGNORE INTO refresh_ids
SELECT DISTINCT id FROM staging.recruit WHERE run_id = $run_id
UNION
SELECT id FROM external.recruit_table WHERE is_open AND expires_at <= $as_of;
