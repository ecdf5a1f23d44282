-- The warehouse clock after loading a run: the latest of every earlier
-- load's clock and this run's window end (or, for a batch without a window,
-- its newest modified_at, $modified, gathered over its chunks). It never
-- goes back and never reads the wall clock, so replays and late batches
-- compute the same is_open as before.
SELECT max(t) FROM (
    SELECT max(as_of) AS t FROM staging.recruit_loads
    UNION ALL
    SELECT coalesce(CAST($window_to AS TIMESTAMPTZ), CAST($modified AS TIMESTAMPTZ))
);
