SELECT id FROM core.recruit ORDER BY id;
