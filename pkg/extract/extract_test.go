package extract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/bus"
	"jobpulse/pkg/bus/bustest"
	"jobpulse/pkg/extract"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/kst"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/reread"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/saramin/saramintest"
	"jobpulse/pkg/source"
)

const key = "extract-test-secret-key"

type env struct {
	em    *saramintest.Server
	lake  *lake.Lake
	bus   *bus.Bus
	stack *gcptest.Stack
	logs  *bytes.Buffer
	x     *extract.Extractor
}

// markets holds the emulator markets generated for these tests, one per
// clock; each test forks one for a clock, quota and faults of its own.
var markets sync.Map // time.Time -> func() (*saramintest.Emulator, error)

func setup(t *testing.T, now time.Time, quota int) *env {
	t.Helper()
	opts := saramintest.Options{Seed: 7, Now: now, HistoryDays: 365, Keys: []string{key}, DailyQuota: quota, Scale: 0.2}
	gen, _ := markets.LoadOrStore(now.UTC(), sync.OnceValues(func() (*saramintest.Emulator, error) { return saramintest.New(opts) }))
	base, err := gen.(func() (*saramintest.Emulator, error))()
	if err != nil {
		t.Fatal(err)
	}
	fork, err := base.Fork(opts)
	if err != nil {
		t.Fatal(err)
	}
	em := saramintest.Serve(fork)
	t.Cleanup(em.Close)
	st, lk, b := gcptest.Clients(t, bus.Topology{
		Topics:        []string{"raw"},
		Subscriptions: []bus.Subscription{{ID: "transformer", Topic: "raw"}},
	})
	api := newAPI(t, em.URL)
	logs := &bytes.Buffer{}
	cfg := extract.Config{PageSize: 110, Overlap: 2 * time.Hour, BackfillDays: 400, Topic: "raw", Fields: "posting-date,expiration-date,keyword-code,count"}
	x := &extract.Extractor{Cfg: cfg, Lake: lk, Bus: b, API: api, Now: em.Now, Log: slog.New(slog.NewJSONHandler(logs, nil))}
	return &env{em: em, lake: lk, bus: b, stack: st, logs: logs, x: x}
}

// newAPI is a Saramin client of url with the test's key, retrying fast.
func newAPI(t *testing.T, url string) *saramin.Client {
	t.Helper()
	api, err := saramin.New(saramin.Config{BaseURL: url, AccessKey: key, RatePerSecond: -1, InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// through points the extractor at the emulator behind hook, which sees
// each request before the emulator answers it.
func (e *env) through(t *testing.T, hook func(r *http.Request)) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hook(r)
		e.em.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	e.x.API = newAPI(t, srv.URL)
}

// messages drains what the extractor announced.
func (e *env) messages(t *testing.T) []bus.RawBatch {
	t.Helper()
	return bustest.Drained[bus.RawBatch](t, e.bus, "transformer")
}

func (e *env) watermark(t *testing.T) time.Time {
	t.Helper()
	wm, _, err := e.lake.ReadWatermark(context.Background(), source.Saramin)
	if err != nil {
		t.Fatal(err)
	}
	return wm.Until
}

func TestBackfillThenHourlyRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	e := setup(t, base, -1)
	h := e.em.NextHourWith(true, base)
	for !e.em.NextHourWith(false, h).Equal(h.Add(time.Hour)) {
		h = e.em.NextHourWith(true, h)
	}
	// h has changes, h+1h has none.
	e.em.SetNow(h)

	// First run: the whole history, up to the current hour.
	sum, err := e.x.Run(ctx, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	visible := len(e.em.IDs(h))
	if sum.NothingNew || sum.Postings != visible || sum.Pages != (visible+109)/110 {
		t.Fatalf("backfill: %+v, emulator serves %d", sum, visible)
	}
	if !e.watermark(t).Equal(h) {
		t.Fatalf("watermark %v, want %v", e.watermark(t), h)
	}
	msgs := e.messages(t)
	if len(msgs) != 1 || msgs[0].Postings != visible || len(msgs[0].Objects) != sum.Pages || msgs[0].RunID != sum.RunID {
		t.Fatalf("messages: %+v", msgs)
	}
	page, err := e.lake.Get(ctx, msgs[0].Objects[0])
	if err != nil || !bytes.HasPrefix(page, []byte(`{"jobs":`)) {
		t.Fatalf("raw page not stored as the API sent it: %.60s %v", page, err)
	}

	// Same hour again: nothing to do, nothing announced.
	if sum, err := e.x.Run(ctx, extract.Options{}); err != nil || !sum.NothingNew {
		t.Fatalf("rerun in the same hour: %+v %v", sum, err)
	}

	// An hour with changes: announced, with the overlap before the watermark.
	e.em.SetNow(h.Add(time.Hour))
	sum, err = e.x.Run(ctx, extract.Options{})
	if err != nil || sum.NothingNew || sum.Postings < e.em.Changes(h, h.Add(time.Hour)) {
		t.Fatalf("hour with changes: %+v %v (emulator changes %d)", sum, err, e.em.Changes(h, h.Add(time.Hour)))
	}
	if !sum.Window.From.Equal(h.Add(-2 * time.Hour)) {
		t.Fatalf("window from %v, want watermark minus the 2h overlap", sum.Window.From)
	}
	// An hour without: the watermark moves, nothing is announced.
	e.em.SetNow(h.Add(2 * time.Hour))
	sum, err = e.x.Run(ctx, extract.Options{})
	if err != nil || !sum.NothingNew {
		t.Fatalf("empty hour: %+v %v", sum, err)
	}
	if !e.watermark(t).Equal(h.Add(2 * time.Hour)) {
		t.Fatalf("watermark after empty hour: %v", e.watermark(t))
	}
	if msgs := e.messages(t); len(msgs) != 1 {
		t.Fatalf("want only the hour with changes announced, got %d messages", len(msgs))
	}

	// Re-running a past window overwrites the same objects and leaves the
	// watermark where it is.
	before, _ := e.lake.List(ctx, "raw/")
	sum, err = e.x.Run(ctx, extract.Options{From: h.Add(-2 * time.Hour), To: h.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := e.lake.List(ctx, "raw/")
	if len(after) != len(before) {
		t.Fatalf("re-run added objects: %d -> %d", len(before), len(after))
	}
	if !e.watermark(t).Equal(h.Add(2 * time.Hour)) {
		t.Fatalf("re-run moved the watermark to %v", e.watermark(t))
	}

	// Run records: one per execution, in the lake.
	e.x.Execution = "exec-last"
	if _, err := e.x.Run(ctx, extract.Options{}); err != nil {
		t.Fatal(err)
	}
	recs, err := e.lake.List(ctx, "ops/runs/")
	if err != nil || len(recs) != 1 || !strings.Contains(recs[0], "extractor-exec-last") {
		t.Fatalf("run records %v %v", recs, err)
	}
	after, _ = e.lake.List(ctx, "")

	// The key is a secret: not in logs, messages or lake objects.
	if strings.Contains(e.logs.String(), key) {
		t.Fatal("access key in the logs")
	}
	for _, name := range after {
		b, _ := e.lake.Get(ctx, name)
		if bytes.Contains(b, []byte(key)) {
			t.Fatalf("access key in %s", name)
		}
	}
	for _, m := range e.stack.PubSub.Messages() {
		if bytes.Contains(m.Data, []byte(key)) {
			t.Fatal("access key in a message")
		}
	}
}

func TestFailuresLeaveTheWatermark(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		quota  int
		fault  *saramintest.Fault
		wantOK bool
		is     error
	}{
		{name: "5xx twice is retried", quota: -1, fault: &saramintest.Fault{Kind: saramintest.FaultServerError, Status: 503, Count: 2}, wantOK: true},
		{name: "429 is retried", quota: -1, fault: &saramintest.Fault{Kind: saramintest.FaultRateLimit, RetryAfter: time.Second, Count: 1}, wantOK: true},
		{name: "slow answer is retried", quota: -1, fault: &saramintest.Fault{Kind: saramintest.FaultSlow, Delay: 3 * time.Second, Count: 1}, wantOK: true},
		{name: "truncated body is retried", quota: -1, fault: &saramintest.Fault{Kind: saramintest.FaultTruncate, Count: 1}, wantOK: true},
		{name: "server down stays down", quota: -1, fault: &saramintest.Fault{Kind: saramintest.FaultServerError, Status: 502, Count: -1}, is: apicall.ErrServer},
		{name: "quota exhausted before the first page", quota: 1, is: apicall.ErrQuotaExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, base, tt.quota)
			if tt.fault != nil {
				if err := e.em.InjectFault(*tt.fault); err != nil {
					t.Fatal(err)
				}
			}
			sum, err := e.x.Run(ctx, extract.Options{})
			if tt.wantOK {
				if err != nil || sum.Postings != len(e.em.IDs(base)) {
					t.Fatalf("%+v %v", sum, err)
				}
				return
			}
			if !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v", err, tt.is)
			}
			if fail, _ := extract.Outcome(err); fail == errors.Is(err, apicall.ErrQuotaExceeded) {
				t.Fatalf("Outcome(%v) fail=%v", err, fail)
			}
			if wm := e.watermark(t); !wm.IsZero() {
				t.Fatalf("a failed run moved the watermark to %v", wm)
			}
			if msgs := e.messages(t); len(msgs) != 0 {
				t.Fatalf("a failed run announced %d batches", len(msgs))
			}
			if strings.Contains(err.Error(), key) {
				t.Fatal("access key in the error")
			}
		})
	}
}

// TestHistoryLargerThanADaysQuota: a backfill three times a day's quota
// completes on its own over the following days. Each run that meets the
// end of its quota announces what it fetched and moves the watermark to
// the newest change in it; the next day's run resumes exactly there. No
// posting is lost and no request is sent twice.
func TestHistoryLargerThanADaysQuota(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) // noon KST
	e := setup(t, base, 25)
	// Every request the extractor sends, as the API receives it.
	var mu sync.Mutex
	seen := map[string]int{}
	e.through(t, func(r *http.Request) {
		mu.Lock()
		seen[r.URL.RawQuery]++
		mu.Unlock()
	})
	pages := (len(e.em.IDs(base)) + 109) / 110
	if pages < 2*24 {
		t.Fatalf("the history is %d pages; the test wants more than two days of 24", pages)
	}

	days := 0
	resumes := map[time.Time]bool{}
	for ; days < 6; days++ {
		sum, err := e.x.Run(ctx, extract.Options{})
		if err == nil {
			break
		}
		resumes[sum.Window.To] = true
		if !errors.Is(err, apicall.ErrQuotaExceeded) || !sum.Partial || sum.MessageID == "" {
			t.Fatalf("day %d: %+v %v; want the quota spent and what was fetched announced", days+1, sum, err)
		}
		wm, _, _ := e.lake.ReadWatermark(ctx, source.Saramin)
		if !wm.Resume || !wm.Until.Equal(sum.Window.To) {
			t.Fatalf("day %d: watermark %+v; want it at the newest change fetched (%v), to resume from", days+1, wm, sum.Window.To)
		}
		// The next day (KST): the quota is renewed.
		e.em.SetNow(kst.Midnight(e.em.Now()).AddDate(0, 0, 1).Add(time.Hour))
	}
	if days < 2 || days > 4 {
		t.Fatalf("the history of %d pages took %d days at 24 pages a day", pages, days+1)
	}
	wm, _, _ := e.lake.ReadWatermark(ctx, source.Saramin)
	if wm.Resume || !wm.Until.Equal(e.em.Now().Truncate(time.Hour)) {
		t.Errorf("watermark once caught up: %+v; want the current hour, no resume", wm)
	}

	// Every posting the API serves now was announced; a version fetched
	// twice is one changed at the very instant a run resumed from (the
	// resume point is inclusive), never one of an overlap.
	got := map[string]bool{}
	versions := map[string]int{}
	for _, m := range e.messages(t) {
		for _, obj := range m.Objects {
			b, err := e.lake.Get(ctx, obj)
			if err != nil {
				t.Fatal(err)
			}
			var page saramin.Response
			if err := json.Unmarshal(b, &page); err != nil {
				t.Fatal(err)
			}
			for _, raw := range page.Jobs.Job {
				p, err := saramin.ParseJob(raw)
				if err != nil {
					t.Fatal(err)
				}
				got[p.ID] = true
				if versions[p.ID+"@"+p.ModifiedAt.String()]++; versions[p.ID+"@"+p.ModifiedAt.String()] > 1 && !resumes[p.ModifiedAt.UTC()] {
					t.Errorf("posting %s as modified at %v fetched twice", p.ID, p.ModifiedAt)
				}
			}
		}
	}
	var lost []string
	for _, id := range e.em.IDs(e.em.Now()) {
		if !got[id] {
			lost = append(lost, id)
		}
	}
	if len(lost) > 0 {
		t.Errorf("%d postings never announced, e.g. %v", len(lost), lost[:min(5, len(lost))])
	}
	for q, n := range seen {
		if n > 1 {
			t.Errorf("request sent %d times: %s", n, strings.ReplaceAll(q, key, "KEY"))
		}
	}
}

// TestBackfillDoesNotFightTheCatchUp: while the scheduled runs work
// through a history larger than a day's quota, a window over what they
// have still to fetch is refused; a window before it runs.
func TestBackfillDoesNotFightTheCatchUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	e := setup(t, base, 25)
	sum, err := e.x.Run(ctx, extract.Options{})
	if !errors.Is(err, apicall.ErrQuotaExceeded) || !sum.Partial {
		t.Fatalf("first run: %+v %v; want the quota spent", sum, err)
	}
	until := sum.Window.To
	_, err = e.x.Run(ctx, extract.Options{From: until.Add(-24 * time.Hour), To: until.Add(24 * time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "catching up from") {
		t.Fatalf("a window over the catch-up: %v; want it refused", err)
	}
	if wm := e.watermark(t); !wm.Equal(until) {
		t.Errorf("the refused window moved the watermark to %v", wm)
	}
}

// TestCountIsAChecksum: the total the API reports for a window is checked
// against the postings it served. A difference changes during the run
// cannot explain fails the window: nothing announced, the watermark
// unmoved, so that once the API answers as it should the next run reads
// the window again and loses nothing.
func TestCountIsAChecksum(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	for _, drift := range []string{saramintest.DriftEmptyJobs, saramintest.DriftZeroTotal, saramintest.DriftDropLastJob} {
		t.Run(drift, func(t *testing.T) {
			t.Parallel()
			e := setup(t, base, -1)
			if err := e.em.InjectFault(saramintest.Fault{Kind: saramintest.FaultDrift, Drift: drift, Count: -1}); err != nil {
				t.Fatal(err)
			}
			sum, err := e.x.Run(ctx, extract.Options{})
			if !errors.Is(err, extract.ErrCountMismatch) || sum.NothingNew {
				t.Fatalf("%+v %v; want ErrCountMismatch, not \"no news\"", sum, err)
			}
			if fail, _ := extract.Outcome(err); !fail {
				t.Error("a count mismatch is not a failure")
			}
			if wm := e.watermark(t); !wm.IsZero() {
				t.Fatalf("the watermark moved to %v", wm)
			}
			if msgs := e.messages(t); len(msgs) != 0 {
				t.Fatalf("%d batches announced", len(msgs))
			}
			// The API recovers: the next run reads the window again, whole.
			e.em.ClearFaults()
			sum, err = e.x.Run(ctx, extract.Options{})
			if err != nil || sum.Postings != len(e.em.IDs(base)) {
				t.Fatalf("after recovery: %+v %v; want all %d postings", sum, err, len(e.em.IDs(base)))
			}
		})
	}

	// Postings changed during the run leave the window: the counts differ,
	// the difference is explained, and the window is announced.
	t.Run("changes during the run", func(t *testing.T) {
		t.Parallel()
		e := setup(t, base, -1)
		var mu sync.Mutex
		requests := 0
		e.through(t, func(*http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if requests++; requests == 3 { // after the probe and the first page
				e.em.Advance(12 * time.Hour)
			}
		})
		e.x.Now = func() time.Time { return base }
		sum, err := e.x.Run(ctx, extract.Options{})
		if err != nil {
			t.Fatalf("%v; want the changes during the run explained", err)
		}
		if !strings.Contains(e.logs.String(), "left the window") || sum.Postings >= len(e.em.IDs(base)) {
			t.Errorf("received %d of %d: want fewer, explained in the log:\n%.2000s", sum.Postings, len(e.em.IDs(base)), e.logs.String())
		}
	})
}

// TestRereadMarkedWindows: a window marked because records of it were set
// aside is read again by the next scheduled run, even in an hour without
// news; a mark older than RereadFor is given up, with an alert.
func TestRereadMarkedWindows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	e := setup(t, base, -1)
	e.x.Cfg.RereadFor = 72 * time.Hour
	if _, err := e.x.Run(ctx, extract.Options{}); err != nil {
		t.Fatal(err)
	}
	e.messages(t)
	quiet := e.em.NextHourWith(false, base)
	e.em.SetNow(quiet.Add(time.Hour))
	e.x.Cfg.Overlap = 0
	if _, err := e.x.Run(ctx, extract.Options{}); err != nil { // up to the quiet hour
		t.Fatal(err)
	}
	e.messages(t)

	from := base.Add(-6 * time.Hour)
	marked := reread.Mark{Source: source.Saramin, RunID: lake.RunID(source.Saramin, from, base.Add(-5*time.Hour)), From: from, To: base.Add(-5 * time.Hour), SetAside: 2, Reason: "missing title", Marked: e.em.Now().Add(-time.Hour)}
	old := reread.Mark{Source: source.Saramin, RunID: "saramin-old", From: base.Add(-200 * time.Hour), To: base.Add(-199 * time.Hour), SetAside: 1, Reason: "missing id", Marked: e.em.Now().Add(-73 * time.Hour)}
	for _, m := range []reread.Mark{marked, old} {
		if err := reread.Add(ctx, e.lake, m); err != nil {
			t.Fatal(err)
		}
	}
	e.em.SetNow(quiet.Add(2 * time.Hour))
	capture := notifytest.ForTest(t)
	n, err := notify.New(capture.Config(), e.lake, nil, e.em.Now)
	if err != nil {
		t.Fatal(err)
	}
	e.x.Notify = n
	sum, err := e.x.Run(ctx, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.NothingNew || !sum.Window.From.Equal(from) || len(sum.Rereads) != 1 || sum.Rereads[0].RunID != marked.RunID {
		t.Fatalf("run after marks: window %v, nothing new %v, rereads %+v; want the window back at %v", sum.Window, sum.NothingNew, sum.Rereads, from)
	}
	if want := len(e.em.IDs(quiet.Add(2 * time.Hour))); sum.Postings == 0 || sum.Postings > want {
		t.Errorf("re-read %d postings", sum.Postings)
	}
	if msgs := e.messages(t); len(msgs) != 1 || !msgs[0].Window.From.Equal(from) {
		t.Fatalf("announced %+v; want one batch from the marked window on", msgs)
	}
	if len(sum.GaveUp) != 1 || sum.GaveUp[0].RunID != "saramin-old" || !strings.Contains(e.logs.String(), `"alert":"quarantine","reread":"saramin-old"`) {
		t.Errorf("the old mark: gave up %+v; want it given up with an alert:\n%s", sum.GaveUp, e.logs)
	}
	var told bool
	for _, m := range capture.Messages() {
		told = told || (strings.Contains(m.Text, "saramin-old: 1 records set aside (missing id)") && strings.Contains(m.Text, "--from=2026-11-12"))
	}
	if !told {
		t.Errorf("no message tells of the mark given up, with the command that reads it again: %d messages", len(capture.Messages()))
	}
	left, err := reread.Pending(ctx, e.lake, source.Saramin)
	if err != nil || len(left) != 1 || left[0].RunID != marked.RunID {
		t.Errorf("marks left: %+v (%v); want only the one read again (the transformer clears it)", left, err)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	trends := extract.TrendsConfig{TrendsKeywords: []string{"SQL", "파이썬"}, TrendsAnchor: "데이터 분석", TrendsYears: 5, TrendsTimeout: time.Second, TrendsBackoff: time.Second}
	noAnchor := trends
	noAnchor.TrendsAnchor = " "
	tests := []struct {
		name string
		cfg  extract.Config
		want string // the problems, one a line; "": valid
	}{
		{"saramin", extract.Config{Source: "saramin", AccessKey: "k"}, ""},
		{"saramin without its key", extract.Config{Source: "saramin", CertConfig: extract.CertConfig{QnetServiceKey: "q"}},
			"SARAMIN_ACCESS_KEY is required for --source saramin: want the API's access key"},
		{"cert", extract.Config{Source: "cert", CertConfig: extract.CertConfig{QnetServiceKey: "q"}}, ""},
		{"cert without its key", extract.Config{Source: "cert", AccessKey: "k"}, "QNET_SERVICE_KEY is required for --source cert: want the data.go.kr service key"},
		{"trends", extract.Config{Source: "trends", TrendsConfig: trends}, ""},
		{"trends settings unused by saramin", extract.Config{Source: "saramin", AccessKey: "k", TrendsConfig: noAnchor}, ""},
		{"trends without anchor", extract.Config{Source: "trends", TrendsConfig: noAnchor}, "TRENDS_ANCHOR is empty; want the keyword every Trends request is scaled on"},
		{"trends, every setting wrong", extract.Config{Source: "trends", TrendsConfig: extract.TrendsConfig{TrendsKeywords: []string{"SQL", ""}, TrendsTimeout: -time.Second, TrendsBackoff: -time.Second}},
			`TRENDS_ANCHOR is empty; want the keyword every Trends request is scaled on
TRENDS_KEYWORDS names an empty keyword or none; want comma-separated keywords
TRENDS_YEARS is 0; want 1 or more years
TRENDS_TIMEOUT is -1s; want a positive duration such as 30s
TRENDS_BACKOFF is -1s; want a positive duration such as 5s`},
		{"unknown source", extract.Config{Source: "jobkorea"}, `SOURCE is "jobkorea"; want one of saramin, trends, cert`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if err := tc.cfg.Validate(); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Validate():\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
