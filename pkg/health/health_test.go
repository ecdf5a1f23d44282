package health_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/health"
	"jobpulse/pkg/kst"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

const deadTopic, deadSub = "dead", "dead-sub"

// env is a real lake and Pub/Sub (fake-gcs-server, pstest) and a real
// DuckDB warehouse.
type env struct {
	lake *lake.Lake
	bus  *bus.Bus
	wh   *duckdb.Warehouse
	now  time.Time
	// setClock moves the warehouse's load clock.
	setClock func(time.Time)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	_, lk, b := gcptest.Clients(t, bus.Topology{Topics: []string{deadTopic}, Subscriptions: []bus.Subscription{{ID: deadSub, Topic: deadTopic}}})
	var mu sync.Mutex
	clock := time.Now()
	wh, err := duckdb.Open(ctx, "", duckdb.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	if err := wh.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	return &env{lake: lk, bus: b, wh: wh, now: testNow(time.Now()),
		setClock: func(at time.Time) { mu.Lock(); defer mu.Unlock(); clock = at }}
}

// testNow is the wall clock, unless a KST day began less than three hours
// before it: then the last minute of the day before. The tests record runs
// up to an hour before now, and the quota counts a KST day's calls, so
// just after midnight in Korea they would count none.
func testNow(wall time.Time) time.Time {
	midnight := kst.Midnight(wall)
	if wall.Sub(midnight) < 3*time.Hour {
		return midnight.Add(-time.Minute).UTC()
	}
	return wall.UTC()
}

// record leaves a run record that started ago before now.
func (e *env) record(t *testing.T, r ops.Run, ago time.Duration) {
	t.Helper()
	r.StartedAt = e.now.Add(-ago)
	if r.Execution == "" {
		r.Execution = fmt.Sprintf("%s-%d", r.Job, r.StartedAt.UnixNano())
	}
	if err := ops.Record(context.Background(), e.lake, r); err != nil {
		t.Fatal(err)
	}
}

// load loads a postings batch into the warehouse as of ago before now.
func (e *env) load(t *testing.T, run string, ago time.Duration) {
	t.Helper()
	e.setClock(e.now.Add(-ago))
	src := warehousetest.Lake{run: warehousetest.NDJSON(warehousetest.Posting("1", "데이터 엔지니어", e.now.Add(-ago), run))}
	if _, err := e.wh.LoadRecruit(context.Background(), warehouse.Batch{Source: source.Saramin, RunID: run, Objects: []string{run}}, src); err != nil {
		t.Fatal(err)
	}
}

func (e *env) checker(cfg health.Config) *health.Checker {
	return &health.Checker{Cfg: cfg, Lake: e.lake, Loads: e.wh, Bus: e.bus, Now: func() time.Time { return e.now },
		Log: slog.New(slog.DiscardHandler), Execution: "health-test"}
}

func defaults() health.Config {
	return health.Config{MaxAge: map[source.Source]time.Duration{source.Saramin: 3 * time.Hour}, Lookback: 3 * time.Hour, StuckAfter: 2 * time.Hour, MaxWait: time.Hour,
		DeadLetter: deadSub, Quota: map[source.Source]int64{source.Saramin: 500}}
}

// healthy is a normal hour: extracted, transformed, loaded.
func healthy(t *testing.T, e *env) {
	e.record(t, ops.Run{Job: "extractor", Source: source.Saramin, RunID: "saramin-h1", MessageID: "m1", Status: ops.StatusSucceeded, Calls: 12}, 50*time.Minute)
	e.record(t, ops.Run{Job: "transformer", Source: source.Saramin, RunID: "saramin-h1", Runs: []string{"saramin-h1"}, Status: ops.StatusSucceeded}, 49*time.Minute)
	e.record(t, ops.Run{Job: "loader", Source: source.Saramin, RunID: "saramin-h1", Runs: []string{"saramin-h1"}, Status: ops.StatusSucceeded}, 48*time.Minute)
	e.load(t, "saramin-h1", 48*time.Minute)
}

func TestVerdicts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     func(*health.Config)
		setup   func(t *testing.T, e *env)
		want    []string // classes found, in report order
		detail  string   // a piece of the first finding's text
		records int      // single records set aside
	}{
		{name: "healthy", setup: healthy},
		{
			name: "job failed and not retried",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "extractor", Source: source.Saramin, Status: ops.StatusFailed, Error: "extract saramin-h2: probe: saramin: HTTP 503\nmore"}, 20*time.Minute)
			},
			want: []string{health.JobFailed}, detail: "extractor (saramin) failed at",
		},
		{
			name: "job failed and retried by Cloud Run",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "extractor", Source: source.Saramin, Status: ops.StatusFailed, Error: "HTTP 503"}, 30*time.Minute)
				e.record(t, ops.Run{Job: "extractor", Source: source.Saramin, Status: ops.StatusNoData}, 29*time.Minute)
			},
		},
		{
			name: "an old failure made good since",
			setup: func(t *testing.T, e *env) {
				e.record(t, ops.Run{Job: "loader", Status: ops.StatusFailed, Error: "load: boom"}, 5*time.Hour)
				healthy(t, e)
			},
		},
		{
			name: "an old failure not made good stays a finding",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "extractor", Source: source.Cert, Status: ops.StatusFailed, Error: "Q-Net: HTTP 503"}, 20*time.Hour)
			},
			want: []string{health.JobFailed}, detail: "extractor (cert) failed at",
		},
		{
			name: "an empty drain does not make good a failed one",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "loader", Status: ops.StatusFailed, Error: "load: boom"}, 30*time.Minute)
				e.record(t, ops.Run{Job: "loader", Status: ops.StatusNoData}, 20*time.Minute)
			},
			want: []string{health.JobFailed}, detail: "loader failed at",
		},
		{
			name: "a single record set aside is a figure, not a problem",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				name := lake.QuarantinePart(source.Saramin, "recruit", "saramin-h1", e.now, 0)
				if err := e.lake.Put(context.Background(), name, "application/x-ndjson", []byte(`{}`)); err != nil {
					t.Fatal(err)
				}
			},
			records: 1,
		},
		{
			name: "never finished",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "extractor", Source: source.Trends, Status: ops.StatusRunning}, 150*time.Minute)
				e.record(t, ops.Run{Job: "loader", Status: ops.StatusRunning}, 10*time.Minute) // still within its time
			},
			want: []string{health.NeverFinished}, detail: "extractor (trends) started",
		},
		{
			name: "killed and retried by Cloud Run",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "loader", Status: ops.StatusRunning}, 170*time.Minute)
				e.record(t, ops.Run{Job: "loader", Source: source.Saramin, Status: ops.StatusSucceeded}, 160*time.Minute)
			},
		},
		{
			name: "a drain that failed on one source and ended well later",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "transformer", Source: source.Trends, Status: ops.StatusFailed, Error: "transform: boom"}, 40*time.Minute)
				e.record(t, ops.Run{Job: "transformer", Source: source.Saramin, Status: ops.StatusSucceeded}, 30*time.Minute)
			},
		},
		{
			name: "an extractor failure is made good by its own source only",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "extractor", Source: source.Cert, Status: ops.StatusFailed, Error: "Q-Net down"}, 40*time.Minute)
				e.record(t, ops.Run{Job: "extractor", Source: source.Saramin, Status: ops.StatusNoData}, 30*time.Minute)
			},
			want: []string{health.JobFailed}, detail: "extractor (cert) failed at",
		},
		{
			name: "nothing arrived",
			setup: func(t *testing.T, e *env) {
				e.load(t, "saramin-old", 5*time.Hour)
			},
			want: []string{health.Stale}, detail: "saramin last loaded",
		},
		{
			name: "quiet hours are not stale",
			setup: func(t *testing.T, e *env) {
				e.load(t, "saramin-old", 5*time.Hour)
				e.record(t, ops.Run{Job: "extractor", Source: source.Saramin, Status: ops.StatusNoData, WindowTo: e.now.Add(-time.Hour)}, 55*time.Minute)
			},
		},
		{
			name: "a source never loaded",
			cfg: func(c *health.Config) {
				c.MaxAge = map[source.Source]time.Duration{source.Saramin: 3 * time.Hour, source.Cert: 192 * time.Hour}
			},
			setup: healthy,
			want:  []string{health.Stale}, detail: "cert has never loaded",
		},
		{
			name: "batch quarantined by the checks",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				if err := e.lake.Put(context.Background(), lake.QuarantineBatch(source.Saramin, "saramin-h1"), "application/json", []byte(`{}`)); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{health.Quarantined}, detail: "saramin batches stopped by the data checks",
		},
		{
			name: "announced but never transformed",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "extractor", Source: source.Saramin, RunID: "saramin-h0", MessageID: "m0", Status: ops.StatusSucceeded}, 2*time.Hour)
			},
			want: []string{health.Waiting}, detail: "raw batch saramin-h0",
		},
		{
			name: "dead-lettered",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				if _, err := e.bus.Publish(context.Background(), deadTopic, map[string]string{"run_id": "x"}, nil); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{health.DeadLetter}, detail: "1 message dead-lettered",
		},
		{
			name: "quota nearly spent",
			setup: func(t *testing.T, e *env) {
				healthy(t, e)
				e.record(t, ops.Run{Job: "extractor", Source: source.Saramin, Status: ops.StatusNoData, Calls: 400}, 10*time.Minute)
			},
			want: []string{health.Quota}, detail: "412 of 500 calls",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			cfg := defaults()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			tc.setup(t, e)
			rep, err := e.checker(cfg).Check(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.Class)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("findings %v; want %v", rep.Findings, tc.want)
			}
			if tc.detail != "" && !strings.Contains(rep.Findings[0].Detail, tc.detail) {
				t.Errorf("finding %q; want it to say %q", rep.Findings[0].Detail, tc.detail)
			}
			// What a command puts right names the command.
			next := map[string]string{
				health.JobFailed: "gcloud run jobs execute jobpulse-", health.NeverFinished: "gcloud run jobs execute jobpulse-",
				health.Waiting: "gcloud run jobs execute jobpulse-", health.Stale: "gcloud run jobs execute jobpulse-extractor --args=--source=",
			}
			for _, f := range rep.Findings {
				if w, ok := next[f.Class]; ok && f.Source != "" && (!strings.HasPrefix(f.Next, w) || !strings.Contains(f.String(), f.Next)) {
					t.Errorf("%s finding %q: next %q; want a command starting %q, shown", f.Class, f.Detail, f.Next, w)
				}
			}
			if rep.RecordsSetAside != tc.records {
				t.Errorf("records set aside: %d; want %d", rep.RecordsSetAside, tc.records)
			}
			if rep.OK() != (len(tc.want) == 0) {
				t.Errorf("OK() = %v with %d findings", rep.OK(), len(rep.Findings))
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	bad := func(f func(*health.Config)) health.Config {
		c := defaults()
		f(&c)
		return c
	}
	tests := []struct {
		name string
		cfg  health.Config
		want string // the problems, one a line; "": valid
	}{
		{"defaults", defaults(), ""},
		{"no sources", bad(func(c *health.Config) { c.MaxAge, c.Quota = nil, nil }), ""},
		{"no quota", bad(func(c *health.Config) { c.Quota[source.Saramin] = 0 }), ""},
		{"max age not positive", bad(func(c *health.Config) { c.MaxAge[source.Cert] = -time.Hour }), "HEALTH_MAX_AGE: cert=-1h0m0s; want a positive duration such as 3h"},
		{"lookback zero", bad(func(c *health.Config) { c.Lookback = 0 }), "HEALTH_LOOKBACK is 0s; want a positive duration such as 2h"},
		{"quota negative", bad(func(c *health.Config) { c.Quota[source.Saramin] = -1 }), "HEALTH_DAILY_QUOTA: saramin=-1; want 0 (no quota) or more calls"},
		{"several", bad(func(c *health.Config) {
			c.MaxAge[source.Saramin], c.MaxAge[source.Trends] = 0, -time.Hour
			c.StuckAfter, c.MaxWait, c.Quota[source.Cert] = -time.Hour, 0, -5
		}), `HEALTH_MAX_AGE: saramin=0s; want a positive duration such as 3h
HEALTH_MAX_AGE: trends=-1h0m0s; want a positive duration such as 3h
HEALTH_STUCK_AFTER is -1h0m0s; want a positive duration such as 2h
HEALTH_MAX_WAIT is 0s; want a positive duration such as 2h
HEALTH_DAILY_QUOTA: cert=-5; want 0 (no quota) or more calls`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			if err := tc.cfg.Validate(); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Validate:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestReport checks what people receive: the problems, by Slack and email,
// and on a healthy day one all-clear (a second check that day sends
// nothing; the next day's first check sends the next one).
func TestReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	capture := notifytest.ForTest(t)
	n, err := notify.New(capture.Config(), e.lake, nil, func() time.Time { return e.now })
	if err != nil {
		t.Fatal(err)
	}
	c := e.checker(defaults())
	c.Notify = n

	// Unhealthy: nothing ever loaded.
	rep, err := c.Run(ctx)
	if err != nil || rep.OK() {
		t.Fatalf("empty pipeline: %+v, %v; want a stale finding", rep, err)
	}
	msgs := capture.Messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Health check: 1 problem") || !strings.Contains(msgs[0].Text, "saramin has never loaded") {
		t.Fatalf("Slack got %d messages, want the problem: %v", len(msgs), msgs)
	}
	if mails := capture.Mails(); len(mails) != 1 || !strings.Contains(mails[0].Body, "saramin has never loaded") {
		t.Fatalf("email: %+v; want the problem", mails)
	}

	// Healthy: the all-clear, once a day.
	healthy(t, e)
	for range 2 {
		if rep, err := c.Run(ctx); err != nil || !rep.OK() {
			t.Fatalf("healthy pipeline: %v, %v", rep.Findings, err)
		}
	}
	msgs = capture.Messages()
	if len(msgs) != 2 || !strings.Contains(msgs[1].Text, "All clear") || !strings.Contains(msgs[1].Text, "saramin API calls today: 12 of 500") {
		t.Fatalf("Slack got %d messages; want one all-clear after the problem: %v", len(msgs), msgs)
	}
	if len(capture.Mails()) != 1 {
		t.Errorf("the all-clear was emailed; email is for problems")
	}
	e.now = e.now.Add(24 * time.Hour)
	e.load(t, "saramin-next-day", 10*time.Minute)
	if rep, err := c.Run(ctx); err != nil || !rep.OK() {
		t.Fatalf("next day: %v, %v", rep.Findings, err)
	}
	if msgs = capture.Messages(); len(msgs) != 3 || !strings.Contains(msgs[2].Text, "All clear") {
		t.Fatalf("next day: Slack got %d messages; want the day's all-clear", len(msgs))
	}

	// The check leaves its run record.
	runs, _, err := ops.Recent(ctx, e.lake, e.now)
	if err != nil {
		t.Fatal(err)
	}
	var records int
	for _, r := range runs {
		if r.Job == "health" && r.Execution == "health-test" {
			records++
		}
	}
	if records == 0 {
		t.Error("no run record of the health check")
	}
}
