-- The next chunk of postings outside the run whose deadline passed by the
-- warehouse clock (close_expired.sql's condition), closed before a large
-- batch merges (mergeChunks): the batch's own ids close, if they must,
-- with their merge.
INSERT INTO refresh_ids
SELECT id FROM external.recruit_table
WHERE is_open AND expires_at <= $as_of
    AND id NOT IN (SELECT id FROM staging.recruit WHERE run_id = $run_id)
ORDER BY id
LIMIT $chunk_rows;
