-- The KST dates the refreshed ids occupy in core.recruit (posted and
-- closed): run before the rebuild for the old values and after it for the
-- new ones. Only the id, posted_date and closed_date columns are read.
INSERT INTO refresh_dates
SELECT DISTINCT d FROM (
    SELECT r.posted_date AS d FROM `core.recruit` r JOIN refresh_ids USING (id)
    UNION ALL
    SELECT r.closed_date FROM `core.recruit` r JOIN refresh_ids USING (id)
)
WHERE d IS NOT NULL AND d NOT IN (SELECT d FROM refresh_dates);
SET dates = (SELECT ARRAY_AGG(d) FROM refresh_dates);
