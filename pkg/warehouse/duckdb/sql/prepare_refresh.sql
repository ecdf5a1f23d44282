-- Work tables of one core refresh, private to the connection (and so to the
-- transaction that holds it): the posting ids to rebuild, the KST dates
-- whose aggregates to recompute, the rows they replace and the warehouse
-- clock.
CREATE OR REPLACE TEMP TABLE refresh_ids (id VARCHAR PRIMARY KEY);
CREATE OR REPLACE TEMP TABLE refresh_dates (d DATE PRIMARY KEY);
-- The refreshed ids' core rows before the refresh (collect_dates.sql), as
-- far as open_postings_daily reads them.
CREATE OR REPLACE TEMP TABLE refresh_before (id VARCHAR, posted_date DATE, closed_date DATE, role VARCHAR);
CREATE OR REPLACE TEMP TABLE refresh_clock (as_of TIMESTAMPTZ);
