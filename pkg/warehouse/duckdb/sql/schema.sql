-- Recruit tables for DuckDB. Idempotent: run by Warehouse.Ensure.
-- The posting columns follow saramin.Posting (json tag = column name), except
-- Posting.source_object (the raw page a row was parsed from), kept as
-- raw_object; source_object names the clean lake object a row was loaded from.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;

-- Every row of every batch as it arrived. No key: duplicates are kept.
CREATE TABLE IF NOT EXISTS staging.recruit (
    id              VARCHAR,
    url             VARCHAR,
    active          BOOLEAN,
    company_name    VARCHAR,
    company_href    VARCHAR,
    title           VARCHAR,
    industry_code   VARCHAR,
    industry_name   VARCHAR,
    location_codes  VARCHAR[],
    location_names  VARCHAR[],
    job_type_codes  VARCHAR[],
    job_type_names  VARCHAR[],
    job_mid_codes   VARCHAR[],
    job_mid_names   VARCHAR[],
    job_codes       VARCHAR[],
    job_code_names  VARCHAR[],
    experience_code BIGINT,
    experience_min  BIGINT,
    experience_max  BIGINT,
    experience_name VARCHAR,
    education_code  VARCHAR,
    education_name  VARCHAR,
    keywords        VARCHAR[],
    salary_code     VARCHAR,
    salary_name     VARCHAR,
    posted_at       TIMESTAMPTZ,
    modified_at     TIMESTAMPTZ,
    opening_at      TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ,
    close_type_code VARCHAR,
    close_type_name VARCHAR,
    read_count      BIGINT,
    apply_count     BIGINT,
    synthetic       BOOLEAN,
    extra           JSON,
    raw_object      VARCHAR,
    run_id          VARCHAR     NOT NULL,
    source_object   VARCHAR     NOT NULL,
    source_line     BIGINT      NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL
);

-- One row per load of a run: what was asked and what happened. Reloading a
-- run replaces its row. Shows which windows the warehouse covers.
CREATE TABLE IF NOT EXISTS staging.recruit_loads (
    run_id      VARCHAR PRIMARY KEY,
    source      VARCHAR,
    window_from TIMESTAMPTZ,
    window_to   TIMESTAMPTZ,
    objects     VARCHAR[],
    rows        BIGINT,
    staged      BIGINT,
    inserted    BIGINT,
    updated     BIGINT,
    unchanged   BIGINT,
    loaded_at   TIMESTAMPTZ NOT NULL
);

-- One row per posting: its newest version (by modified_at).
CREATE TABLE IF NOT EXISTS core.recruit (
    id              VARCHAR PRIMARY KEY,
    url             VARCHAR,
    active          BOOLEAN,
    company_name    VARCHAR,
    company_href    VARCHAR,
    title           VARCHAR,
    industry_code   VARCHAR,
    industry_name   VARCHAR,
    location_codes  VARCHAR[],
    location_names  VARCHAR[],
    job_type_codes  VARCHAR[],
    job_type_names  VARCHAR[],
    job_mid_codes   VARCHAR[],
    job_mid_names   VARCHAR[],
    job_codes       VARCHAR[],
    job_code_names  VARCHAR[],
    experience_code BIGINT,
    experience_min  BIGINT,
    experience_max  BIGINT,
    experience_name VARCHAR,
    education_code  VARCHAR,
    education_name  VARCHAR,
    keywords        VARCHAR[],
    salary_code     VARCHAR,
    salary_name     VARCHAR,
    posted_at       TIMESTAMPTZ,
    modified_at     TIMESTAMPTZ NOT NULL,
    opening_at      TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ,
    close_type_code VARCHAR,
    close_type_name VARCHAR,
    read_count      BIGINT,
    apply_count     BIGINT,
    synthetic       BOOLEAN,
    extra           JSON,
    raw_object      VARCHAR,
    run_id          VARCHAR     NOT NULL, -- run whose version is kept
    source_object   VARCHAR     NOT NULL, -- clean object it was loaded from
    first_seen_at   TIMESTAMPTZ NOT NULL, -- first load that carried the id
    last_seen_at    TIMESTAMPTZ NOT NULL  -- load that brought the kept version
);
