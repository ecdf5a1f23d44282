-- Keep the staged rows: staging.recruit holds every row of every batch.
INSERT INTO staging.recruit SELECT * FROM batch;
