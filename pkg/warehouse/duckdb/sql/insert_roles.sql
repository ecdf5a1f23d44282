-- The Go classifier's verdicts: two aligned JSON lists (a NULL role: not a data job).
INSERT INTO external.recruit_role
SELECT unnest(from_json($ids, '["VARCHAR"]')), unnest(from_json($roles, '["VARCHAR"]'));
