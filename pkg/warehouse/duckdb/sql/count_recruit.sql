SELECT count(*) FROM external.recruit_table;
