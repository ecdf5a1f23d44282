// Package duckdb is the embedded warehouse: warehouse.Warehouse on DuckDB, the
// default for local runs and tests. It links DuckDB through cgo, so binaries
// that only talk to BigQuery should not import it.
//
// File lock: a DuckDB file admits one process at a time. While one process
// holds it, Open in another fails with "Could not set lock on file"; the lock
// goes with Close (or the process). Run one loader at a time per file and
// close the Warehouse when done; tools that want to read (a dashboard, the
// duckdb shell) must wait, read a copy, or query through the holding process
// (Warehouse.DB). Within a process, Opens of the same file share one database
// instance; keep one Warehouse per file, which is safe for concurrent use and
// serializes its loads (DuckDB would abort conflicting write transactions).
//
// TIMESTAMPTZ has microsecond precision: sub-microsecond differences in
// modified_at compare equal (the API's times are whole seconds).
package duckdb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	"jobpulse/pkg/retry"
	"jobpulse/pkg/warehouse"
)

var _ warehouse.Warehouse = (*Warehouse)(nil)

// Warehouse is a DuckDB database holding the warehouse tables.
type Warehouse struct {
	db        *sql.DB
	connector *duckdbdriver.Connector
	now       func() time.Time
	tempDir   string
	classify  warehouse.Classifier
	path      string     // the database file ("" in memory)
	mu        sync.Mutex // serializes writes: DuckDB aborts conflicting transactions
	lockWait  time.Duration
	log       *slog.Logger // nil: Open waits for the lock silently
	settings  Settings
	chunkRows int // rows a load holds in one transaction (WithChunkRows)
	// wrote is set by a LoadRecruit that may have written: DuckDB's vacuum
	// only works on the tables a checkpoint writes, so a compaction waits
	// for a Close that has postings to write (Settings.CompactEvery).
	wrote bool
}

// Settings bound what DuckDB may use, for a job that must fit a small
// container. They are set when the database starts (DuckDB's configuration
// at open), so Opens of one file in one process must agree on them.
type Settings struct {
	// MemoryLimit caps DuckDB's buffer manager, as DuckDB writes sizes
	// ("64MB", "1GiB"); beyond it, joins, sorts and uncommitted rows spill
	// to a temporary directory beside the database file. "" keeps DuckDB's
	// default, 80% of the machine's memory.
	MemoryLimit string
	// ReadMemoryLimit is the memory limit while read_json reads a lake
	// object ("": MemoryLimit throughout; ignored without a MemoryLimit). DuckDB's JSON reader takes a
	// buffer of 32 MiB from the buffer manager whatever the file's size,
	// which the rest of a load does not need: the limit is raised for the
	// read and set back after it.
	ReadMemoryLimit string
	// Threads is how many threads run a query (0: one per core).
	Threads int
	// PreserveInsertionOrder: DuckDB's default (true) keeps rows in their
	// order through every operator, which holds more in memory. Without
	// it, staging's source_line (the line in the object, which breaks ties
	// between equal versions of a posting) is the file's order only when
	// Threads is 1.
	PreserveInsertionOrder bool
	// BlockSize is the block size of a database file Open creates, in bytes
	// (0: DuckDB's 256 KiB); a file keeps the size it was made with. Every
	// insert into a table starts a block for each of its columns (about a
	// hundred in the widest tables, lists counted with their parts): 25 MiB
	// held per table at 256 KiB, under 2 MiB at 16 KiB.
	BlockSize int
	// AllocatorFlush is DuckDB's allocator_flush_threshold and
	// allocator_bulk_deallocation_flush_threshold, as DuckDB writes sizes
	// ("1MB"): a task whose allocations peaked above it, or a bulk free
	// above it, hands the allocator's cached memory back to the system.
	// DuckDB's own (128 MB and 512 MB, "") keep up to that much resident
	// outside memory_limit.
	AllocatorFlush string
	// RowGroupSize is how many rows a row group of the file holds (0:
	// DuckDB's 122,880). A checkpoint rewrites every row group a
	// transaction appended to or changed, whole: with DuckDB's size, each
	// chunk of a backfill rewrote every table it touched, from its first
	// row, holding it in memory meanwhile. DuckDB takes the size only as an
	// option of ATTACH, and for that session only, so with it Open starts
	// an in-memory database with the other settings and attaches the file
	// to it, as the default database of every connection.
	RowGroupSize int
	// CompactEvery is how often the file is compacted: DuckDB's vacuum,
	// which merges row groups holding deleted rows, and the small row
	// groups each load's appends start, into full ones (0: at every
	// checkpoint, DuckDB's default). A vacuum examines every row group of
	// a table it changed, so at every checkpoint it made an hourly load's
	// cost grow with the warehouse: about 0.5 s of CPU at a million
	// postings. With CompactEvery, checkpoints do not vacuum
	// (max_vacuum_tasks = 0) and Close compacts when the last compaction
	// (ops.compactions, by the clock of WithClock: time.Now) is older.
	CompactEvery time.Duration
}

// attachName is the name of the warehouse file attached to an in-memory
// database (Settings.RowGroupSize).
const attachName = "warehouse"

// connector returns a connector to the database at path ("" in memory)
// with the settings s.
func (s Settings) connector(path string) (*duckdbdriver.Connector, error) {
	if s.RowGroupSize <= 0 || path == "" {
		return duckdbdriver.NewConnector(s.dsn(path), nil)
	}
	// A database file spills beside itself; an in-memory one in the
	// working directory, unless told.
	dsn := s.dsn("")
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	dsn += sep + url.Values{"temp_directory": {path + ".tmp"}}.Encode()
	attach := fmt.Sprintf("ATTACH IF NOT EXISTS %s AS %s (ROW_GROUP_SIZE %d, STORAGE_VERSION '%s')", quoteLiteral(path), attachName, s.RowGroupSize, storageVersion)
	c, err := duckdbdriver.NewConnector(dsn, func(e driver.ExecerContext) error {
		for _, q := range []string{attach, "USE " + attachName} {
			if _, err := e.ExecContext(context.Background(), q, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The file is attached by the first connection: a file another
	// process holds fails here, as it does without the option.
	conn, err := c.Connect(context.Background())
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	_ = conn.Close()
	return c, nil
}

// storageVersion is the oldest storage format a warehouse file is written
// in, which DuckDB 1.4 and later read. From it on, a row group records
// which metadata blocks it uses: with the older format (DuckDB's default
// for a new file, v1.0.0) every checkpoint read the metadata of every
// column of every row group of a table it wrote, to find them again, so
// an hourly load's closing checkpoint took longer the more postings the
// file held (about 120 ms of CPU at a million postings). A file of the
// older format that Open attaches (Settings.RowGroupSize, as the loader
// does) is written in this one from its next checkpoint; opened without a
// row-group size it keeps its format.
const storageVersion = "v1.4.0"

// joinFilterValues is DuckDB's dynamic_or_filter_threshold (its default:
// 50): a hash join whose build side has at most this many distinct keys
// filters the other side's scan by those keys, so the scan skips every row
// group whose zone map holds none of them, rather than by their minimum and
// maximum alone. An hourly load's refreshed ids (about 200: the batch's,
// at the end of the tables, and those of the postings that expired, posted
// a month earlier) span a month of rows between their minimum and maximum;
// by their values the core refresh reads a few row groups of each table.
const joinFilterValues = 1000

// quoteLiteral quotes s as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// dsn adds the settings to path as DuckDB's connection string options.
func (s Settings) dsn(path string) string {
	q := url.Values{}
	if s.MemoryLimit != "" {
		q.Set("memory_limit", s.MemoryLimit)
	}
	if s.Threads > 0 {
		q.Set("threads", strconv.Itoa(s.Threads))
	}
	if s.BlockSize > 0 {
		q.Set("default_block_size", strconv.Itoa(s.BlockSize))
	}
	if !s.PreserveInsertionOrder {
		q.Set("preserve_insertion_order", "false")
	}
	if s.CompactEvery > 0 {
		q.Set("max_vacuum_tasks", "0")
	}
	if path != "" {
		q.Set("storage_compatibility_version", storageVersion)
	}
	q.Set("dynamic_or_filter_threshold", strconv.Itoa(joinFilterValues))
	if s.AllocatorFlush != "" {
		q.Set("allocator_flush_threshold", s.AllocatorFlush)
		q.Set("allocator_bulk_deallocation_flush_threshold", s.AllocatorFlush)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// DefaultSettings are DuckDB's own: every core, 80% of memory, 256 KiB
// blocks.
var DefaultSettings = Settings{PreserveInsertionOrder: true}

// Option configures Open.
type Option func(*Warehouse)

// WithClock sets the clock that stamps loaded_at (default time.Now).
func WithClock(now func() time.Time) Option { return func(w *Warehouse) { w.now = now } }

// WithTempDir sets where lake objects are copied before DuckDB reads them
// (default os.TempDir()). It needs room for the largest object of a batch.
func WithTempDir(dir string) Option { return func(w *Warehouse) { w.tempDir = dir } }

// WithLockWait makes Open wait up to d for a file another process holds
// (default: fail at once).
func WithLockWait(d time.Duration) Option { return func(w *Warehouse) { w.lockWait = d } }

// WithLog makes Open say, once, that it is waiting for a file another
// process holds, and when it got it; and Close say when it compacted the
// file (Settings.CompactEvery).
func WithLog(log *slog.Logger) Option { return func(w *Warehouse) { w.log = log } }

// WithSettings bounds DuckDB's memory and threads (default DefaultSettings).
func WithSettings(s Settings) Option { return func(w *Warehouse) { w.settings = s } }

// isLockHeld reports DuckDB's refusal to open a file another process holds.
func isLockHeld(err error) bool { return strings.Contains(err.Error(), "Could not set lock") }

// Open opens (creating if needed) the DuckDB database at path; "" or
// ":memory:" is a private in-memory database. It does not create tables:
// call Ensure. Opening a file another process holds fails (see the package
// comment).
func Open(ctx context.Context, path string, opts ...Option) (*Warehouse, error) {
	if path == ":memory:" {
		path = ""
	}
	w := &Warehouse{now: time.Now, path: path, settings: DefaultSettings, chunkRows: DefaultChunkRows, classify: warehouse.Classify}
	for _, o := range opts {
		o(w)
	}
	// Another process holding the file (the dashboard copying it, a job
	// still closing) is waited for, when the caller allows it.
	waiting := false
	c, tries, err := retry.Do(ctx, retry.Policy{Initial: 100 * time.Millisecond, Max: 2 * time.Second, MaxElapsed: w.lockWait,
		MaxTries: map[bool]uint{true: 1, false: 0}[w.lockWait == 0], Retryable: isLockHeld},
		func() (*duckdbdriver.Connector, error) {
			c, err := w.settings.connector(path)
			if err != nil && !waiting && w.lockWait > 0 && isLockHeld(err) && w.log != nil {
				waiting = true
				w.log.Info("warehouse file held by another process; waiting for it", "path", path, "wait", w.lockWait.String())
			}
			return c, err
		})
	if err == nil && waiting {
		w.log.Info("warehouse file free; opened", "path", path, "tries", tries)
	}
	if err != nil {
		return nil, fmt.Errorf("duckdb.Open %q: %w", path, err)
	}
	w.db, w.connector = sql.OpenDB(c), c
	if err := w.db.PingContext(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("duckdb.Open %q: %w", path, err)
	}
	return w, nil
}

// DB exposes the database for read-only queries (checks, dashboards).
func (w *Warehouse) DB() *sql.DB { return w.db }

// Close closes the database, releasing the file lock; DuckDB checkpoints
// the file as it closes. When Settings.CompactEvery is set and the last
// compaction is older, Close compacts first (see compact).
func (w *Warehouse) Close() error {
	var err error
	if w.settings.CompactEvery > 0 && w.path != "" {
		if err = w.compact(context.Background()); err != nil {
			err = fmt.Errorf("%w (the loads are committed; the next close after a load compacts the file again)", err)
		}
	}
	return errors.Join(err, w.db.Close(), w.connector.Close())
}

// vacuumTasks is DuckDB's default max_vacuum_tasks, which a compaction
// restores for its checkpoint.
const vacuumTasks = 100

// vacuumingCheckpoint checkpoints with DuckDB's vacuum, which
// Settings.CompactEvery otherwise turns off, and turns it off again.
func (w *Warehouse) vacuumingCheckpoint(ctx context.Context) error {
	if _, err := w.db.ExecContext(ctx, fmt.Sprintf("SET GLOBAL max_vacuum_tasks = %d", vacuumTasks)); err != nil {
		return fmt.Errorf("vacuum on: %w", err)
	}
	_, err := w.db.ExecContext(ctx, "CHECKPOINT")
	if err != nil {
		err = fmt.Errorf("checkpoint: %w", err)
	}
	if _, offErr := w.db.ExecContext(context.WithoutCancel(ctx), "SET GLOBAL max_vacuum_tasks = 0"); offErr != nil {
		err = errors.Join(err, fmt.Errorf("vacuum off: %w", offErr))
	}
	return err
}

// compact checkpoints the file with DuckDB's vacuum when this Warehouse
// loaded postings and the last compaction recorded in ops.compactions is
// Settings.CompactEvery or more before the clock of WithClock (or after it:
// a clock set back does not hold compaction off), and records this one.
// DuckDB vacuums only the tables a checkpoint writes, so a Close without
// postings to write waits for one that has. A compaction cut short leaves
// the file as a checkpoint without vacuum would, and is done again at the
// next Close.
func (w *Warehouse) compact(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.wrote {
		return nil
	}
	if _, err := w.db.ExecContext(ctx, opsSchema); err != nil {
		return fmt.Errorf("compact: schema: %w", err)
	}
	var last sql.NullTime
	if err := w.db.QueryRowContext(ctx, `SELECT max(compacted_at) FROM ops.compactions`).Scan(&last); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	now := w.now()
	if last.Valid && !now.Before(last.Time) && now.Sub(last.Time) < w.settings.CompactEvery {
		return nil
	}
	began := time.Now()
	if err := w.vacuumingCheckpoint(ctx); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	took := time.Since(began)
	if _, err := w.db.ExecContext(ctx, `INSERT INTO ops.compactions VALUES (?, ?)`, now, took.Milliseconds()); err != nil {
		return fmt.Errorf("compact: record: %w", err)
	}
	if w.log != nil {
		w.log.Info("warehouse file compacted", "path", w.path, "took", took.String(), "every", w.settings.CompactEvery.String())
	}
	return nil
}

// layoutVersion names the warehouse layout this code makes (the schema
// files, the columns added since and the keys dropped). Ensure records it
// as the comment of external.recruit_table and, finding it there, skips
// the DDL and the checks of an older layout.
var layoutVersion = func() string {
	sum := sha256.Sum256([]byte(fmt.Sprint(schemaSQL, schemaIndicatorsSQL, addedColumns, unkeyedTables)))
	return "jobpulse layout " + hex.EncodeToString(sum[:8])
}()

// Ensure creates the schemas and tables if missing, then refreshes the meta
// tables from the code tables (see RefreshMeta). On a file that already has
// this layout (layoutVersion) it only refreshes meta.
func (w *Warehouse) Ensure(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var layout sql.NullString
	if err := w.db.QueryRowContext(ctx, `SELECT comment FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'external' AND table_name = 'recruit_table'`).Scan(&layout); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("duckdb.Ensure: %w", err)
	}
	if layout.String == layoutVersion {
		if err := w.refreshMeta(ctx, false); err != nil {
			return fmt.Errorf("duckdb.Ensure: meta: %w", err)
		}
		return nil
	}
	for _, q := range []string{schemaSQL, schemaIndicatorsSQL} {
		if _, err := w.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("duckdb.Ensure: %w", err)
		}
	}
	// CREATE TABLE IF NOT EXISTS keeps a table made by an older layout;
	// say so plainly instead of failing at the first load.
	for _, c := range []struct{ schema, table, column string }{
		{"core", "recruit", "role"},
		{"external", "recruit_table", "skills"},
	} {
		var current bool
		if err := w.db.QueryRowContext(ctx, `SELECT count(*) = 1 FROM information_schema.columns
			WHERE table_schema = ? AND table_name = ? AND column_name = ?`, c.schema, c.table, c.column).Scan(&current); err != nil {
			return fmt.Errorf("duckdb.Ensure: %w", err)
		}
		if !current {
			return fmt.Errorf("duckdb.Ensure: %q was made by an older version of the warehouse layout (%s.%s has no %s column): delete it and load again (make e2e and make demo start fresh)",
				w.path, c.schema, c.table, c.column)
		}
	}
	added, err := w.addColumns(ctx)
	if err != nil {
		return fmt.Errorf("duckdb.Ensure: %w", err)
	}
	if err := w.dropKeys(ctx); err != nil {
		return fmt.Errorf("duckdb.Ensure: %w", err)
	}
	if _, err := w.db.ExecContext(ctx, "COMMENT ON TABLE external.recruit_table IS '"+layoutVersion+"'"); err != nil {
		return fmt.Errorf("duckdb.Ensure: record the layout: %w", err)
	}
	if err := w.refreshMeta(ctx, added); err != nil {
		return fmt.Errorf("duckdb.Ensure: meta: %w", err)
	}
	return nil
}

// addedColumns are columns added to the layout after files were made with
// it; Ensure adds them to such a file (appended last, as schema.sql places
// them) and rebuilds core so they are filled.
var addedColumns = []struct{ table, column, typ string }{
	{"external.recruit_role", "it_group", "VARCHAR"},
	{"core.recruit", "it_group", "VARCHAR"},
	{"core.datajob", "it_group", "VARCHAR"},
	{"core.recruit", "search_text", "VARCHAR"},
	{"core.datajob", "search_text", "VARCHAR"},
}

// addColumns adds the missing addedColumns and reports whether it added any.
func (w *Warehouse) addColumns(ctx context.Context) (bool, error) {
	added := false
	for _, c := range addedColumns {
		schema, table, _ := strings.Cut(c.table, ".")
		var present bool
		if err := w.db.QueryRowContext(ctx, `SELECT count(*) = 1 FROM information_schema.columns
			WHERE table_schema = ? AND table_name = ? AND column_name = ?`, schema, table, c.column).Scan(&present); err != nil {
			return false, err
		}
		if present {
			continue
		}
		if _, err := w.db.ExecContext(ctx, "ALTER TABLE "+c.table+" ADD COLUMN IF NOT EXISTS "+c.column+" "+c.typ); err != nil {
			return false, fmt.Errorf("add %s.%s: %w", c.table, c.column, err)
		}
		added = true
	}
	return added, nil
}

// unkeyedTables had a primary key in files made before the key was
// dropped (schema.sql says why); Ensure remakes them without it.
var unkeyedTables = []string{"external.recruit_table", "external.recruit_role", "core.recruit"}

// dropKeys remakes the unkeyedTables that still have a primary key, with
// their rows, in one transaction.
func (w *Warehouse) dropKeys(ctx context.Context) error {
	var keyed []string
	for _, t := range unkeyedTables {
		schema, table, _ := strings.Cut(t, ".")
		var n int
		if err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_constraints()
			WHERE database_name = current_database() AND schema_name = ? AND table_name = ? AND constraint_type = 'PRIMARY KEY'`, schema, table).Scan(&n); err != nil {
			return fmt.Errorf("keys of %s: %w", t, err)
		}
		if n > 0 {
			keyed = append(keyed, t)
		}
	}
	if len(keyed) == 0 {
		return nil
	}
	return w.inTxErr(ctx, func(tx *sql.Tx) error {
		for _, t := range keyed {
			_, table, _ := strings.Cut(t, ".")
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+t+" RENAME TO "+table+"_keyed"); err != nil {
				return fmt.Errorf("drop the key of %s: %w", t, err)
			}
		}
		if _, err := tx.ExecContext(ctx, schemaSQL); err != nil { // makes them again, without the key
			return fmt.Errorf("drop the keys: %w", err)
		}
		for _, t := range keyed {
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+t+" BY NAME SELECT * FROM "+t+"_keyed; DROP TABLE "+t+"_keyed"); err != nil {
				return fmt.Errorf("drop the key of %s: %w", t, err)
			}
		}
		return nil
	})
}

// CountRecruit counts external.recruit_table (core.recruit holds the same
// ids, rebuilt in the same transaction).
func (w *Warehouse) CountRecruit(ctx context.Context) (int64, error) {
	var n int64
	if err := w.db.QueryRowContext(ctx, countRecruitSQL).Scan(&n); err != nil {
		return 0, fmt.Errorf("duckdb.CountRecruit: %w", err)
	}
	return n, nil
}

// RecruitIDs lists external.recruit_table's ids, sorted.
func (w *Warehouse) RecruitIDs(ctx context.Context) ([]string, error) {
	rows, err := w.db.QueryContext(ctx, recruitIDsSQL)
	if err != nil {
		return nil, fmt.Errorf("duckdb.RecruitIDs: %w", err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("duckdb.RecruitIDs: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("duckdb.RecruitIDs: %w", err)
	}
	return ids, nil
}

// Recruit reads one posting as loaded, from external.recruit_table (core.recruit
// replaces some names with meta's, so the posting itself is read where it
// is kept as the API gave it).
func (w *Warehouse) Recruit(ctx context.Context, id string) (warehouse.Recruit, error) {
	var (
		r                                                                                  warehouse.Recruit
		p                                                                                  = &r.Posting
		url, companyName, companyHref, industryCode, industryName                          sql.NullString
		experienceName, educationCode, educationName, salaryCode, salaryName               sql.NullString
		closeTypeCode, closeTypeName, extra, rawObject                                     sql.NullString
		title                                                                              sql.NullString
		active, synthetic                                                                  sql.NullBool
		experienceCode, experienceMin, experienceMax, readCount, applyCount                sql.NullInt64
		postedAt, openingAt, expiresAt                                                     sql.NullTime
		locationCodes, locationNames, jobTypeCodes, jobTypeNames, jobMidCodes, jobMidNames stringList
		jobCodes, jobCodeNames, keywords, skills                                           stringList
	)
	err := w.db.QueryRowContext(ctx, selectRecruitSQL, sql.Named("id", id)).Scan(
		&p.ID, &url, &active, &companyName, &companyHref, &title, &industryCode, &industryName,
		&locationCodes, &locationNames, &jobTypeCodes, &jobTypeNames,
		&jobMidCodes, &jobMidNames, &jobCodes, &jobCodeNames,
		&experienceCode, &experienceMin, &experienceMax, &experienceName,
		&educationCode, &educationName, &keywords, &salaryCode, &salaryName,
		&postedAt, &p.ModifiedAt, &openingAt, &expiresAt, &closeTypeCode, &closeTypeName,
		&readCount, &applyCount, &synthetic, &extra, &rawObject,
		&p.RunID, &r.LoadedFrom, &r.FirstSeenAt, &r.LastSeenAt, &skills,
	)
	if errors.Is(err, sql.ErrNoRows) {
		return warehouse.Recruit{}, fmt.Errorf("duckdb.Recruit %q: %w", id, warehouse.ErrNotFound)
	}
	if err != nil {
		return warehouse.Recruit{}, fmt.Errorf("duckdb.Recruit %q: %w", id, err)
	}
	p.URL, p.CompanyName, p.CompanyHref = url.String, companyName.String, companyHref.String
	p.Title, p.IndustryCode, p.IndustryName = title.String, industryCode.String, industryName.String
	p.LocationCodes, p.LocationNames = locationCodes, locationNames
	p.JobTypeCodes, p.JobTypeNames = jobTypeCodes, jobTypeNames
	p.JobMidCodes, p.JobMidNames = jobMidCodes, jobMidNames
	p.JobCodes, p.JobCodeNames, p.Keywords = jobCodes, jobCodeNames, keywords
	p.Skills = skills
	p.ExperienceName, p.EducationCode, p.EducationName = experienceName.String, educationCode.String, educationName.String
	p.SalaryCode, p.SalaryName = salaryCode.String, salaryName.String
	p.CloseTypeCode, p.CloseTypeName = closeTypeCode.String, closeTypeName.String
	p.SourceObject, p.Synthetic = rawObject.String, synthetic.Bool
	p.Active = ptr(active.Bool, active.Valid)
	p.ExperienceCode = ptr(experienceCode.Int64, experienceCode.Valid)
	p.ExperienceMin = ptr(experienceMin.Int64, experienceMin.Valid)
	p.ExperienceMax = ptr(experienceMax.Int64, experienceMax.Valid)
	p.ReadCount = ptr(readCount.Int64, readCount.Valid)
	p.ApplyCount = ptr(applyCount.Int64, applyCount.Valid)
	p.PostedAt = postedAt.Time.UTC()
	p.ModifiedAt = p.ModifiedAt.UTC()
	p.OpeningAt = ptr(openingAt.Time.UTC(), openingAt.Valid)
	p.ExpiresAt = ptr(expiresAt.Time.UTC(), expiresAt.Valid)
	if extra.Valid {
		p.Extra = json.RawMessage(extra.String)
	}
	r.FirstSeenAt, r.LastSeenAt = r.FirstSeenAt.UTC(), r.LastSeenAt.UTC()
	return r, nil
}

func ptr[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

// stringList scans a VARCHAR[] (NULL stays nil).
type stringList []string

func (l *stringList) Scan(src any) error {
	if src == nil {
		*l = nil
		return nil
	}
	items, ok := src.([]any)
	if !ok {
		return fmt.Errorf("scan list: unexpected %T", src)
	}
	out := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok && it != nil {
			return fmt.Errorf("scan list item %d: unexpected %T", i, it)
		}
		out[i] = s
	}
	*l = out
	return nil
}
