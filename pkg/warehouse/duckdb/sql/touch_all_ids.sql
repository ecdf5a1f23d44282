-- A full rebuild (meta changed): every posting, a chunk of ids at a time,
-- from $from up to $to (NULL: to the last).
INSERT OR IGNORE INTO refresh_ids
SELECT id FROM external.recruit_table
WHERE id >= $from AND ($to IS NULL OR id < $to);
