package duckdb_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

func newMemory(t *testing.T, opts ...duckdb.Option) *duckdb.Warehouse {
	t.Helper()
	w, err := duckdb.Open(context.Background(), "", opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return w
}

func TestContract(t *testing.T) {
	t.Parallel()
	warehousetest.RunContract(t, func(t *testing.T) warehouse.Warehouse { return newMemory(t) }, warehousetest.Inspect{
		Count: func(t *testing.T, w warehouse.Warehouse, table, where string) int64 {
			q := "SELECT count(*) FROM " + table
			if where != "" {
				q += " WHERE " + where
			}
			return int64(queryInt(t, w.(*duckdb.Warehouse), q))
		},
		Fingerprint: func(t *testing.T, w warehouse.Warehouse, tables ...string) string {
			return tableHash(t, w.(*duckdb.Warehouse), tables...)
		},
	})
}

var ctx = context.Background()

// clock returns a WithClock option whose time the test sets.
func clock(t0 time.Time) (duckdb.Option, func(time.Time)) {
	var mu sync.Mutex
	now := t0
	return duckdb.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }),
		func(t time.Time) { mu.Lock(); defer mu.Unlock(); now = t }
}

func ensured(t *testing.T, opts ...duckdb.Option) *duckdb.Warehouse {
	t.Helper()
	w := newMemory(t, opts...)
	if err := w.Ensure(ctx); err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	return w
}

// ensuredFile is ensured on a warehouse file in a temporary directory,
// for the readers that attach a file (the snapshot); its path is returned
// too.
func ensuredFile(t *testing.T) (*duckdb.Warehouse, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	w, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Ensure(ctx); err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	return w, path
}

func load(t *testing.T, w *duckdb.Warehouse, lake warehousetest.Lake, run string, objects ...string) warehouse.Result {
	t.Helper()
	res, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: run, Objects: objects}, lake)
	if err != nil {
		t.Fatalf("LoadRecruit %s: %v", run, err)
	}
	return res
}

func queryInt(t *testing.T, w *duckdb.Warehouse, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.DB().QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestColumnTypes(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	tests := []struct{ table, column, want string }{
		{"staging", "location_codes", "VARCHAR[]"},
		{"staging", "modified_at", "TIMESTAMP WITH TIME ZONE"},
		{"staging", "extra", "JSON"},
		{"staging", "source_line", "BIGINT"},
		{"core", "job_code_names", "VARCHAR[]"},
		{"core", "keywords", "VARCHAR[]"},
		{"core", "active", "BOOLEAN"},
		{"core", "read_count", "BIGINT"},
		{"core", "posted_at", "TIMESTAMP WITH TIME ZONE"},
		{"core", "first_seen_at", "TIMESTAMP WITH TIME ZONE"},
		{"core", "extra", "JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.table+"."+tc.column, func(t *testing.T) {
			var got string
			err := w.DB().QueryRowContext(ctx, `SELECT data_type FROM information_schema.columns
				WHERE table_schema = ? AND table_name = 'recruit' AND column_name = ?`, tc.table, tc.column).Scan(&got)
			if err != nil || got != tc.want {
				t.Fatalf("type = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestStagingKeepsEveryRowAndReplacesReloadedRuns(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	p := warehousetest.Posting
	lake := warehousetest.Lake{
		"r1/0": warehousetest.NDJSON(p("1", "a", warehousetest.Base, "r1"), p("1", "a", warehousetest.Base, "r1"), p("2", "b", warehousetest.Base, "r1")),
		"r2/0": warehousetest.NDJSON(p("2", "b2", warehousetest.Base.Add(time.Hour), "r2")),
	}
	load(t, w, lake, "r1", "r1/0")
	load(t, w, lake, "r2", "r2/0")
	load(t, w, lake, "r1", "r1/0")
	load(t, w, lake, "r1", "r1/0")

	tests := []struct {
		name, query string
		want        int
	}{
		{"rows of r1 once", `SELECT count(*) FROM staging.recruit WHERE run_id = 'r1'`, 3},
		{"rows of r2", `SELECT count(*) FROM staging.recruit WHERE run_id = 'r2'`, 1},
		{"lines numbered per object", `SELECT max(source_line) FROM staging.recruit WHERE source_object = 'r1/0'`, 3},
		{"one loaded_at per run", `SELECT count(DISTINCT loaded_at) FROM staging.recruit WHERE run_id = 'r1'`, 1},
		{"raw object kept", `SELECT count(*) FROM staging.recruit WHERE raw_object = 'raw/saramin/r1/page-0001.json'`, 3},
		{"one load row per run", `SELECT count(*) FROM staging.recruit_loads`, 2},
		{"load row counts", `SELECT staged * 100 + unchanged FROM staging.recruit_loads WHERE run_id = 'r1'`, 302},
		{"load row objects", `SELECT len(objects) FROM staging.recruit_loads WHERE run_id = 'r1' AND objects[1] = 'r1/0'`, 1},
		{"core kept r2's version", `SELECT count(*) FROM core.recruit WHERE id = '2' AND run_id = 'r2' AND title = 'b2'`, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := queryInt(t, w, tc.query); got != tc.want {
				t.Fatalf("%s = %d; want %d", tc.query, got, tc.want)
			}
		})
	}
}

func TestFailedLoadLeavesNoTrace(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	w := ensured(t, duckdb.WithTempDir(tmp))
	p := warehousetest.Posting
	lake := warehousetest.Lake{
		"good": warehousetest.NDJSON(p("1", "a", warehousetest.Base, "r1")),
		"bad":  warehousetest.Lines(`{"id":"2","title":"b","modified_at":"2024-05-01T10:00:00Z"}`, `{"id":`),
	}
	load(t, w, lake, "r1", "good")
	_, err := w.LoadRecruit(ctx, warehouse.Batch{RunID: "r1", Objects: []string{"good", "bad"}}, lake)
	if err == nil {
		t.Fatal("LoadRecruit with a malformed line succeeded")
	}
	if !strings.Contains(err.Error(), "load bad:") {
		t.Errorf("error %q does not name the object", err)
	}
	if got := queryInt(t, w, `SELECT count(*) FROM staging.recruit`); got != 1 {
		t.Errorf("staging rows = %d; want the 1 of the earlier load", got)
	}
	if got := queryInt(t, w, `SELECT staged FROM staging.recruit_loads WHERE run_id = 'r1'`); got != 1 {
		t.Errorf("recorded load staged = %d; want 1", got)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("temp files left behind: %v", entries)
	}
}

func TestFirstAndLastSeen(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	opt, setNow := clock(t0)
	w := ensured(t, opt)
	p := warehousetest.Posting
	base := warehousetest.Base
	lake := warehousetest.Lake{
		"v1": warehousetest.NDJSON(p("1", "v1", base, "r1")),
		"v2": warehousetest.NDJSON(p("1", "v2", base.Add(time.Hour), "r2")),
	}
	steps := []struct {
		run, object           string
		now                   time.Time
		wantFirst, wantLast   time.Time
		wantTitle, wantLoaded string
	}{
		{"r1", "v1", t0, t0, t0, "v1", "v1"},
		{"r1", "v1", t0.Add(time.Hour), t0, t0, "v1", "v1"},                        // replay: no change
		{"r2", "v2", t0.Add(2 * time.Hour), t0, t0.Add(2 * time.Hour), "v2", "v2"}, // newer version
		{"r1", "v1", t0.Add(3 * time.Hour), t0, t0.Add(2 * time.Hour), "v2", "v2"}, // older replayed late
		{"r2", "v2", t0.Add(4 * time.Hour), t0, t0.Add(2 * time.Hour), "v2", "v2"}, // same version again
	}
	for i, s := range steps {
		setNow(s.now)
		load(t, w, lake, s.run, s.object)
		r, err := w.Recruit(ctx, "1")
		if err != nil {
			t.Fatalf("step %d: Recruit: %v", i, err)
		}
		if !r.FirstSeenAt.Equal(s.wantFirst) || !r.LastSeenAt.Equal(s.wantLast) || r.Title != s.wantTitle || r.LoadedFrom != s.wantLoaded {
			t.Errorf("step %d: first %v last %v title %q from %q; want %v %v %q %q", i,
				r.FirstSeenAt, r.LastSeenAt, r.Title, r.LoadedFrom, s.wantFirst, s.wantLast, s.wantTitle, s.wantLoaded)
		}
	}
}

func TestEqualDuplicatesKeepTheLastLine(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	p := warehousetest.Posting
	base := warehousetest.Base
	lake := warehousetest.Lake{"o": warehousetest.NDJSON(p("1", "first", base, "r1"), p("1", "second", base, "r1"), p("1", "third", base, "r1"))}
	load(t, w, lake, "r1", "o")
	if r, err := w.Recruit(ctx, "1"); err != nil || r.Title != "third" {
		t.Fatalf("Recruit = %q, %v; want the last line, \"third\"", r.Title, err)
	}
}

func TestFileDatabasePersistsAndIsLocked(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	w, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := w.Ensure(ctx); err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	p := warehousetest.Posting
	load(t, w, warehousetest.Lake{"o": warehousetest.NDJSON(p("1", "a", warehousetest.Base, "r1"))}, "r1", "o")

	// Another process cannot open the file while this one holds it.
	if out, err := openInChild(t, path); err == nil {
		t.Errorf("child process opened a held file; want a lock error. Output:\n%s", out)
	} else if !strings.Contains(string(out), "lock") {
		t.Errorf("child process failed without a lock error: %v\n%s", err, out)
	}
	// In this process a second Open shares the same database instance.
	w2, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatalf("second Open in process: %v", err)
	}
	if n, err := w2.CountRecruit(ctx); err != nil || n != 1 {
		t.Errorf("second Warehouse CountRecruit = %d, %v; want 1", n, err)
	}
	if err := w2.Close(); err != nil {
		t.Fatalf("Close second: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	w, err = duckdb.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer w.Close()
	if n, err := w.CountRecruit(ctx); err != nil || n != 1 {
		t.Fatalf("CountRecruit after reopen = %d, %v; want 1", n, err)
	}
}

// openInChild runs TestChildOpen in a new process against path.
func openInChild(t *testing.T, path string) ([]byte, error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestChildOpen$", "-test.count=1")
	cmd.Env = append(os.Environ(), "WAREHOUSE_CHILD_OPEN="+path)
	return cmd.CombinedOutput()
}

// TestChildOpen is the other process of TestFileDatabasePersistsAndIsLocked.
func TestChildOpen(t *testing.T) {
	path := os.Getenv("WAREHOUSE_CHILD_OPEN")
	if path == "" {
		t.Skip("only run as a child process")
	}
	var opts []duckdb.Option
	if d, err := time.ParseDuration(os.Getenv("WAREHOUSE_CHILD_WAIT")); err == nil {
		// The parent reads "waiting" on stdout before it lets go.
		opts = append(opts, duckdb.WithLockWait(d), duckdb.WithLog(slog.New(slog.NewTextHandler(os.Stdout, nil))))
	}
	w, err := duckdb.Open(ctx, path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	w.Close()
}

// TestOpenWaitsForTheLock: with WithLockWait, another process opens the
// file once this one lets it go.
func TestOpenWaitsForTheLock(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	w, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestChildOpen$", "-test.count=1")
	// The child waits as long as the test may run: it is the parent's
	// Close, not a clock, that lets it in.
	cmd.Env = append(os.Environ(), "WAREHOUSE_CHILD_OPEN="+path, "WAREHOUSE_CHILD_WAIT=1h")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The child says when it finds the file held and starts waiting.
	lines := bufio.NewScanner(stdout)
	var out strings.Builder
	for lines.Scan() && !strings.Contains(lines.Text(), "waiting for it") {
		out.WriteString(lines.Text() + "\n")
	}
	if lines.Err() != nil || !strings.Contains(lines.Text(), "waiting for it") {
		t.Fatalf("the child never said it waits for the lock: %v\n%s%s", lines.Err(), out.String(), stderr.String())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		out.WriteString(lines.Text() + "\n")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the child did not open the file once it was free: %v\n%s%s", err, out.String(), stderr.String())
	}
	if !strings.Contains(out.String(), "warehouse file free; opened") {
		t.Errorf("the child did not say it opened the file:\n%s", out.String())
	}
}

func TestConcurrentLoads(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	p := warehousetest.Posting
	lake := warehousetest.Lake{}
	const runs = 8
	for i := range runs {
		// Every run touches id "shared" and one id of its own.
		lake[fmt.Sprint(i)] = warehousetest.NDJSON(
			p("shared", fmt.Sprint(i), warehousetest.Base.Add(time.Duration(i)*time.Minute), fmt.Sprint(i)),
			p(fmt.Sprint("own-", i), "x", warehousetest.Base, fmt.Sprint(i)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, runs)
	for i := range runs {
		wg.Go(func() {
			_, err := w.LoadRecruit(ctx, warehouse.Batch{RunID: fmt.Sprint("run-", i), Objects: []string{fmt.Sprint(i)}}, lake)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("LoadRecruit: %v", err)
		}
	}
	if n, err := w.CountRecruit(ctx); err != nil || n != runs+1 {
		t.Fatalf("CountRecruit = %d, %v; want %d", n, err, runs+1)
	}
	if r, err := w.Recruit(ctx, "shared"); err != nil || r.Title != fmt.Sprint(runs-1) {
		t.Fatalf("Recruit(shared) = %q, %v; want the newest, %q", r.Title, err, fmt.Sprint(runs-1))
	}
}

func TestCanceledContext(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	c, cancel := context.WithCancel(ctx)
	cancel()
	lake := warehousetest.Lake{"o": warehousetest.NDJSON(warehousetest.Posting("1", "a", warehousetest.Base, "r1"))}
	if _, err := w.LoadRecruit(c, warehouse.Batch{RunID: "r1", Objects: []string{"o"}}, lake); err == nil {
		t.Fatal("LoadRecruit with a canceled context succeeded")
	}
	if n, err := w.CountRecruit(ctx); err != nil || n != 0 {
		t.Fatalf("CountRecruit = %d, %v; want 0", n, err)
	}
}

// bigLake holds one object of n postings for run.
func bigLake(n int, run string, modified time.Time) warehousetest.Lake {
	var buf bytes.Buffer
	for i := range n {
		buf.Write(warehousetest.NDJSON(warehousetest.Posting(fmt.Sprintf("%08d", i), "데이터 엔지니어", modified, run)))
	}
	return warehousetest.Lake{"clean/" + run + ".ndjson": buf.Bytes()}
}

func TestLargeBatch(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("short")
	}
	w := ensured(t)
	const n = 20000
	res := load(t, w, bigLake(n, "r1", warehousetest.Base), "r1", "clean/r1.ndjson")
	if res.Staged != n || res.Inserted != n || res.Updated != 0 || res.Unchanged != 0 {
		t.Fatalf("Result = %+v", res)
	}
	if got := queryInt(t, w, `SELECT count(*) FROM staging.recruit WHERE source_line <> CAST(id AS BIGINT) + 1`); got != 0 {
		t.Fatalf("%d rows whose source_line is not their line in the file", got)
	}
}

// BenchmarkLoadRecruit loads 10k postings: into an empty core (all inserts),
// and again as a replay (all unchanged).
func BenchmarkLoadRecruit(b *testing.B) {
	const n = 10000
	lake := bigLake(n, "r1", warehousetest.Base)
	batch := warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"clean/r1.ndjson"}, Rows: n}
	open := func(b *testing.B) *duckdb.Warehouse {
		w, err := duckdb.Open(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Ensure(ctx); err != nil {
			b.Fatal(err)
		}
		return w
	}
	b.Run("insert", func(b *testing.B) {
		b.SetBytes(int64(len(lake["clean/r1.ndjson"])))
		for b.Loop() {
			b.StopTimer()
			w := open(b)
			b.StartTimer()
			if _, err := w.LoadRecruit(ctx, batch, lake); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			w.Close()
			b.StartTimer()
		}
	})
	b.Run("replay", func(b *testing.B) {
		w := open(b)
		defer w.Close()
		if _, err := w.LoadRecruit(ctx, batch, lake); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(lake["clean/r1.ndjson"])))
		for b.Loop() {
			if _, err := w.LoadRecruit(ctx, batch, lake); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestEveryPostingFieldHasAColumn catches a field added to saramin.Posting
// but not to the tables (and so silently dropped by read_json).
func TestEveryPostingFieldHasAColumn(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	typ := reflect.TypeFor[saramin.Posting]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		switch name {
		case "source_object":
			name = "raw_object" // source_object names the clean object in the tables
		case "run_id":
			continue // the batch's run id, present under the same name
		case "-":
			continue // not written to the clean row
		}
		for _, schema := range []string{"staging", "core"} {
			n := queryInt(t, w, `SELECT count(*) FROM information_schema.columns
				WHERE table_schema = ? AND table_name = 'recruit' AND column_name = ?`, schema, name)
			if n != 1 {
				t.Errorf("%s.recruit has no column %q for Posting.%s", schema, name, typ.Field(i).Name)
			}
		}
	}
}
