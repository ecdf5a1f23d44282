-- Drop a run's staged rows before (re)loading it.
DELETE FROM staging.recruit WHERE run_id = $run_id;
