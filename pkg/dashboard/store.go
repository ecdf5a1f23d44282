package dashboard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // database/sql driver "duckdb"
)

// Store answers the dashboard's queries from an in-memory snapshot of the
// warehouse's aggregates. DuckDB lets one process write a database file or
// several read it, never both at once, so the dashboard does not hold the
// loader's file open: it copies what it shows into memory, and copies again
// when the file changes. A copy that fails (the loader is writing) keeps
// the previous one and is tried again at the next refresh.
type Store struct {
	path string
	db   *sql.DB
	log  *slog.Logger

	mu      sync.Mutex // one refresh at a time
	stamp   string     // the file's size and time when last copied
	copied  time.Time
	hasData bool
	meta    *Meta // the snapshot's facts, read on first use
}

// OpenStore opens an in-memory database for the snapshots of the DuckDB
// file at path. Call Refresh to take the first.
func OpenStore(path string, log *slog.Logger) (*Store, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("dashboard: open snapshot database: %w", err)
	}
	// One connection: the in-memory database lives with it, and the
	// queries are small.
	db.SetMaxOpenConns(1)
	return &Store{path: path, db: db, log: log}, nil
}

// Close releases the snapshot.
func (s *Store) Close() error { return s.db.Close() }

// snapshotSQL copies what the dashboard shows. cube holds every new posting
// per KST day by role, entry level, province and industry, so that any
// combination of the filters is one small GROUP BY.
var snapshotSQL = []string{
	`CREATE OR REPLACE TABLE cube AS
	 SELECT posted_date AS date, coalesce(role, 'other') AS role, is_entry_level AS entry,
	        coalesce(province, '') AS province, coalesce(industry_category, '') AS industry, count(*) AS postings
	 FROM src.core.recruit WHERE posted_date IS NOT NULL GROUP BY ALL`,
	// Open postings every day of the whole market, for each data role (0
	// where the warehouse keeps no row) and for the rest of the market (the
	// difference).
	`CREATE OR REPLACE TABLE open_daily AS
	 WITH o AS (SELECT date, role, open_postings FROM src.core.open_postings_daily),
	      days AS (SELECT date, open_postings AS total FROM o WHERE role = 'all'),
	      roles AS (SELECT DISTINCT role FROM o WHERE role <> 'all')
	 SELECT d.date, r.role, coalesce(o.open_postings, 0) AS open_postings
	 FROM days d CROSS JOIN roles r LEFT JOIN o ON o.date = d.date AND o.role = r.role
	 UNION ALL SELECT date, 'all', total FROM days
	 UNION ALL SELECT d.date, 'other', d.total - coalesce(sum(o.open_postings), 0)
	 FROM days d LEFT JOIN o ON o.date = d.date AND o.role <> 'all' GROUP BY d.date, d.total`,
	`CREATE OR REPLACE TABLE coverage AS
	 SELECT date_trunc('month', posted_date)::DATE AS month, count(*) AS postings
	 FROM src.core.recruit WHERE posted_date IS NOT NULL GROUP BY ALL`,
	`CREATE OR REPLACE TABLE facts AS
	 SELECT (SELECT coalesce(bool_or(synthetic), false) FROM src.core.recruit) AS synthetic,
	        (SELECT count(*) FROM src.core.recruit) AS postings,
	        (SELECT max(loaded_at) FROM src.staging.recruit_loads) AS saramin_loaded,
	        (SELECT max(loaded_at) FROM src.staging.indicator_loads WHERE source = 'trends') AS trends_loaded,
	        (SELECT max(loaded_at) FROM src.staging.indicator_loads WHERE source = 'cert') AS cert_loaded`,
	// Skills, and districts with industry details, by day like the cube.
	`CREATE OR REPLACE TABLE skills AS
	 SELECT posted_date AS date, coalesce(role, 'other') AS role, skill, count(*) AS postings
	 FROM (SELECT posted_date, role, unnest(skills) AS skill FROM src.core.recruit WHERE posted_date IS NOT NULL)
	 GROUP BY ALL`,
	`CREATE OR REPLACE TABLE detail AS
	 SELECT posted_date AS date, coalesce(role, 'other') AS role, is_entry_level AS entry,
	        coalesce(province, '') AS province,
	        coalesce(CASE WHEN regions[1] LIKE '% > %' THEN split_part(regions[1], ' > ', 2) END, '') AS district,
	        coalesce(industry_category, '') AS industry, coalesce(industry_name, '') AS industry_detail,
	        count(*) AS postings
	 FROM src.core.recruit WHERE posted_date IS NOT NULL GROUP BY ALL`,
	`CREATE OR REPLACE TABLE trend AS
	 SELECT keyword, period, interest_scaled, is_partial, synthetic FROM src.core.google_trend`,
	`CREATE OR REPLACE TABLE cert AS
	 SELECT exam, stage, year, round, applicants, examinees, passers, pass_rate, synthetic FROM src.core.certification`,
}

// Refresh copies the warehouse again if its file changed since the last
// copy. It reports whether it copied.
func (s *Store) Refresh(ctx context.Context) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stamp, err := fileStamp(s.path)
	if err != nil {
		return false, err
	}
	if stamp == s.stamp {
		return false, nil
	}
	if err := s.copy(ctx); err != nil {
		return false, err
	}
	s.stamp, s.copied, s.hasData, s.meta = stamp, time.Now(), true, nil
	return true, nil
}

func (s *Store) copy(ctx context.Context) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("dashboard: snapshot: %w", err)
	}
	defer conn.Close()
	attach := `ATTACH '` + strings.ReplaceAll(s.path, `'`, `''`) + `' AS src (READ_ONLY)`
	if _, err := conn.ExecContext(ctx, attach); err != nil {
		return fmt.Errorf("dashboard: read %s: %w", s.path, err)
	}
	defer func() {
		if _, derr := conn.ExecContext(context.WithoutCancel(ctx), `DETACH src`); derr != nil && err == nil {
			err = fmt.Errorf("dashboard: detach: %w", derr)
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("dashboard: snapshot: %w", err)
	}
	defer tx.Rollback()
	for _, q := range snapshotSQL {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("dashboard: snapshot: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("dashboard: snapshot: %w", err)
	}
	return nil
}

// Watch refreshes every interval until ctx ends, logging what it copies
// and why a copy failed.
func (s *Store) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		began := time.Now()
		copied, err := s.Refresh(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("warehouse snapshot not refreshed; the previous one stays", "error", err)
		case copied:
			s.log.Info("warehouse snapshot refreshed", "took", time.Since(began).Round(time.Millisecond).String())
		}
	}
}

// Ready reports whether a snapshot exists.
func (s *Store) Ready() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hasData
}

// fileStamp identifies a version of the database file (and its WAL).
func fileStamp(path string) (string, error) {
	var parts []string
	for _, p := range []string{path, path + ".wal"} {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) && p != path {
			continue
		}
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("dashboard: no warehouse at %s: set DUCKDB_PATH to the loader's, or load one first (make demo does)", path)
		}
		if err != nil {
			return "", fmt.Errorf("dashboard: warehouse file: %w", err)
		}
		parts = append(parts, fmt.Sprintf("%d@%d", fi.Size(), fi.ModTime().UnixNano()))
	}
	return strings.Join(parts, ","), nil
}
