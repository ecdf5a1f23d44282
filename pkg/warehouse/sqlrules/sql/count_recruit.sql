SELECT count(*) AS n FROM {{table "external.recruit_table"}};
