-- What the Go classifier reads for each id to refresh.
SELECT e.id, coalesce(e.title, ''), e.job_codes, e.job_code_names, e.keywords, e.job_mid_codes
FROM external.recruit_table e JOIN refresh_ids USING (id)
ORDER BY e.id;
