DELETE FROM external.recruit_role WHERE id IN (SELECT id FROM refresh_ids);
