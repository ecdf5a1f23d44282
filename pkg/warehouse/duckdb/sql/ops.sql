-- The pipeline's own history: one row per job execution (ops.Run).
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.runs (
    job           VARCHAR NOT NULL,
    execution     VARCHAR NOT NULL,
    run_id        VARCHAR,
    source        VARCHAR,
    window_from   TIMESTAMPTZ,
    window_to     TIMESTAMPTZ,
    count_in      BIGINT,
    count_out     BIGINT,
    checks_passed BIGINT,
    checks_failed BIGINT,
    status        VARCHAR NOT NULL,
    error         VARCHAR,
    started_at    TIMESTAMPTZ NOT NULL,
    duration_ms   BIGINT,
    PRIMARY KEY (job, execution)
);

-- The warehouse file's compactions (Settings.CompactEvery): when each was
-- done, by the loader's clock (time.Now), and how long it took.
CREATE TABLE IF NOT EXISTS ops.compactions (
    compacted_at TIMESTAMPTZ NOT NULL,
    duration_ms  BIGINT NOT NULL
);
