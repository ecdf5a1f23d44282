package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"jobpulse/pkg/warehouse"
)

var _ warehouse.Snapshotter = (*FileSnapshotter)(nil)

// FileSnapshotter reads the dashboard's snapshot from a warehouse file
// without holding it: DuckDB lets one process write a file or several read
// it, never both at once, so each read attaches the file read-only for the
// moment it takes and detaches it. A read while the loader writes fails;
// the caller keeps its previous snapshot and tries again later.
type FileSnapshotter struct {
	path   string
	reader reader // the reads of postings (postings.go)
}

// NewFileSnapshotter reads the warehouse file at path.
func NewFileSnapshotter(path string) *FileSnapshotter { return &FileSnapshotter{path: path} }

// Version is the file's (and its WAL's) size and modification time.
func (s *FileSnapshotter) Version(context.Context) (string, error) {
	var parts []string
	for _, p := range []string{s.path, s.path + ".wal"} {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) && p != s.path {
			continue
		}
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("no warehouse at %s: set DUCKDB_PATH to the loader's, or load one first (make demo does)", s.path)
		}
		if err != nil {
			return "", fmt.Errorf("warehouse file: %w", err)
		}
		parts = append(parts, fmt.Sprintf("%d@%d", fi.Size(), fi.ModTime().UnixNano()))
	}
	return strings.Join(parts, ","), nil
}

// snapshotQueries read the Snapshot (BigQuery: ../bigquery/snapshot.go).
var snapshotQueries = struct{ detail, skills, open, lifetime, trends, certs, facts string }{
	// One row per posting and distinct region it lists (one row with its
	// province, if any, and no district for a posting that lists none);
	// is_primary marks its first region, province_first its first region
	// in each province. List functions rather than windows over postings:
	// as fast as one row per posting.
	detail: `WITH r AS (
	   SELECT posted_date, coalesce(role, it_group, 'other') AS role, coalesce(is_entry_level, false) AS entry,
	          coalesce(industry_category, '') AS industry, coalesce(industry_name, '') AS industry_detail,
	          CASE WHEN len(regions) > 0 THEN list_filter(regions, (x, i) -> list_position(regions, x) = i)
	               ELSE [coalesce(province, '') || ' > '] END AS regs,
	          ` + warehouse.ExperienceSQL + ` AS experience
	   FROM src.core.recruit WHERE posted_date IS NOT NULL),
	 p AS (
	   SELECT *, list_transform(regs, x -> CASE WHEN x LIKE '% > %' THEN split_part(x, ' > ', 1) ELSE '' END) AS provs FROM r),
	 u AS (
	   SELECT posted_date, role, entry, industry, industry_detail, provs, experience,
	          unnest(regs) AS region, unnest(range(1, len(regs) + 1)) AS i FROM p)
	 SELECT posted_date, role, entry, provs[i],
	        CASE WHEN region LIKE '% > %' THEN split_part(region, ' > ', 2) ELSE '' END,
	        industry, industry_detail, i = 1, list_position(provs, provs[i]) = i, experience, count(*)
	 FROM u GROUP BY ALL`,
	skills: `SELECT posted_date, coalesce(role, it_group, 'other'), coalesce(is_entry_level, false), coalesce(province, ''),
	        coalesce(industry_category, ''), skill, ` + warehouse.ExperienceSQL + `, count(*)
	 FROM (SELECT *, unnest(skills) AS skill FROM src.core.recruit WHERE posted_date IS NOT NULL)
	 GROUP BY ALL`,
	open: `SELECT date, role, open_postings FROM src.core.open_postings_daily`,
	// Days open to the close, or for a posting still open to the warehouse
	// clock's KST day (the newest load's as_of; without loads, the newest
	// time a posting was seen).
	lifetime: `WITH clock AS (
	   SELECT CAST(timezone('Asia/Seoul', coalesce((SELECT max(as_of) FROM src.staging.recruit_loads),
	          (SELECT max(loaded_at) FROM src.staging.recruit_loads), (SELECT max(last_seen_at) FROM src.core.recruit))) AS DATE) AS today)
	 SELECT posted_date, coalesce(role, it_group, 'other'), coalesce(is_entry_level, false), coalesce(province, ''),
	        coalesce(industry_category, ''), ` + warehouse.ExperienceSQL + `,
	        greatest(0, date_diff('day', posted_date, coalesce(closed_date, today, posted_date))),
	        ` + warehouse.LifetimeEndSQL + `, count(*)
	 FROM src.core.recruit, clock WHERE posted_date IS NOT NULL GROUP BY ALL`,
	trends: `SELECT keyword, period, interest_scaled, coalesce(is_partial, true), coalesce(anchor, '') FROM src.core.google_trend`,
	certs: `SELECT exam, stage, year, round, applicants, examinees, passers, pass_rate, coalesce(quality, ''), coalesce(source, ''),
	        coalesce(synthetic, false) FROM src.core.certification`,
	facts: `SELECT (SELECT count(*) FROM src.core.recruit), (SELECT coalesce(bool_or(synthetic), false) FROM src.core.recruit),
	        (SELECT max(loaded_at) FROM src.staging.recruit_loads),
	        (SELECT max(loaded_at) FROM src.staging.indicator_loads WHERE source = 'trends'),
	        (SELECT max(loaded_at) FROM src.staging.indicator_loads WHERE source = 'cert'),
	        coalesce((SELECT max(as_of) FROM src.staging.recruit_loads), (SELECT max(loaded_at) FROM src.staging.recruit_loads),
	                 (SELECT max(last_seen_at) FROM src.core.recruit))`,
}

// Snapshot reads the dashboard's aggregates from the file.
func (s *FileSnapshotter) Snapshot(ctx context.Context) (snap *warehouse.Snapshot, err error) {
	if _, err := s.Version(ctx); err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the attachment lives with the connection
	attach := `ATTACH '` + strings.ReplaceAll(s.path, `'`, `''`) + `' AS src (READ_ONLY)`
	if _, err := db.ExecContext(ctx, attach); err != nil {
		return nil, fmt.Errorf("snapshot: read %s: %w", s.path, err)
	}
	defer func() {
		if _, derr := db.ExecContext(context.WithoutCancel(ctx), `DETACH src`); derr != nil && err == nil {
			err = fmt.Errorf("snapshot: detach %s: %w", s.path, derr)
		}
	}()
	// One transaction: every table is read as of the same moment.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	defer tx.Rollback()
	snap = &warehouse.Snapshot{Loaded: map[string]time.Time{}}
	q := snapshotQueries
	err = scanAll(ctx, tx, q.detail, func(r *sql.Rows) error {
		var d warehouse.DetailRow
		err := r.Scan(&d.Date, &d.Role, &d.Entry, &d.Province, &d.District, &d.Industry, &d.IndustryDetail, &d.Primary, &d.ProvinceFirst, &d.Experience, &d.Postings)
		snap.Detail = append(snap.Detail, d)
		return err
	})
	if err == nil {
		err = scanAll(ctx, tx, q.skills, func(r *sql.Rows) error {
			var k warehouse.SkillRow
			err := r.Scan(&k.Date, &k.Role, &k.Entry, &k.Province, &k.Industry, &k.Skill, &k.Experience, &k.Postings)
			snap.Skills = append(snap.Skills, k)
			return err
		})
	}
	if err == nil {
		err = scanAll(ctx, tx, q.open, func(r *sql.Rows) error {
			var o warehouse.OpenRow
			err := r.Scan(&o.Date, &o.Role, &o.Open)
			snap.Open = append(snap.Open, o)
			return err
		})
	}
	if err == nil {
		err = scanAll(ctx, tx, q.lifetime, func(r *sql.Rows) error {
			var l warehouse.LifetimeRow
			err := r.Scan(&l.Date, &l.Role, &l.Entry, &l.Province, &l.Industry, &l.Experience, &l.Days, &l.Ended, &l.Postings)
			snap.Lifetime = append(snap.Lifetime, l)
			return err
		})
	}
	if err == nil {
		err = scanAll(ctx, tx, q.trends, func(r *sql.Rows) error {
			var t warehouse.TrendRow
			var v sql.NullFloat64
			err := r.Scan(&t.Keyword, &t.Period, &v, &t.Partial, &t.Anchor)
			if v.Valid {
				t.Interest = &v.Float64
			}
			snap.Trends = append(snap.Trends, t)
			return err
		})
	}
	if err == nil {
		err = scanAll(ctx, tx, q.certs, func(r *sql.Rows) error {
			var c warehouse.CertRow
			var a, e, p sql.NullInt64
			var rate sql.NullFloat64
			err := r.Scan(&c.Exam, &c.Stage, &c.Year, &c.Round, &a, &e, &p, &rate, &c.Quality, &c.Source, &c.Synthetic)
			c.Applicants, c.Examinees, c.Passers = nullInt(a), nullInt(e), nullInt(p)
			if rate.Valid {
				c.PassRate = &rate.Float64
			}
			snap.Certs = append(snap.Certs, c)
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	var sar, tr, ce, clock sql.NullTime
	if err := tx.QueryRowContext(ctx, q.facts).Scan(&snap.Postings, &snap.Synthetic, &sar, &tr, &ce, &clock); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	if clock.Valid {
		snap.Clock = clock.Time.UTC()
	}
	for src, t := range map[string]sql.NullTime{"saramin": sar, "trends": tr, "cert": ce} {
		if t.Valid {
			snap.Loaded[src] = t.Time.UTC()
		}
	}
	return snap, nil
}

func scanAll(ctx context.Context, tx *sql.Tx, q string, scan func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}
