-- Full load of one meta table from the code tables (after delete_meta.sql):
-- {{table}} is one of the fixed names in meta.go, $rows a JSON array of
-- objects and $shape its from_json type.
INSERT INTO meta.{{table}} BY NAME SELECT unnest(from_json($rows, $shape), recursive := true);
