-- A full rebuild (meta changed): every posting.
INSERT OR IGNORE INTO refresh_ids SELECT id FROM external.recruit_table;
