-- Work tables of one core refresh, private to the connection (and so to the
-- transaction that holds it): the posting ids to rebuild, the KST dates
-- whose aggregates to recompute, and the warehouse clock.
CREATE OR REPLACE TEMP TABLE refresh_ids (id VARCHAR PRIMARY KEY);
CREATE OR REPLACE TEMP TABLE refresh_dates (d DATE PRIMARY KEY);
CREATE OR REPLACE TEMP TABLE refresh_clock (as_of TIMESTAMPTZ);
