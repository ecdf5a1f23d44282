-- Drop the work tables a transaction made (prepare_batch.sql, batch_chunk.sql, prepare_refresh.sql,
-- aggregates.sql, the indicators' batches) before it commits. A temp table
-- lives as long as its connection, and database/sql keeps several: each
-- kept its own copies of the last load's work tables, a block per column
-- each, until a replay of a dozen batches in one execution ran out of
-- memory on a batch of 68 postings.
DROP TABLE IF EXISTS temp.main.batch;
DROP TABLE IF EXISTS temp.main.batch_cert;
DROP TABLE IF EXISTS temp.main.batch_trend;
DROP TABLE IF EXISTS temp.main.batch_trend_counts;
DROP TABLE IF EXISTS temp.main.refresh_ids;
DROP TABLE IF EXISTS temp.main.refresh_dates;
DROP TABLE IF EXISTS temp.main.refresh_before;
DROP TABLE IF EXISTS temp.main.refresh_clock;
DROP TABLE IF EXISTS temp.main.refresh_rows;
DROP TABLE IF EXISTS temp.main.refresh_days;
