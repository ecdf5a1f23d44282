-- The two other indicators beside the postings, in the same layers:
-- Google Trends search interest and certification exam statistics.
-- Idempotent: run by Warehouse.Ensure after schema.sql.

-- Every trend row of every batch as it arrived (trends.Row per line).
-- Loading an object again replaces its rows.
CREATE TABLE IF NOT EXISTS staging.google_trend (
    keyword          VARCHAR,
    period           DATE,        -- KST date the period starts
    resolution       VARCHAR,     -- WEEK, DAY, ...
    interest         BIGINT,      -- 0-100 within the request, as Google gave it
    has_data         BOOLEAN,
    is_partial       BOOLEAN,     -- the period was not over when fetched
    interest_scaled  DOUBLE,      -- interest * scale: 100 = the anchor's mean over the window
    anchor           VARCHAR,
    anchor_mean      DOUBLE,
    scale            DOUBLE,
    request_id       VARCHAR,
    request_keywords VARCHAR,
    geo              VARCHAR,
    window_from      DATE,
    window_to        DATE,
    fetched_at       TIMESTAMPTZ,
    synthetic        BOOLEAN,
    raw_object       VARCHAR,
    run_id           VARCHAR     NOT NULL,
    source_object    VARCHAR     NOT NULL,
    source_line      BIGINT      NOT NULL,
    loaded_at        TIMESTAMPTZ NOT NULL
);

-- One row per request, keyword and period: every answer kept, with the
-- request context needed to redo the scaling. An identical row arriving
-- again leaves the row untouched.
CREATE TABLE IF NOT EXISTS external.google_trend (
    request_id       VARCHAR NOT NULL,
    keyword          VARCHAR NOT NULL,
    period           DATE    NOT NULL,
    resolution       VARCHAR,
    interest         BIGINT,
    has_data         BOOLEAN,
    is_partial       BOOLEAN,
    interest_scaled  DOUBLE,
    anchor           VARCHAR,
    anchor_mean      DOUBLE,
    scale            DOUBLE,
    request_keywords VARCHAR,
    geo              VARCHAR,
    window_from      DATE,
    window_to        DATE,
    fetched_at       TIMESTAMPTZ,
    synthetic        BOOLEAN,
    run_id           VARCHAR,
    source_object    VARCHAR,
    loaded_at        TIMESTAMPTZ,
    PRIMARY KEY (request_id, keyword, period)
);

-- What dashboards read: one row per keyword and period, from the request
-- with the newest window (then the newest fetch). Within one window every
-- keyword is on the same scale (see package trends).
CREATE TABLE IF NOT EXISTS core.google_trend (
    keyword          VARCHAR NOT NULL,
    period           DATE    NOT NULL,
    resolution       VARCHAR,
    interest         BIGINT,
    interest_scaled  DOUBLE,
    has_data         BOOLEAN,
    is_partial       BOOLEAN,
    anchor           VARCHAR,
    anchor_mean      DOUBLE,
    scale            DOUBLE,
    request_id       VARCHAR,
    request_keywords VARCHAR,
    window_from      DATE,
    window_to        DATE,
    fetched_at       TIMESTAMPTZ,
    synthetic        BOOLEAN,
    PRIMARY KEY (keyword, period)
);

-- The certification data set as last replaced (cert.Stat per row). A run
-- replaces it whole, in one transaction; as_of is the run's window end.
CREATE TABLE IF NOT EXISTS external.certification (
    exam        VARCHAR NOT NULL,
    jmcd        VARCHAR,
    stage       VARCHAR NOT NULL, -- 필기, 실기 or '' (the whole exam)
    year        INTEGER NOT NULL,
    round       INTEGER NOT NULL, -- 0: the whole year
    applicants  BIGINT,           -- 0: not published
    examinees   BIGINT,
    passers     BIGINT,
    pass_rate   DOUBLE,
    source      VARCHAR,
    quality     VARCHAR,          -- official | unverified
    note        VARCHAR,
    synthetic   BOOLEAN,
    origin      VARCHAR,          -- qnet | dataset
    run_id      VARCHAR NOT NULL,
    as_of       TIMESTAMPTZ NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (exam, stage, year, round)
);

-- What dashboards read: the same set, with names for the stage, NULL for
-- what was not published, and the pass rate recomputed from the counts.
CREATE TABLE IF NOT EXISTS core.certification (
    exam        VARCHAR NOT NULL,
    stage       VARCHAR NOT NULL, -- 필기, 실기 or 전체
    year        INTEGER NOT NULL,
    round       INTEGER NOT NULL,
    applicants  BIGINT,
    examinees   BIGINT,
    passers     BIGINT,
    pass_rate   DOUBLE,           -- percent, one decimal
    quality     VARCHAR,
    source      VARCHAR,
    synthetic   BOOLEAN,
    as_of       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (exam, stage, year, round)
);

-- One row per load of a trends or certification batch (the postings have
-- staging.recruit_loads). Loading the same batch again replaces its row.
CREATE TABLE IF NOT EXISTS staging.indicator_loads (
    source      VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL,
    batch       VARCHAR NOT NULL, -- hash of the batch's objects
    window_from TIMESTAMPTZ,
    window_to   TIMESTAMPTZ,
    objects     VARCHAR[],
    rows        BIGINT,
    inserted    BIGINT,
    updated     BIGINT,
    unchanged   BIGINT,
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, run_id, batch)
);
