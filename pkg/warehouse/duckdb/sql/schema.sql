-- The warehouse tables for DuckDB, in the seed's four layers (same names as
-- its BigQuery datasets). Idempotent: run by Warehouse.Ensure.
--   staging   every row of every batch as it arrived (+ one row per load)
--   external  one row per posting id, its newest version, open or closed
--   meta      the API's code tables (pkg/saramin/codes), see meta.go
--   core      what dashboards read: recruit, datajob and daily aggregates,
--             rebuilt for the ids and dates each load touches (load.go)
-- The posting columns follow saramin.Posting (json tag = column name), except
-- Posting.source_object (the raw page a row was parsed from), kept as
-- raw_object; source_object names the clean lake object a row was loaded from.
-- skills (the data skills the transformer found, package skills) is the last
-- column of staging.recruit and external.recruit_table.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS external;
CREATE SCHEMA IF NOT EXISTS meta;
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
    loaded_at       TIMESTAMPTZ NOT NULL,
    skills          VARCHAR[]   -- canonical names (package skills); NULL in rows written before the transformer set them
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
    loaded_at   TIMESTAMPTZ NOT NULL,
    as_of       TIMESTAMPTZ -- the warehouse clock after this load (see merge_recruit.sql)
);

-- One row per posting id: its newest version (by modified_at). Closed and
-- expired postings stay, with is_open false. The MERGE target.
-- No primary key here, nor on external.recruit_role and core.recruit: an
-- index over every id is read and rewritten by each load that inserts, a
-- cost that grows with the history, not the batch. The loads keep ids
-- unique (MERGE on id; core rebuilt by delete and insert) and check it on
-- the ids each load touches (checks_batch.sql) and on the whole warehouse
-- for loader --check (checks_core.sql). Ensure drops the keys of a file made
-- with them.
CREATE TABLE IF NOT EXISTS external.recruit_table (
    id              VARCHAR NOT NULL,
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
    last_seen_at    TIMESTAMPTZ NOT NULL, -- load that brought the kept version
    is_open         BOOLEAN     NOT NULL, -- active and not expired as of the warehouse clock
    closed_at       TIMESTAMPTZ,          -- when it closed (NULL while open)
    skills          VARCHAR[]             -- the kept version's skills
);

-- The data role of each posting's kept version (NULL: not a data job), set
-- by the classifier (package role, or a test's: Option WithClassifier).
-- Rewritten for the ids of every load. it_group is the comparison group of
-- other IT work of a posting that is not a data job (package role: backend,
-- frontend, mobile, infra, security, other_it; NULL when not IT work).
-- Ensure adds it to a file made before it existed.
CREATE TABLE IF NOT EXISTS external.recruit_role (
    id       VARCHAR NOT NULL,
    role     VARCHAR,
    it_group VARCHAR
);

-- meta: the API's code tables, loaded from pkg/saramin/codes (full load;
-- a table is replaced only when its content hash changes, see meta.go).
CREATE TABLE IF NOT EXISTS meta.versions (
    table_name VARCHAR PRIMARY KEY,
    hash       VARCHAR     NOT NULL, -- sha256 of the rows as loaded
    rows       BIGINT      NOT NULL,
    loaded_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS meta.location (
    code          VARCHAR PRIMARY KEY,
    province_code VARCHAR NOT NULL,
    province      VARCHAR NOT NULL, -- short province name, e.g. 서울
    name          VARCHAR NOT NULL, -- district name, e.g. 강남구 (서울전체 for a province row)
    full_name     VARCHAR NOT NULL, -- as the API prints it: 서울 > 강남구
    is_province   BOOLEAN NOT NULL,
    source        VARCHAR,
    note          VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.industries (
    code          VARCHAR PRIMARY KEY,
    name          VARCHAR,
    category_code VARCHAR,
    source        VARCHAR,
    note          VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.industry_categories (
    code VARCHAR PRIMARY KEY, name VARCHAR, source VARCHAR, note VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.job_mid (
    code VARCHAR PRIMARY KEY, name VARCHAR, source VARCHAR, note VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.job_codes (
    code         VARCHAR PRIMARY KEY,
    name         VARCHAR, -- NULL where the sources do not tell it
    job_mid_code VARCHAR,
    source       VARCHAR,
    note         VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.experiences (
    code VARCHAR PRIMARY KEY, name VARCHAR, source VARCHAR, note VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.education (
    code VARCHAR PRIMARY KEY, name VARCHAR, source VARCHAR, note VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.job_types (
    code VARCHAR PRIMARY KEY, name VARCHAR, source VARCHAR, note VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.salary (
    code       VARCHAR PRIMARY KEY,
    name       VARCHAR, -- NULL for codes that arrive without a name
    min_manwon BIGINT,  -- yearly band in 만원; NULL when the table gives none
    max_manwon BIGINT,  -- NULL when open-ended or not a band
    source     VARCHAR,
    note       VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.close_types (
    code VARCHAR PRIMARY KEY, name VARCHAR, source VARCHAR, note VARCHAR
);

-- core: what dashboards read. core.recruit is every posting of
-- external.recruit_table with its codes resolved through meta; it keeps the
-- posting's own columns (names overridden by meta where meta knows the code)
-- so one wide table serves Looker-style exploration.
CREATE TABLE IF NOT EXISTS core.recruit (
    id              VARCHAR NOT NULL, -- unique, without a key (see external.recruit_table)
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
    last_seen_at    TIMESTAMPTZ NOT NULL, -- load that brought the kept version
    is_open         BOOLEAN     NOT NULL, -- active and not expired as of the warehouse clock
    closed_at       TIMESTAMPTZ,          -- when it closed (NULL while open)
    regions            VARCHAR[], -- full region names in the posting's order (서울 > 강남구)
    province           VARCHAR,   -- province of the first region
    provinces          VARCHAR[], -- distinct provinces, in order of first appearance
    industry_category_code VARCHAR,
    industry_category  VARCHAR,
    experience_level   VARCHAR,   -- meta.experiences name of experience_code
    is_entry_level     BOOLEAN NOT NULL, -- open to newcomers (see core_recruit.sql)
    job_types          VARCHAR[], -- meta.job_types names of job_type_codes
    salary_band        VARCHAR,
    salary_min_manwon  BIGINT,
    salary_max_manwon  BIGINT,
    skills             VARCHAR[], -- data skills and tools named in the title, keywords and job-code names (package skills), sorted
    role               VARCHAR,   -- data role, NULL when not a data job
    is_data_role       BOOLEAN NOT NULL,
    posted_date        DATE,      -- posted_at in KST
    closed_date        DATE,      -- closed_at in KST
    it_group           VARCHAR,   -- comparison group of other IT work when role is NULL (external.recruit_role); last, as Ensure adds it to older files
    search_text        VARCHAR    -- title and company lowered, for the dashboard's search (contains on it is several times faster than matching without case); last, added by Ensure too
);

-- The data-role postings of core.recruit, same columns.
CREATE TABLE IF NOT EXISTS core.datajob AS SELECT * FROM core.recruit LIMIT 0;

-- Dashboard aggregates. Dates are KST days; role is 'all' for the whole
-- market and the data role otherwise. Rows exist only for counts > 0, except
-- open_postings_daily, which has every day from the first posting to the
-- warehouse clock for 'all'.
CREATE TABLE IF NOT EXISTS core.daily_postings (
    date DATE NOT NULL, role VARCHAR NOT NULL, postings BIGINT NOT NULL,
    PRIMARY KEY (date, role)
);
CREATE TABLE IF NOT EXISTS core.daily_by_region (
    date DATE NOT NULL, province VARCHAR NOT NULL, role VARCHAR NOT NULL, postings BIGINT NOT NULL,
    PRIMARY KEY (date, province, role)
);
CREATE TABLE IF NOT EXISTS core.daily_by_industry (
    date DATE NOT NULL, industry_category VARCHAR NOT NULL, role VARCHAR NOT NULL, postings BIGINT NOT NULL,
    PRIMARY KEY (date, industry_category, role)
);
CREATE TABLE IF NOT EXISTS core.daily_entry_level (
    date DATE NOT NULL, role VARCHAR NOT NULL, entry_level BOOLEAN NOT NULL, postings BIGINT NOT NULL,
    PRIMARY KEY (date, role, entry_level)
);
CREATE TABLE IF NOT EXISTS core.open_postings_daily (
    date DATE NOT NULL, role VARCHAR NOT NULL, open_postings BIGINT NOT NULL,
    PRIMARY KEY (date, role)
);
