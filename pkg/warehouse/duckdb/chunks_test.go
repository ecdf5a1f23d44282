package duckdb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// chunkedLake is a batch of several objects whose ids repeat across them:
// newer and older versions, and equal modification times (the later object
// wins), so chunk boundaries fall between versions of an id.
func chunkedLake() (warehousetest.Lake, []string) {
	p, base := warehousetest.Posting, warehousetest.Base
	lake := warehousetest.Lake{}
	var objects []string
	for o := range 5 {
		var rows []any
		for i := range 7 {
			id := fmt.Sprintf("%03d", (o*5+i)%20)
			title := []string{"데이터 엔지니어", "백엔드 개발자", "데이터 분석가"}[(o+i)%3]
			modified := base.Add(time.Duration((o*7+i)%4) * time.Hour)
			q := p(id, title+fmt.Sprint(o), modified, "r1")
			if i == 3 {
				q.Active = new(bool) // closed by the API
			}
			if o == 2 {
				e := base.Add(-time.Hour) // expired by the clock
				q.PostedAt, q.ExpiresAt = base.Add(-3*time.Hour), &e
			}
			rows = append(rows, q)
		}
		name := fmt.Sprintf("clean/r1/part-%d.ndjson", o)
		lake[name] = warehousetest.NDJSON(rows...)
		objects = append(objects, name)
	}
	return lake, objects
}

// A batch loaded in chunks keeps the same rows, counts and aggregates as
// one transaction does, and replaying it changes nothing.
func TestChunkedLoadKeepsWhatOneTransactionKeeps(t *testing.T) {
	t.Parallel()
	lake, objects := chunkedLake()
	b := warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: objects, Rows: 35,
		WindowFrom: warehousetest.Base.Add(-time.Hour), WindowTo: warehousetest.Base.Add(5 * time.Hour)}
	tables := []string{"staging.recruit", "staging.recruit_loads", "external.recruit_table", "external.recruit_role",
		"core.recruit", "core.datajob", "core.daily_postings", "core.daily_by_region", "core.daily_by_industry",
		"core.daily_entry_level", "core.open_postings_daily"}
	var want string
	var wantRes warehouse.Result
	for _, chunk := range []int{0, 1, 3, 8, 1000} {
		t.Run(fmt.Sprintf("chunk %d", chunk), func(t *testing.T) {
			opt, _ := clock(warehousetest.Base.Add(6 * time.Hour))
			opts := []duckdb.Option{opt}
			if chunk > 0 {
				opts = append(opts, duckdb.WithChunkRows(chunk))
			}
			w := ensured(t, opts...)
			res, err := w.LoadRecruit(ctx, b, lake)
			if err != nil {
				t.Fatal(err)
			}
			got := tableHash(t, w, tables...)
			if chunk == 0 {
				want, wantRes = got, res
				if res.Staged != 35 || res.Inserted != 20 || res.Updated+res.Unchanged != 0 {
					t.Fatalf("Result = %+v", res)
				}
				return
			}
			if got != want {
				t.Errorf("tables differ from one transaction's:\n got %s\nwant %s", got, want)
			}
			if res.Staged != wantRes.Staged || res.Inserted != wantRes.Inserted || len(res.Checks) != len(wantRes.Checks) {
				t.Errorf("Result = %+v, want %+v", res, wantRes)
			}
			before := tableHash(t, w, tables[2:]...)
			again, err := w.LoadRecruit(ctx, b, lake)
			if err != nil {
				t.Fatal(err)
			}
			if again.Unchanged != 20 || again.Inserted+again.Updated != 0 {
				t.Errorf("replay: %+v", again)
			}
			if got := tableHash(t, w, tables[2:]...); got != before {
				t.Errorf("replay changed the tables")
			}
		})
	}
}

// A large batch whose last chunk fails a check, or has a row without an
// id, or fewer rows than announced, leaves nothing behind, staging
// included.
func TestChunkedLoadFailureLeavesNothing(t *testing.T) {
	t.Parallel()
	lake, objects := chunkedLake()
	bad := warehousetest.Posting("999", "데이터 엔지니어", warehousetest.Base, "r1")
	bad.LocationCodes = []string{"999999"}
	lake["clean/r1/bad.ndjson"] = warehousetest.NDJSON(bad)
	lake["clean/r1/noid.ndjson"] = warehousetest.Lines(`{"title":"x","modified_at":"2024-05-01T10:00:00Z"}`)
	tests := []struct {
		name  string
		last  string
		rows  int
		check func(error) bool
	}{
		{"check", "clean/r1/bad.ndjson", 0, func(err error) bool {
			var cerr *warehouse.CheckError
			return errors.As(err, &cerr)
		}},
		{"invalid row", "clean/r1/noid.ndjson", 0, func(err error) bool { return errors.Is(err, warehouse.ErrInvalidRow) }},
		{"row count", "", 99, func(err error) bool { return errors.Is(err, warehouse.ErrRowCount) }},
		{"missing object", "clean/r1/absent.ndjson", 0, func(err error) bool { return err != nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := ensured(t, duckdb.WithChunkRows(4))
			objs := append([]string{}, objects...)
			if tt.last != "" {
				objs = append(objs, tt.last)
			}
			_, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: objs, Rows: tt.rows}, lake)
			if !tt.check(err) {
				t.Fatalf("err = %v", err)
			}
			for _, table := range []string{"staging.recruit", "staging.recruit_loads", "external.recruit_table", "core.recruit"} {
				if n := queryInt(t, w, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("%s holds %d rows after a failed load", table, n)
				}
			}
		})
	}
}

// Ensure drops the primary keys of a file made when external.recruit_table,
// external.recruit_role and core.recruit had them, keeping their rows, and
// loads go on.
func TestEnsureDropsOldKeys(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	lake, objects := chunkedLake()
	b := warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: objects}
	if _, err := w.LoadRecruit(ctx, b, lake); err != nil {
		t.Fatal(err)
	}
	tables := []string{"external.recruit_table", "external.recruit_role", "core.recruit"}
	before := tableHash(t, w, tables...)
	for _, table := range tables {
		var ddl string
		if err := w.DB().QueryRowContext(ctx, `SELECT sql FROM duckdb_tables() WHERE schema_name || '.' || table_name = ?`, table).Scan(&ddl); err != nil {
			t.Fatal(err)
		}
		keyed := strings.Replace(ddl, "id VARCHAR NOT NULL", "id VARCHAR PRIMARY KEY", 1)
		if keyed == ddl {
			t.Fatalf("%s: no id column in %s", table, ddl)
		}
		for _, q := range []string{"CREATE TABLE old_rows AS SELECT * FROM " + table, "DROP TABLE " + table, keyed,
			"INSERT INTO " + table + " SELECT * FROM old_rows", "DROP TABLE old_rows"} {
			if _, err := w.DB().ExecContext(ctx, q); err != nil {
				t.Fatalf("make the old layout: %s: %v", q, err)
			}
		}
	}
	if n := queryInt(t, w, `SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND table_name IN ('recruit_table', 'recruit_role', 'recruit')`); n != 3 {
		t.Fatalf("the old layout has %d keys, want 3", n)
	}
	if err := w.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, w, `SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND table_name IN ('recruit_table', 'recruit_role', 'recruit')`); n != 0 {
		t.Errorf("%d keys left after Ensure", n)
	}
	if got := tableHash(t, w, tables...); got != before {
		t.Errorf("rows changed:\n got %s\nwant %s", got, before)
	}
	b.RunID = "r2"
	if res, err := w.LoadRecruit(ctx, b, lake); err != nil || res.Unchanged != 20 {
		t.Fatalf("load after Ensure: %+v, %v", res, err)
	}
}

// A file attached with a row-group size (Settings.RowGroupSize) is cut
// into row groups of that size, keeps what a load in one transaction
// keeps, is held against other processes as any file is, and opens again
// as an ordinary warehouse file.
func TestRowGroupSize(t *testing.T) {
	t.Parallel()
	m := market{start: warehousetest.Base, perHour: 100}
	b := m.batch(0, 50) // 5,000 postings
	tables := []string{"external.recruit_table", "external.recruit_role", "core.recruit", "core.datajob",
		"core.daily_postings", "core.open_postings_daily"}
	opt, _ := clock(m.hour(50))

	one := ensured(t, opt)
	if _, err := one.LoadRecruit(ctx, b, m); err != nil {
		t.Fatal(err)
	}
	want := tableHash(t, one, tables...)

	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	w, err := duckdb.Open(ctx, path, opt, duckdb.WithChunkRows(1000),
		duckdb.WithSettings(duckdb.Settings{RowGroupSize: 2048, Threads: 1, BlockSize: 16384}))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := w.LoadRecruit(ctx, b, m); err != nil {
		t.Fatal(err)
	}
	if got := tableHash(t, w, tables...); got != want {
		t.Errorf("tables differ from one transaction's:\n got %s\nwant %s", got, want)
	}
	var groups int
	if err := w.DB().QueryRowContext(ctx, `SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('external.recruit_table')`).Scan(&groups); err != nil {
		t.Fatal(err)
	}
	if groups != 3 {
		t.Errorf("external.recruit_table has %d row groups; want 3 of at most 2,048 of its 5,000 rows", groups)
	}
	if out, err := openInChild(t, path); err == nil || !strings.Contains(string(out), "lock") {
		t.Errorf("another process opened the attached file (%v); want a lock error. Output:\n%s", err, out)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	again, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if n, err := again.CountRecruit(ctx); err != nil || n != 5000 {
		t.Errorf("CountRecruit after reopening = %d, %v; want 5000", n, err)
	}
}

// TestReadMemoryLimit: DuckDB's JSON reader takes a 32 MiB buffer whatever
// the file's size, so a limit not far above it fails every load, though
// the rest of a small load fits; ReadMemoryLimit raises the limit for the
// read alone and sets it back after, also when the read fails.
func TestReadMemoryLimit(t *testing.T) {
	t.Parallel()
	m := market{start: warehousetest.Base, perHour: 20}
	opt, _ := clock(m.hour(2))
	open := func(s duckdb.Settings) *duckdb.Warehouse {
		t.Helper()
		s.Threads, s.BlockSize = 1, 16384
		w, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "warehouse.duckdb"), opt, duckdb.WithSettings(s))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.Close() })
		if err := w.Ensure(ctx); err != nil {
			t.Fatal(err)
		}
		return w
	}

	low := open(duckdb.Settings{MemoryLimit: "40MB"})
	if _, err := low.LoadRecruit(ctx, m.batch(0, 2), m); err == nil || !strings.Contains(err.Error(), "read_json") {
		t.Fatalf("load at 40MB = %v; want the JSON reader out of memory", err)
	}

	raised := open(duckdb.Settings{MemoryLimit: "40MB", ReadMemoryLimit: "64MB"})
	broken := m.batch(0, 2)
	broken.Objects = append(broken.Objects, "clean/broken.ndjson")
	if _, err := raised.LoadRecruit(ctx, broken, withBroken{m}); err == nil || !strings.Contains(err.Error(), "read_json") {
		t.Fatalf("load of a batch with a line that is not JSON = %v; want read_json's error", err)
	}
	limitIs(t, raised, "38.1 MiB", "after a failed read")
	res, err := raised.LoadRecruit(ctx, m.batch(0, 2), m)
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 40 {
		t.Errorf("inserted %d postings; want 40", res.Inserted)
	}
	limitIs(t, raised, "38.1 MiB", "after the load")

	// Without a limit of its own, DuckDB's default stays: a read limit
	// alone would cap every later statement.
	unset := open(duckdb.Settings{ReadMemoryLimit: "64MB"})
	var before string
	if err := unset.DB().QueryRowContext(ctx, `SELECT current_setting('memory_limit')`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := unset.LoadRecruit(ctx, m.batch(0, 2), m); err != nil {
		t.Fatal(err)
	}
	limitIs(t, unset, before, "after a load without a memory limit")
}

// limitIs checks DuckDB's memory limit, as DuckDB prints it.
func limitIs(t *testing.T, w *duckdb.Warehouse, want, when string) {
	t.Helper()
	var limit string
	if err := w.DB().QueryRowContext(ctx, `SELECT current_setting('memory_limit')`).Scan(&limit); err != nil {
		t.Fatal(err)
	}
	if limit != want {
		t.Errorf("memory limit %s = %q; want %q", when, limit, want)
	}
}

// withBroken is the market's lake with an object clean/broken.ndjson whose
// line is not JSON.
type withBroken struct{ market }

func (l withBroken) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if name == "clean/broken.ndjson" {
		return io.NopCloser(strings.NewReader("not json\n")), nil
	}
	return l.market.Open(ctx, name)
}

// chunkedBatch is the market's batch of hours [from, to) in objects of
// ten hours each, as a backfill's pages come in many objects.
func (m market) chunkedBatch(from, to int) warehouse.Batch {
	b := m.batch(from, to)
	b.Objects = nil
	for h := from; h < to; h += 10 {
		b.Objects = append(b.Objects, fmt.Sprintf("clean/%d-%d", h, min(h+10, to)))
	}
	return b
}

// TestExpiredCloseInChunks: a large batch whose clock moved past the
// deadlines of many postings outside it (postings live 30 days; the second
// batch comes 40 days after the first) closes them a chunk at a time before
// it merges, and leaves the same tables as one transaction does.
func TestExpiredCloseInChunks(t *testing.T) {
	t.Parallel()
	m := market{start: warehousetest.Base, perHour: 100}
	first := m.chunkedBatch(0, 30) // 3,000 postings
	opt, _ := clock(m.hour(990))
	tables := []string{"external.recruit_table", "external.recruit_role", "core.recruit", "core.datajob",
		"core.daily_postings", "core.open_postings_daily"}
	// A large second batch (3,000 postings) and a small one (100, the
	// first after the loader stopped for weeks) each close the first
	// batch's 3,000 postings.
	for _, second := range []warehouse.Batch{m.chunkedBatch(960, 990), m.batch(989, 990)} {
		hash := func(chunk int) (string, int) {
			w := ensured(t, opt, duckdb.WithChunkRows(chunk))
			for _, b := range []warehouse.Batch{first, second} {
				if _, err := w.LoadRecruit(ctx, b, m); err != nil {
					t.Fatalf("chunks of %d: %v", chunk, err)
				}
			}
			var closed int
			if err := w.DB().QueryRowContext(ctx, `SELECT count(*) FROM core.recruit WHERE NOT is_open`).Scan(&closed); err != nil {
				t.Fatal(err)
			}
			return tableHash(t, w, tables...), closed
		}
		want, closedWhole := hash(100_000)
		got, closed := hash(700)
		if closedWhole != 3000 || closed != 3000 {
			t.Errorf("second batch of %d: closed %d postings in chunks, %d in one transaction; want the first batch's 3,000", second.Rows, closed, closedWhole)
		}
		if got != want {
			t.Errorf("second batch of %d: tables differ from one transaction's:\n got %s\nwant %s", second.Rows, got, want)
		}
	}
}

// TestRebuildInChunks: a change of the code tables rebuilds core a chunk
// of postings at a time, to the same tables as one chunk; a rebuild cut
// short records no version, so the next Ensure does it again, whole.
func TestRebuildInChunks(t *testing.T) {
	t.Parallel()
	m := market{start: warehousetest.Base, perHour: 100}
	opt, _ := clock(m.hour(20))
	tables := []string{"external.recruit_role", "core.recruit", "core.datajob", "core.daily_postings",
		"core.daily_by_region", "core.open_postings_daily"}
	build := func(chunk int) (*duckdb.Warehouse, string) {
		path := filepath.Join(t.TempDir(), "warehouse.duckdb")
		w, err := duckdb.Open(ctx, path, opt, duckdb.WithChunkRows(chunk))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Ensure(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := w.LoadRecruit(ctx, m.chunkedBatch(0, 20), m); err != nil {
			t.Fatal(err)
		}
		return w, path
	}
	// A region's name changes in the shipped tables: as a release would,
	// by the file's recorded version no longer matching, and its rows
	// differing from the shipped ones.
	stale := func(w *duckdb.Warehouse) {
		for _, q := range []string{`UPDATE meta.location SET full_name = 'old name'`,
			`UPDATE meta.versions SET hash = 'old' WHERE table_name = 'location'`} {
			if _, err := w.DB().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}

	whole, _ := build(100_000)
	want := tableHash(t, whole, tables...)
	stale(whole)
	if err := whole.RefreshMeta(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tableHash(t, whole, tables...); got != want {
		t.Fatalf("a rebuild in one chunk changed the tables:\n got %s\nwant %s", got, want)
	}

	w, path := build(300)
	stale(w)
	// Cut short: the context ends while the rebuild classifies postings.
	cut, cancel := context.WithCancel(ctx)
	calls := 0
	w.Close()
	w, err := duckdb.Open(ctx, path, opt, duckdb.WithChunkRows(300), duckdb.WithClassifier(func(title string, jobCodes, jobCodeNames, keywords, mids []string) (string, string) {
		if calls++; calls == 700 {
			cancel()
		}
		return warehouse.Classify(title, jobCodes, jobCodeNames, keywords, mids)
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.RefreshMeta(cut); err == nil {
		t.Fatal("RefreshMeta went on after its context ended")
	}
	var recorded int
	if err := w.DB().QueryRowContext(ctx, `SELECT count(*) FROM meta.versions WHERE table_name = 'location' AND hash <> 'old'`).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if recorded != 0 {
		t.Error("a rebuild cut short recorded the new version of meta.location")
	}
	w.Close()

	again, err := duckdb.Open(ctx, path, opt, duckdb.WithChunkRows(300))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := again.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tableHash(t, again, tables...); got != want {
		t.Errorf("tables after a rebuild cut short and done again differ from one chunk's:\n got %s\nwant %s", got, want)
	}
	if err := again.DB().QueryRowContext(ctx, `SELECT count(*) FROM meta.versions WHERE table_name = 'location' AND hash <> 'old'`).Scan(&recorded); err != nil || recorded != 1 {
		t.Errorf("meta.location's version recorded %d times (%v) after the rebuild; want once", recorded, err)
	}
}

// TestCompactEvery: with Settings.CompactEvery, the hourly loads' checkpoints
// leave the row groups each load starts, and the first Close a
// CompactEvery after the last compaction merges them into full ones and
// records it; the tables are those of loads checkpointed with DuckDB's
// vacuum.
func TestCompactEvery(t *testing.T) {
	t.Parallel()
	m := market{start: warehousetest.Base, perHour: 100}
	tables := []string{"external.recruit_table", "external.recruit_role", "core.recruit", "core.datajob",
		"core.daily_postings", "core.open_postings_daily"}
	settings := duckdb.Settings{RowGroupSize: 2048, Threads: 1, BlockSize: 16384}
	opt, setNow := clock(m.hour(1))
	// hourly loads hours [from, to) into the file at path, one Open, load
	// and Close each, as the loader runs, and returns the row groups of
	// core.recruit and the compactions recorded after the last.
	hourly := func(path string, s duckdb.Settings, from, to int) (groups, compactions int) {
		t.Helper()
		for h := from; h < to; h++ {
			setNow(m.hour(h + 1))
			w, err := duckdb.Open(ctx, path, opt, duckdb.WithSettings(s))
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Ensure(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := w.LoadRecruit(ctx, m.batch(h, h+1), m); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatalf("Close after hour %d: %v", h, err)
			}
		}
		w, err := duckdb.Open(ctx, path, duckdb.WithSettings(s))
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if err := w.DB().QueryRowContext(ctx, `SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('core.recruit')`).Scan(&groups); err != nil {
			t.Fatal(err)
		}
		if err := w.DB().QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'ops' AND table_name = 'compactions'`).Scan(&compactions); err != nil || compactions == 0 {
			return groups, 0
		}
		if err := w.DB().QueryRowContext(ctx, `SELECT count(*) FROM ops.compactions`).Scan(&compactions); err != nil {
			t.Fatal(err)
		}
		return groups, compactions
	}

	vacuumed := filepath.Join(t.TempDir(), "vacuumed.duckdb")
	hourly(vacuumed, settings, 0, 12)
	w, err := duckdb.Open(ctx, vacuumed)
	if err != nil {
		t.Fatal(err)
	}
	want := tableHash(t, w, tables...)
	w.Close()

	compacted := settings
	compacted.CompactEvery = 10 * time.Hour
	path := filepath.Join(t.TempDir(), "compacted.duckdb")
	// The first Close compacts (none recorded yet); the next nine do not,
	// and each hour's 100 postings stay in a row group of their own.
	groups, n := hourly(path, compacted, 0, 10)
	if n != 1 {
		t.Errorf("%d compactions recorded after 10 hourly loads in 10 hours; want 1, by the first", n)
	}
	if groups < 9 {
		t.Errorf("core.recruit has %d row groups after 10 hourly loads without vacuum; want one per load", groups)
	}
	// The 11th hour's Close is 10 hours after the first compaction. (The
	// Opens that count row groups load nothing, so their Closes, by the
	// wall clock, do not compact.)
	groups, n = hourly(path, compacted, 10, 12)
	if n != 2 {
		t.Errorf("%d compactions recorded after 12 hourly loads; want 2", n)
	}
	if groups != 2 {
		t.Errorf("core.recruit has %d row groups after the compaction; want 2: the 1,100 rows compacted at the 11th hour in one, the 12th hour's in its own", groups)
	}
	w, err = duckdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if got := tableHash(t, w, tables...); got != want {
		t.Errorf("tables differ from those of loads checkpointed with vacuum:\n got %s\nwant %s", got, want)
	}
}

// TestStorageVersion: a warehouse file is written in a storage format that
// records each row group's metadata blocks (storageVersion), whether Open
// makes it or attaches it with a row-group size, as the loader does, and
// then also when it finds it in DuckDB's older default format.
func TestStorageVersion(t *testing.T) {
	t.Parallel()
	version := func(path string) string {
		t.Helper()
		db, err := sql.Open("duckdb", path+"?access_mode=read_only")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var v string
		if err := db.QueryRowContext(ctx, `SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	open := func(path string, s duckdb.Settings) {
		t.Helper()
		w, err := duckdb.Open(ctx, path, duckdb.WithSettings(s))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Ensure(ctx); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	older := func() string {
		t.Helper()
		path := filepath.Join(t.TempDir(), "older.duckdb")
		db, err := sql.Open("duckdb", path+"?storage_compatibility_version=v1.0.0")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, `CREATE TABLE t AS SELECT 1 AS x`); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if path := older(); version(path) != "v1.0.0+" {
		t.Fatalf("the older file is in format %q; want v1.0.0+", version(path))
	}
	for _, tc := range []struct {
		name, path string
		settings   duckdb.Settings
	}{
		{"new", filepath.Join(t.TempDir(), "new.duckdb"), duckdb.DefaultSettings},
		{"new, attached", filepath.Join(t.TempDir(), "attached.duckdb"), duckdb.Settings{RowGroupSize: 2048, Threads: 1}},
		{"older, attached", older(), duckdb.Settings{RowGroupSize: 2048, Threads: 1}},
	} {
		open(tc.path, tc.settings)
		if got := version(tc.path); got != "v1.4.0+" {
			t.Errorf("%s: file in format %q; want v1.4.0+", tc.name, got)
		}
	}
}
