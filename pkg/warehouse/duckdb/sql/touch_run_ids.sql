-- The ids a load can change: the batch's own, and those close_expired.sql
-- is about to close (keep its condition identical).
INSERT OR IGNORE INTO refresh_ids
SELECT DISTINCT id FROM batch
UNION
SELECT id FROM external.recruit_table WHERE is_open AND expires_at <= $as_of;
