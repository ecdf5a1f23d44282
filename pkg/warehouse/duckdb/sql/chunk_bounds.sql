-- Where the chunks of a large batch start: every $chunk_rows-th of the
-- run's distinct staged ids, in order (batch_chunk.sql).
SELECT id FROM (SELECT DISTINCT id FROM staging.recruit WHERE run_id = $run_id)
QUALIFY (row_number() OVER (ORDER BY id) - 1) % $chunk_rows = 0
ORDER BY id;
