SELECT count(*) AS n FROM `external.recruit_table`;
