package load_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/lease"
	"jobpulse/pkg/load"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
)

type env struct {
	lake   *lake.Lake
	bus    *bus.Bus
	loader *load.Loader
	st     *gcptest.Stack
}

func setup(t *testing.T) *env {
	t.Helper()
	return setupAck(t, 0)
}

// setupAck is setup with the loader's subscription's ack deadline (0: 600 s)
// and the loader's drain keeping to it.
func setupAck(t *testing.T, deadline time.Duration) *env {
	t.Helper()
	ctx := context.Background()
	st, lk, b := gcptest.Clients(t, bus.Topology{
		Topics:        []string{"clean"},
		Subscriptions: []bus.Subscription{{ID: "loader", Topic: "clean", AckDeadline: deadline}},
	})
	wh, err := duckdb.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	l := &load.Loader{
		Cfg:  load.Config{Subscription: "loader", DrainOptions: bus.DrainOptions{PullTimeout: time.Second, EmptyPulls: 1, AckDeadline: deadline}},
		Lake: lk, Bus: b, Warehouse: wh, Now: time.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	return &env{lake: lk, bus: b, loader: l, st: st}
}

func line(id, modified string) string {
	return `{"id":"` + id + `","title":"데이터 엔지니어","posted_at":"2026-11-01T00:00:00Z","modified_at":"` + modified + `","location_codes":["101010"],"keywords":["SQL"]}` + "\n"
}

func (e *env) batch(t *testing.T, run string, lines ...string) bus.CleanBatch {
	t.Helper()
	name := "clean/saramin/recruit/dt=2026-11-25/run=" + run + "/part-00000.ndjson"
	if err := e.lake.Put(context.Background(), name, "application/x-ndjson", []byte(strings.Join(lines, ""))); err != nil {
		t.Fatal(err)
	}
	return bus.CleanBatch{Source: source.Saramin, RunID: run, Objects: []string{name}, Rows: len(lines)}
}

func (e *env) publish(t *testing.T, v any) {
	t.Helper()
	if _, err := e.bus.Publish(context.Background(), "clean", v, nil); err != nil {
		t.Fatal(err)
	}
}

func TestDuplicatesAndOrderChangeNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	newer := e.batch(t, "r2", line("1", "2026-11-25T02:00:00Z"), line("3", "2026-11-25T02:00:00Z"))
	older := e.batch(t, "r1", line("1", "2026-11-25T01:00:00Z"), line("2", "2026-11-25T01:00:00Z"))
	// The newer batch arrives first, then the older one, then both again.
	for _, m := range []bus.CleanBatch{newer, older, newer, older} {
		e.publish(t, m)
	}
	sum, err := e.loader.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Messages != 4 || sum.Inserted != 3 {
		t.Fatalf("summary %+v: want 4 messages and 3 postings inserted", sum)
	}
	n, err := e.loader.Warehouse.CountRecruit(ctx)
	if err != nil || n != 3 {
		t.Fatalf("core.recruit has %d rows (%v), want 3", n, err)
	}
	r, err := e.loader.Warehouse.Recruit(ctx, "1")
	if err != nil || !r.ModifiedAt.Equal(time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)) {
		t.Fatalf("posting 1 = %v (%v): the older version must not win", r.ModifiedAt, err)
	}
}

// Every execution leaves a run record in the lake, and the loader gathers
// the records of all jobs into ops.runs, once each however often it runs.
func TestRunsAreRecordedAndGathered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	e.loader.Execution = "exec-1"
	other := ops.Run{Job: "extractor", Execution: "x-1", RunID: "saramin-a", Status: ops.StatusFailed, Error: "quota", StartedAt: time.Now().UTC().Truncate(time.Second)}
	if err := ops.Record(ctx, e.lake, other); err != nil {
		t.Fatal(err)
	}
	e.publish(t, e.batch(t, "r1", line("1", "2026-11-25T01:00:00Z")))
	for range 2 {
		if _, err := e.loader.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := e.loader.Warehouse.(*duckdb.Warehouse).Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]ops.Run{}
	for _, r := range runs {
		byKey[r.Key()] = r
	}
	if len(runs) != 2 || byKey["extractor/x-1"].Error != "quota" {
		t.Fatalf("ops.runs: %+v", runs)
	}
	// The second execution reused the name exec-1 and so replaced the first
	// one's row: it handled nothing.
	if l := byKey["loader/exec-1"]; l.Status != ops.StatusNoData {
		t.Fatalf("loader run: %+v", l)
	}
}

func TestPoisonMessageIsQuarantined(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	e.publish(t, []string{"not", "a", "batch"})
	sum, err := e.loader.Run(ctx)
	if err != nil || sum.Poison != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	names, err := e.lake.List(ctx, "quarantine/messages/loader/")
	if err != nil || len(names) != 1 {
		t.Fatalf("quarantined messages: %v %v", names, err)
	}
}

// A batch whose file is gone fails the run (the job exits non-zero and is
// retried by Cloud Run); the message is nacked and stays on the
// subscription (in GCP its dead-letter policy parks it after five
// deliveries), and nothing is half-loaded.
func TestFailedBatchStaysOnTheSubscription(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	e.publish(t, bus.CleanBatch{Source: source.Saramin, RunID: "gone", Objects: []string{"clean/none.ndjson"}, Rows: 1})
	for i := range 3 {
		if _, err := e.loader.Run(ctx); err == nil || !strings.Contains(err.Error(), "gone") {
			t.Fatalf("run %d: loading a missing file: %v", i, err)
		}
	}
	if n, _ := e.loader.Warehouse.CountRecruit(ctx); n != 0 {
		t.Fatalf("core.recruit has %d rows after failed loads", n)
	}
	// Once the file is there, the same message loads.
	if err := e.lake.Put(ctx, "clean/none.ndjson", "application/x-ndjson", []byte(line("9", "2026-11-25T01:00:00Z"))); err != nil {
		t.Fatal(err)
	}
	if sum, err := e.loader.Run(ctx); err != nil || sum.Messages != 1 || sum.Inserted != 1 {
		t.Fatalf("after the file appeared: %+v %v", sum, err)
	}
}

func TestCheckMode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	e.loader.Execution = "check-1"
	e.loader.Cfg.CheckMaxAge = time.Hour
	// An empty warehouse has never been loaded: freshness fails.
	if _, err := e.loader.Check(ctx); !errors.Is(err, load.ErrChecksFailed) {
		t.Fatalf("empty warehouse: %v", err)
	}
	e.publish(t, e.batch(t, "r1", line("1", "2026-11-25T01:00:00Z")))
	if _, err := e.loader.Run(ctx); err != nil {
		t.Fatal(err)
	}
	checks, err := e.loader.Check(ctx)
	if err != nil || len(checks) == 0 {
		t.Fatalf("after a load: %v %+v", err, checks)
	}
	runs, err := e.loader.Warehouse.(*duckdb.Warehouse).Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range runs {
		if r.Job == "check" && r.Status == ops.StatusSucceeded && r.ChecksPassed == len(checks) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no check run in ops.runs: %+v", runs)
	}
}

// A batch whose files hold fewer rows than its message announced, or a row
// without an id, fails the same way on every retry: it is quarantined like
// a failed check, and the next batch loads.
func TestRowFailuresAreQuarantined(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	short := e.batch(t, "short", line("1", "2026-11-25T01:00:00Z"))
	short.Rows = 5
	noID := e.batch(t, "noid", `{"id":"","title":"x","posted_at":"2026-11-25T00:00:00Z","modified_at":"2026-11-25T01:00:00Z"}`+"\n")
	good := e.batch(t, "good", line("2", "2026-11-25T01:00:00Z"))
	for _, m := range []bus.CleanBatch{short, noID, good} {
		e.publish(t, m)
	}
	sum, err := e.loader.Run(ctx)
	if err != nil || sum.Quarantined != 2 || sum.Inserted != 1 {
		t.Fatalf("%+v %v: want 2 batches quarantined and the good one loaded", sum, err)
	}
	names, err := e.lake.List(ctx, "quarantine/saramin/batches/")
	if err != nil || len(names) != 2 {
		t.Fatalf("quarantined batches %v %v", names, err)
	}
}

// conflicting is a warehouse that refuses a load while another is under
// way, as BigQuery aborts one of two transactions on the same tables.
type conflicting struct {
	*duckdb.Warehouse
	mu      sync.Mutex
	running int
	loads   int
}

func (c *conflicting) LoadRecruit(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	c.mu.Lock()
	c.running++
	busy := c.running > 1
	c.mu.Unlock()
	defer func() { c.mu.Lock(); c.running--; c.mu.Unlock() }()
	if busy {
		return warehouse.Result{}, errors.New("Transaction is aborted due to concurrent update against table external.recruit_table")
	}
	c.mu.Lock()
	c.loads++
	c.mu.Unlock()
	return c.Warehouse.LoadRecruit(ctx, b, src)
}

// TestOneLoaderAtATime: 8 loader executions started at once on 8 batches
// load each batch exactly once: one holds the lease and drains, the others
// exit at once, cleanly; nothing is handed back for a conflict and
// nothing is dead-lettered.
func TestOneLoaderAtATime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, lk, b := gcptest.Clients(t, bus.Topology{
		Topics: []string{"clean", "dead"},
		Subscriptions: []bus.Subscription{
			{ID: "loader", Topic: "clean", DeadLetterTopic: "dead", MaxDeliveries: 5},
			{ID: "dead-sub", Topic: "dead"},
		},
	})
	duck, err := duckdb.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { duck.Close() })
	wh := &conflicting{Warehouse: duck}
	e := &env{lake: lk, bus: b, st: st}
	const n = 8
	for i := range n {
		e.publish(t, e.batch(t, fmt.Sprint("r", i), line(fmt.Sprint(i), "2026-11-25T01:00:00Z")))
	}

	var wg sync.WaitGroup
	errs := make([]error, n)
	handled := make([]int, n)
	for i := range n {
		wg.Go(func() {
			// Each execution has its own clients, as a process would.
			eb, err := bus.New(ctx, st.Project, st.BusOptions()...)
			if err != nil {
				errs[i] = err
				return
			}
			defer eb.Close()
			exec := fmt.Sprint("exec-", i)
			// One message a pull: executions running side by side would
			// each take one and load at once.
			l := &load.Loader{
				Cfg:  load.Config{Subscription: "loader", DrainOptions: bus.DrainOptions{BatchSize: 1, PullTimeout: time.Second, EmptyPulls: 1}},
				Lake: lk, Bus: eb, Warehouse: wh, Now: time.Now, Execution: exec,
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			}
			err = load.Exclusive(ctx, lk, exec, time.Minute, l.Log, func(ctx context.Context) error {
				sum, err := l.Run(ctx)
				handled[i] = sum.Messages
				return err
			})
			if errors.Is(err, lease.ErrHeld) {
				err = nil // the holder loads; this execution exits 0
			}
			errs[i] = err
		})
	}
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("exec-%d: %v", i, err)
		}
		total += handled[i]
	}
	if total != n || wh.loads != n {
		t.Errorf("%d messages handled, %d loads; want each of the %d batches once", total, wh.loads, n)
	}
	if c, err := duck.CountRecruit(ctx); err != nil || c != n {
		t.Errorf("%d postings loaded (%v); want %d", c, err, n)
	}
	for _, sub := range []string{"loader", "dead-sub"} {
		if w, err := b.Peek(ctx, sub, 10, time.Second); err != nil || w.Count != 0 {
			t.Errorf("%s holds %d messages (%v); want none", sub, w.Count, err)
		}
	}
}
