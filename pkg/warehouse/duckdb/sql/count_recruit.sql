SELECT count(*) FROM core.recruit;
