-- The warehouse clock after this load: the latest of every earlier load's
-- clock and this run's window end (or, without a window, its newest
-- modified_at). Never the wall clock, so replays compute the same is_open.
SET clock = (
    SELECT max(t) FROM (
        SELECT max(as_of) AS t FROM `staging.recruit_loads`
        UNION ALL
        SELECT coalesce(@window_to, max(modified_at)) FROM batch));
