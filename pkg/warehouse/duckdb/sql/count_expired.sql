-- Whether more than $chunk_rows postings outside the run expire by the
-- warehouse clock $as_of (expired_chunk.sql's condition): a batch that
-- closes that many closes them a chunk at a time, as a large batch does.
SELECT count(*) > $chunk_rows FROM (
    SELECT id FROM external.recruit_table
    WHERE is_open AND expires_at <= $as_of
        AND id NOT IN (SELECT id FROM staging.recruit WHERE run_id = $run_id)
    LIMIT $chunk_rows + 1
);
