package extract_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/cert"
	"jobpulse/pkg/cert/certtest"
	"jobpulse/pkg/extract"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/kst"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/source"
	"jobpulse/pkg/trends"
	"jobpulse/pkg/trends/trendstest"
)

// sourceEnv is a lake, a bus and an extractor without the Saramin API.
func sourceEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	st, lk, b := gcptest.Clients(t, bus.Topology{
		Topics:        []string{"raw"},
		Subscriptions: []bus.Subscription{{ID: "transformer", Topic: "raw"}},
	})
	logs := &bytes.Buffer{}
	cfg := extract.Config{Topic: "raw", TrendsConfig: extract.TrendsConfig{
		TrendsKeywords: []string{"데이터 엔지니어", "데이터 분석", "SQL", "파이썬", "ADsP", "SQLD", "빅데이터분석기사"}, TrendsAnchor: "데이터 분석", TrendsYears: 2,
	}}
	x := &extract.Extractor{Cfg: cfg, Lake: lk, Bus: b, Now: func() time.Time { return now }, Log: slog.New(slog.NewJSONHandler(logs, nil))}
	return &env{lake: lk, bus: b, stack: st, logs: logs, x: x}
}

func trendsClient(t *testing.T, url string) *trends.Client {
	t.Helper()
	c, err := trends.New(trends.Config{BaseURL: url, RatePerSecond: -1, MaxTries: 2, InitialBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A keyword group that fails is reported, kept in the watermark and asked
// for again (alone) by the next execution; a third execution on the same
// day has nothing to do.
func TestTrendsKeywordFailsThenRetried(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	em := trendstest.NewServer(trendstest.Options{Seed: 1, Now: now})
	t.Cleanup(em.Close)
	e := sourceEnv(t, now)
	e.x.Cfg.Source = source.Trends
	e.x.Trends = trendsClient(t, em.URL)

	// 7 keywords: the anchor plus 6 others, in two requests of 5 and 3.
	// The first request's explore answers 429 on both tries.
	em.AddFault(trendstest.Fault{Kind: trendstest.FaultRateLimit, Endpoint: "explore", Count: 2})
	sum, err := e.x.Run(ctx, extract.Options{})
	if !errors.Is(err, extract.ErrKeywordsFailed) {
		t.Fatalf("first run: err %v, want ErrKeywordsFailed", err)
	}
	if fail, _ := extract.Outcome(err); !fail {
		t.Error("a run with failed keywords must exit non-zero so that it is retried and seen")
	}
	wantFailed := []string{"데이터 엔지니어", "SQL", "파이썬", "ADsP"}
	if !slices.Equal(sum.Failed, wantFailed) || sum.Pages != 1 || sum.Keywords != 3 {
		t.Fatalf("first run: failed %v, %d requests, %d keywords; want %v failed", sum.Failed, sum.Pages, sum.Keywords, wantFailed)
	}
	if !strings.Contains(e.logs.String(), `"alert":"keywords_failed"`) {
		t.Error("no keywords_failed alert logged")
	}
	wm, _, _ := e.lake.ReadWatermark(ctx, source.Trends)
	if want := []string{"데이터 분석,데이터 엔지니어,SQL,파이썬,ADsP"}; !slices.Equal(wm.Pending, want) {
		t.Fatalf("watermark pending %q, want the failed request %q", wm.Pending, want)
	}
	first := e.messages(t)
	if len(first) != 1 || len(first[0].Objects) != 1 || first[0].Source != source.Trends {
		t.Fatalf("first run announced %+v; want the collected request", first)
	}

	// The next execution asks only for the failed request, over the same
	// window: the rows a complete run would have given.
	calls := em.Calls("explore")
	sum, err = e.x.Run(ctx, extract.Options{})
	if err != nil || len(sum.Failed) != 0 || sum.Keywords != 5 || sum.Pages != 1 {
		t.Fatalf("retry: %+v %v; want the 4 failed keywords (plus the anchor) in one request", sum, err)
	}
	if got := em.Calls("explore") - calls; got != 1 {
		t.Errorf("retry made %d explore calls, want 1", got)
	}
	retry := e.messages(t)
	if len(retry) != 1 || retry[0].RunID != first[0].RunID || retry[0].Window != first[0].Window || slices.Contains(retry[0].Objects, first[0].Objects[0]) {
		t.Fatalf("retry announced %+v; want the same run and window, a different object", retry)
	}
	// A complete re-run of the window writes exactly the objects of the
	// first run and the retry.
	before, _ := e.lake.List(ctx, "raw/trends/")
	if _, err := e.x.Run(ctx, extract.Options{From: first[0].Window.From, To: first[0].Window.To}); err != nil {
		t.Fatal(err)
	}
	after, _ := e.lake.List(ctx, "raw/trends/")
	if !slices.Equal(before, after) || len(after) != 2 {
		t.Fatalf("re-run objects %v, want the same two as %v", after, before)
	}
	e.messages(t)
	wm, _, _ = e.lake.ReadWatermark(ctx, source.Trends)
	if len(wm.Pending) != 0 {
		t.Fatalf("pending after retry: %v", wm.Pending)
	}
	// Same day, nothing pending: nothing to do.
	if sum, err := e.x.Run(ctx, extract.Options{}); err != nil || !sum.NothingNew {
		t.Fatalf("third run: %+v %v", sum, err)
	}
}

// An answer whose shape cannot be understood is quarantined with an alert;
// a shape that changed but can be read does not stop the run.
func TestTrendsDrift(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		drift       string
		quarantined bool
	}{
		{trendstest.DriftRenameTimeline, false},
		{trendstest.DriftRetypeValue, false},
		{trendstest.DriftExtraField, false},
		{trendstest.DriftDropHasData, false},
		{trendstest.DriftDropTime, true},
		{trendstest.DriftDropDefault, true},
		{trendstest.DriftNotJSON, true},
	} {
		t.Run(tc.drift, func(t *testing.T) {
			em := trendstest.NewServer(trendstest.Options{Seed: 1, Now: now})
			t.Cleanup(em.Close)
			e := sourceEnv(t, now)
			e.x.Cfg.Source = source.Trends
			e.x.Trends = trendsClient(t, em.URL)
			em.AddFault(trendstest.Fault{Kind: trendstest.FaultDrift, Drift: tc.drift, Count: -1})
			sum, err := e.x.Run(ctx, extract.Options{})
			if !tc.quarantined {
				if err != nil || sum.Pages != 2 || sum.Quarantined != 0 {
					t.Fatalf("%+v %v; want both requests collected despite the drift", sum, err)
				}
				if tc.drift != trendstest.DriftExtraField && !strings.Contains(e.logs.String(), `"alert":"shape_drift"`) {
					t.Error("a tolerated shape change was not reported")
				}
				return
			}
			if !errors.Is(err, extract.ErrKeywordsFailed) || sum.Quarantined != 2 {
				t.Fatalf("%+v %v; want both answers quarantined", sum, err)
			}
			q, _ := e.lake.List(ctx, "quarantine/trends/")
			if len(q) != 2 || !strings.Contains(e.logs.String(), `"alert":"quarantine"`) {
				t.Fatalf("quarantine objects %v; want 2 and an alert", q)
			}
		})
	}
}

// A certification run that fails halfway announces nothing and leaves the
// watermark, so the loaded data set stays; the next run lands the whole set.
func TestCertFailsHalfway(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC) // a Wednesday
	em := certtest.NewServer(certtest.Options{Key: "cert-secret-key", FailAfter: 3})
	t.Cleanup(em.Close)
	e := sourceEnv(t, now)
	e.x.Cfg.Source = source.Cert
	exams, err := extract.ParseExams("정보처리기사=1320,ADsP=SYN-ADSP,SQLD=SYN-SQLD")
	if err != nil {
		t.Fatal(err)
	}
	c, err := cert.New(cert.Config{BaseURL: em.BaseURL(), ServiceKey: "cert-secret-key", Exams: exams, RatePerSecond: -1, MaxTries: 1, InitialBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e.x.Cert = c
	_, err = e.x.Run(ctx, extract.Options{})
	if err == nil || strings.Contains(err.Error(), "cert-secret-key") {
		t.Fatalf("halfway failure: %v; want an error without the key", err)
	}
	if msgs := e.messages(t); len(msgs) != 0 {
		t.Fatalf("a failed run announced %d messages", len(msgs))
	}
	if _, found, _ := e.lake.ReadWatermark(ctx, source.Cert); found {
		t.Fatal("a failed run moved the watermark")
	}

	em.Set(certtest.Options{Key: "cert-secret-key"})
	sum, err := e.x.Run(ctx, extract.Options{})
	if err != nil || sum.Pages != 6 {
		t.Fatalf("second run: %+v %v; want 3 exams x 2 stages", sum, err)
	}
	msgs := e.messages(t)
	if len(msgs) != 1 || len(msgs[0].Objects) != 7 || !strings.HasSuffix(msgs[0].Objects[6], "/"+lake.DataSetObject) {
		t.Fatalf("announced %+v; want 6 answers and the data set file", msgs)
	}
	if want := time.Date(2026, 11, 23, 0, 0, 0, 0, kst.Zone); !msgs[0].Window.To.Equal(want) {
		t.Errorf("window ends %v, want the week's Monday %v", msgs[0].Window.To, want)
	}
	for _, o := range msgs[0].Objects {
		b, _ := e.lake.Get(ctx, o)
		if bytes.Contains(b, []byte("cert-secret-key")) {
			t.Fatalf("%s holds the service key", o)
		}
	}
	// Same week: nothing to do.
	if sum, err := e.x.Run(ctx, extract.Options{}); err != nil || !sum.NothingNew {
		t.Fatalf("same week: %+v %v", sum, err)
	}
}

func TestParseExams(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"정보처리기사=1320", 1, true},
		{"정보처리기사=1320, ADsP=SYN-ADSP", 2, true},
		{"정보처리기사", 0, false},
		{"=1320", 0, false},
		{"a=../../x", 0, false},
		{"", 0, false},
	} {
		got, err := extract.ParseExams(tc.in)
		if (err == nil) != tc.ok || len(got) != tc.want {
			t.Errorf("ParseExams(%q) = %v, %v", tc.in, got, err)
		}
	}
}
