-- The KST dates the refreshed ids occupy in core.recruit (posted and
-- closed): run before the rebuild for the old values and after it for the
-- new ones, so aggregates are recomputed wherever a posting left or arrived.
INSERT OR IGNORE INTO refresh_dates
SELECT d FROM (
    SELECT r.posted_date AS d FROM core.recruit r JOIN refresh_ids USING (id)
    UNION
    SELECT r.closed_date FROM core.recruit r JOIN refresh_ids USING (id)
)
WHERE d IS NOT NULL;
