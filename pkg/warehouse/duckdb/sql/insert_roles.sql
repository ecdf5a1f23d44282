-- The Go classifier's verdicts: three aligned JSON lists (a NULL role: not a
-- data job; a NULL group: a data job, or not IT work).
INSERT INTO external.recruit_role (id, role, it_group)
SELECT unnest(from_json($ids, '["VARCHAR"]')), unnest(from_json($roles, '["VARCHAR"]')), unnest(from_json($groups, '["VARCHAR"]'));
