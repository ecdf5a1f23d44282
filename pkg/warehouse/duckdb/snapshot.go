package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"jobpulse/pkg/source"
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
var snapshotQueries = struct{ postings, postingCounts, open, trends, certs, facts string }{
	// One row per posting with a posting day, by day: the day as days
	// since 1970-01-01; entry level; days open, to the close or, for a
	// posting still open, to the warehouse clock's KST day (the newest
	// load's as_of; without loads, the newest time a posting was seen);
	// how many regions and skills it lists; and its text (role, province,
	// industry category, industry, experience level, how it ended, its
	// regions and its skills) as one value, fields parted by U+001F and the
	// items of a list by U+001E, NULL as empty (concat's): one string to
	// read per posting rather than one per field (postingRows reads it).
	postings: `WITH clock AS (
	   SELECT CAST(timezone('Asia/Seoul', coalesce((SELECT max(as_of) FROM src.staging.recruit_loads),
	          (SELECT max(loaded_at) FROM src.staging.recruit_loads), (SELECT max(last_seen_at) FROM src.core.recruit))) AS DATE) AS today)
	 SELECT CAST(posted_date - DATE '1970-01-01' AS INTEGER), coalesce(is_entry_level, false),
	        greatest(0, date_diff('day', posted_date, coalesce(closed_date, today, posted_date))),
	        coalesce(len(regions), 0), coalesce(len(skills), 0),
	        concat(coalesce(role, it_group, 'other'), chr(31), province, chr(31), industry_category, chr(31), industry_name, chr(31),
	               ` + warehouse.ExperienceSQL + `, chr(31), ` + warehouse.LifetimeEndSQL + `, chr(31),
	               array_to_string(regions, chr(30)), chr(31), array_to_string(skills, chr(30)))
	 FROM src.core.recruit, clock WHERE posted_date IS NOT NULL ORDER BY posted_date`,
	// How many postings there are, and about how many regions and skills
	// they list (room to make).
	postingCounts: `SELECT count(*), CAST(coalesce(sum(greatest(coalesce(len(regions), 0), 1)), 0) AS BIGINT),
	        CAST(coalesce(sum(len(skills)), 0) AS BIGINT)
	 FROM src.core.recruit WHERE posted_date IS NOT NULL`,
	open:   `SELECT date, role, open_postings FROM src.core.open_postings_daily`,
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

// Snapshot reads the dashboard's aggregates from the file, passing each
// posting to sink.
func (s *FileSnapshotter) Snapshot(ctx context.Context, sink warehouse.PostingSink) (snap *warehouse.Snapshot, err error) {
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
	if err := readPostings(ctx, tx, sink); err != nil {
		return nil, fmt.Errorf("snapshot: postings: %w", err)
	}
	snap = &warehouse.Snapshot{Loaded: map[source.Source]time.Time{}}
	q := snapshotQueries
	err = scanAll(ctx, tx, q.open, func(r *sql.Rows) error {
		var o warehouse.OpenRow
		err := r.Scan(&o.Date, &o.Role, &o.Open)
		snap.Open = append(snap.Open, o)
		return err
	})
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
	for src, t := range map[source.Source]sql.NullTime{source.Saramin: sar, source.Trends: tr, source.Cert: ce} {
		if t.Valid {
			snap.Loaded[src] = t.Time.UTC()
		}
	}
	return snap, nil
}

// readPostings passes the postings to sink, by day. The rows are scanned
// on one goroutine and read and handed to sink on this one, a batch at a
// time, so that the driver's work and the sink's overlap.
func readPostings(ctx context.Context, tx *sql.Tx, sink warehouse.PostingSink) error {
	var n, regions, skills int64
	if err := tx.QueryRowContext(ctx, snapshotQueries.postingCounts).Scan(&n, &regions, &skills); err != nil {
		return err
	}
	sink.Expect(int(n), int(regions), int(skills))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Batches go back to the scanner once read: a few in all.
	batches, free := make(chan []scannedPosting, 2), make(chan []scannedPosting, 4)
	scanned := make(chan error, 1)
	go func() {
		defer close(batches)
		scanned <- scanPostings(ctx, tx, batches, free)
	}()
	var r postingRows
	var err error
	for batch := range batches {
		for i := range batch {
			if err != nil {
				break // drained, so that the scan ends
			}
			row := &batch[i]
			if err = r.read(row.day, row.entry, row.open, row.regions, row.skills, row.text); err == nil {
				err = sink.Posting(&r.p)
			}
		}
		if err != nil {
			cancel()
		}
		select {
		case free <- batch[:0]:
		default:
		}
	}
	if serr := <-scanned; err == nil {
		err = serr
	}
	return err
}

// scannedPosting is a row of snapshotQueries.postings as the driver gives
// it (any: no conversion per value).
type scannedPosting struct{ day, entry, open, regions, skills, text any }

// scanPostings sends the rows of snapshotQueries.postings in batches,
// taking the batches read back from free.
func scanPostings(ctx context.Context, tx *sql.Tx, batches chan<- []scannedPosting, free <-chan []scannedPosting) error {
	const size = 1024
	next := func() []scannedPosting {
		select {
		case b := <-free:
			return b
		default:
			return make([]scannedPosting, 0, size)
		}
	}
	batch := next()
	err := scanAll(ctx, tx, snapshotQueries.postings, func(rows *sql.Rows) error {
		batch = append(batch, scannedPosting{})
		row := &batch[len(batch)-1]
		if err := rows.Scan(&row.day, &row.entry, &row.open, &row.regions, &row.skills, &row.text); err != nil {
			return err
		}
		if len(batch) == size {
			select {
			case batches <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = next()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		select {
		case batches <- batch:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	return err
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

// postingRows reads the rows of snapshotQueries.postings into p, its
// text split in place (p's strings share it; its slices are reused).
type postingRows struct {
	p       warehouse.SnapshotPosting
	regions []string // the posting's regions' full names, each once
}

func (r *postingRows) read(day, entry, days, regions, skills, text any) error {
	d, ok1 := day.(int32)
	e, ok2 := entry.(bool)
	n, ok3 := days.(int64)
	nr, ok4 := regions.(int64)
	ns, ok5 := skills.(int64)
	t, ok6 := text.(string)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 {
		return fmt.Errorf("posting row of types %T %T %T %T %T %T", day, entry, days, regions, skills, text)
	}
	var f [8]string
	for i := range len(f) - 1 {
		var ok bool
		if f[i], t, ok = strings.Cut(t, "\x1f"); !ok {
			return fmt.Errorf("posting row of %d fields, want %d", i+1, len(f))
		}
	}
	f[7] = t
	if strings.Contains(t, "\x1f") {
		return fmt.Errorf("posting row of more than %d fields: a value holds U+001F", len(f))
	}
	p := &r.p
	p.Date = time.Unix(int64(d)*86400, 0).UTC()
	p.Entry, p.Days = e, n
	p.Role, p.Province, p.Industry, p.IndustryDetail, p.Experience, p.Ended = f[0], f[1], f[2], f[3], f[4], f[5]
	if err := checkItems(f[6], nr); err != nil {
		return fmt.Errorf("posting row: regions: %w", err)
	}
	if err := checkItems(f[7], ns); err != nil {
		return fmt.Errorf("posting row: skills: %w", err)
	}
	// Each distinct region once, in the order listed; none listed: the
	// province.
	p.Regions, r.regions = p.Regions[:0], r.regions[:0]
	if nr == 0 {
		p.Regions = append(p.Regions, warehouse.SplitRegion(p.Province+" > "))
	} else {
		for name := range strings.SplitSeq(f[6], "\x1e") {
			if !slices.Contains(r.regions, name) {
				r.regions = append(r.regions, name)
				p.Regions = append(p.Regions, warehouse.SplitRegion(name))
			}
		}
	}
	p.Skills = p.Skills[:0]
	if ns > 0 {
		p.Skills = slices.AppendSeq(p.Skills, strings.SplitSeq(f[7], "\x1e"))
	}
	return nil
}

// checkItems reports a list of n items joined by U+001E that does not
// split into n: an item holds U+001E, or was NULL (array_to_string leaves
// it out; a list of one NULL reads as one empty item).
func checkItems(s string, n int64) error {
	if n == 0 {
		return nil
	}
	if got := int64(strings.Count(s, "\x1e")) + 1; got != n {
		return fmt.Errorf("%d items, want %d: one is NULL or holds U+001E", got, n)
	}
	return nil
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}
