package transform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/transform"
)

func samplePage(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../saramin/testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParsePage(t *testing.T) {
	t.Parallel()
	good := `{"id":"1","position":{"title":"데이터 엔지니어"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}`
	tests := []struct {
		name            string
		body            string
		rows, bad       int
		reasonSubstring string
	}{
		{"all good", `{"jobs":{"count":1,"start":0,"total":"1","job":[` + good + `]}}`, 1, 0, ""},
		{"null id quarantined", `{"jobs":{"job":[` + good + `,{"id":null,"position":{"title":"x"},"posting-timestamp":"1"}]}}`, 1, 1, "missing id"},
		{"renamed timestamp quarantined", `{"jobs":{"job":[{"id":"2","position":{"title":"x"},"posting_timestamp":"1632734241"}]}}`, 0, 1, "posting-timestamp"},
		{"retyped fields accepted", `{"jobs":{"job":[{"id":3,"active":"1","position":{"title":"x","experience-level":{"code":"1"}},"posting-timestamp":1632734241,"modification-timestamp":1632734241}]}}`, 1, 0, ""},
		{"truncated page quarantined whole", `{"jobs":{"job":[` + good[:20], 0, 1, "not readable"},
		{"empty page", `{"jobs":{"count":0,"start":0,"total":"0","job":[]}}`, 0, 0, ""},
		{"modification time missing quarantined, not guessed", `{"jobs":{"job":[{"id":"4","position":{"title":"x"},"posting-timestamp":"1632734241"}]}}`, 0, 1, "modification-timestamp"},
		{"byte-order mark stripped", "\xef\xbb\xbf" + `{"jobs":{"count":1,"start":0,"total":"1","job":[` + good + `]}}`, 1, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := transform.ParsePage([]byte(tt.body), "raw/x", "run-1")
			rows, bad := p.Rows, p.Bad
			if n := bytes.Count(rows, []byte("\n")); n != tt.rows {
				t.Errorf("rows = %d, want %d", n, tt.rows)
			}
			if len(bad) != tt.bad {
				t.Fatalf("quarantined = %d (%+v), want %d", len(bad), bad, tt.bad)
			}
			if tt.bad > 0 && !strings.Contains(bad[0].Reason, tt.reasonSubstring) {
				t.Errorf("reason %q, want it to mention %q", bad[0].Reason, tt.reasonSubstring)
			}
			for _, line := range bytes.Split(bytes.TrimSpace(rows), []byte("\n")) {
				if len(line) == 0 {
					continue
				}
				var p saramin.Posting
				if err := json.Unmarshal(line, &p); err != nil || p.RunID != "run-1" || p.SourceObject != "raw/x" {
					t.Errorf("row %s: %v", line, err)
				}
			}
		})
	}
}

func TestParseRealSample(t *testing.T) {
	t.Parallel()
	p := transform.ParsePage(samplePage(t), "raw/sample", "run-s")
	rows, bad := p.Rows, p.Bad
	if len(bad) != 0 || len(p.Drift) != 0 {
		t.Fatalf("real sample quarantined %d records (%+v), drift %v", len(bad), bad, p.Drift)
	}
	if n := bytes.Count(rows, []byte("\n")); n != 110 {
		t.Fatalf("rows = %d, want 110", n)
	}
}

// Handle reads announced pages from a real (fake-gcs) lake and publishes
// to a real (pstest) bus; handling the same message twice writes the same
// objects and an identical announcement.
func TestHandleIsRepeatable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, lk, b := gcptest.Clients(t, bus.Topology{
		Topics:        []string{"clean"},
		Subscriptions: []bus.Subscription{{ID: "loader", Topic: "clean"}},
	})
	to := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	raw := bus.RawBatch{Source: source.Saramin, RunID: "saramin-r1", Window: bus.Window{From: to.Add(-time.Hour), To: to}}
	pages := [][]byte{samplePage(t), []byte(`{"jobs":{"job":[{"id":null}]}}`)}
	for i, p := range pages {
		name := lake.RawPage(source.Saramin, raw.RunID, to, i)
		if err := lk.Put(ctx, name, "application/json", p); err != nil {
			t.Fatal(err)
		}
		raw.Objects = append(raw.Objects, name)
	}
	raw.Objects = append(raw.Objects, "raw/saramin/gone.json")
	tr := &transform.Transformer{Cfg: transform.Config{Topic: "clean"}, Lake: lk, Bus: b, Now: func() time.Time { return to }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	first, err := tr.Handle(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	if first.Rows != 110 || first.Quarantined != 2 || len(first.Objects) != 1 || len(first.Quarantine) != 2 {
		t.Fatalf("first: %+v", first)
	}
	second, err := tr.Handle(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(first)
	c, _ := json.Marshal(second)
	if !bytes.Equal(a, c) {
		t.Fatalf("second handling differs:\n%s\n%s", a, c)
	}
	names, err := lk.List(ctx, "clean/")
	if err != nil || len(names) != 1 {
		t.Fatalf("clean objects %v %v: want exactly one after two handlings", names, err)
	}
	q, err := lk.Get(ctx, first.Quarantine[0])
	if err != nil || !strings.Contains(string(q), "missing id") {
		t.Fatalf("quarantine object: %s %v", q, err)
	}
}

// TestPostingsAnnouncedAreAccountedFor: a batch whose pages hold fewer
// postings than its announcement counts fails (the message stays, and the
// failure is alerted), rather than loading less in silence; one whose
// postings are all rows or records set aside goes through.
func TestPostingsAnnouncedAreAccountedFor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, lk, b := gcptest.Clients(t, bus.Topology{Topics: []string{"clean"}})
	to := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	tr := &transform.Transformer{Cfg: transform.Config{Topic: "clean"}, Lake: lk, Bus: b, Now: func() time.Time { return to }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	good := `{"id":"1","position":{"title":"데이터 엔지니어"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}`
	for _, tc := range []struct {
		name     string
		page     string
		postings int
		fails    bool
	}{
		{"valid JSON without jobs", `{"total":"3"}`, 3, true},
		{"fewer postings than announced", `{"jobs":{"job":[` + good + `]}}`, 2, true},
		{"a row and a record set aside", `{"jobs":{"job":[` + good + `,{"id":null}]}}`, 2, false},
		{"an older message without a count", `{"jobs":{"job":[` + good + `]}}`, 0, false},
	} {
		raw := bus.RawBatch{Source: source.Saramin, RunID: "saramin-" + strings.ReplaceAll(tc.name, " ", "-"), Window: bus.Window{To: to}, Postings: tc.postings}
		name := lake.RawPage(source.Saramin, raw.RunID, to, 0)
		if err := lk.Put(ctx, name, "application/json", []byte(tc.page)); err != nil {
			t.Fatal(err)
		}
		raw.Objects = []string{name}
		_, err := tr.Handle(ctx, raw)
		if got := errors.Is(err, transform.ErrCountMismatch); got != tc.fails {
			t.Errorf("%s: %v; want a count mismatch: %v", tc.name, err, tc.fails)
		}
	}
}

// TestDriftAbsorbedIsLogged: a record read despite a changed shape (a
// timestamp in milliseconds) loads, and the accommodation is logged as
// shape_drift with its kind and count.
func TestDriftAbsorbedIsLogged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, lk, b := gcptest.Clients(t, bus.Topology{Topics: []string{"clean"}})
	to := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	var logs bytes.Buffer
	tr := &transform.Transformer{Cfg: transform.Config{Topic: "clean"}, Lake: lk, Bus: b, Now: func() time.Time { return to }, Log: slog.New(slog.NewJSONHandler(&logs, nil))}
	raw := bus.RawBatch{Source: source.Saramin, RunID: "saramin-ms", Window: bus.Window{To: to}, Postings: 2}
	name := lake.RawPage(source.Saramin, raw.RunID, to, 0)
	page := `{"jobs":{"job":[` +
		`{"id":"1","position":{"title":"a"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241000"},` +
		`{"id":"2","position":{"title":"b"},"posting-timestamp":"1632734241","modification-timestamp":1632734241000}]}}`
	if err := lk.Put(ctx, name, "application/json", []byte(page)); err != nil {
		t.Fatal(err)
	}
	raw.Objects = []string{name}
	out, err := tr.Handle(ctx, raw)
	if err != nil || out.Rows != 2 || out.Quarantined != 0 {
		t.Fatalf("Handle = %+v, %v; want both rows", out, err)
	}
	for _, kind := range []string{"modification-timestamp in milliseconds", "modification-timestamp as a number in milliseconds"} {
		if l := logs.String(); !strings.Contains(l, `"alert":"shape_drift"`) || !strings.Contains(l, `"drift":"`+kind+`","records":1`) {
			t.Errorf("no shape_drift line naming %q and its count:\n%s", kind, l)
		}
		if out.Drift[kind] != 1 {
			t.Errorf("the clean batch counts %d records of %q, want 1 (%v)", out.Drift[kind], kind, out.Drift)
		}
	}
}
