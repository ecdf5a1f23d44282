-- Postings whose deadline passed by the warehouse clock close, at their
-- deadline, even when no newer version arrives. Rows are kept.
UPDATE {{table "external.recruit_table"}}
SET is_open = false, closed_at = coalesce(closed_at, expires_at)
WHERE is_open AND expires_at <= {{clock}};
