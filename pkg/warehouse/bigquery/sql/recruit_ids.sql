SELECT id FROM `external.recruit_table` ORDER BY id;
