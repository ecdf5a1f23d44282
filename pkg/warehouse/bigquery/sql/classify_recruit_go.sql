-- Roles from the Go classifier (package role; a test's with Option
-- WithClassifier). Before this script, LoadRecruit classified each
-- batch id's newest version in Go and loaded (id, modified_at, role,
-- it_group: the comparison group of a posting that is not a data job) into
-- the per-load table roles_table below. A touched id whose kept version in
-- external is that version gets its role (NULL for none); the other touched
-- ids (the batch's version lost to a newer one, or closed by
-- close_expired.sql) keep the role of their kept version, classified when
-- that version was loaded: the role of the kept version, as in DuckDB.
CREATE TEMP TABLE go_roles AS
SELECT e.id, r.role, r.it_group
FROM `external.recruit_table` e JOIN refresh_ids USING (id)
JOIN `{{roles_table}}` r ON r.id = e.id AND r.modified_at = e.modified_at
WHERE (e.posted_at BETWEEN refresh_lo AND refresh_hi) OR (refresh_null AND e.posted_at IS NULL);
DELETE FROM `external.recruit_role` WHERE id IN (SELECT id FROM go_roles);
INSERT INTO `external.recruit_role` (id, role, it_group)
SELECT id, role, it_group FROM go_roles;
