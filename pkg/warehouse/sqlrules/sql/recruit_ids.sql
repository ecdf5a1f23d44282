SELECT id FROM {{table "external.recruit_table"}} ORDER BY id;
