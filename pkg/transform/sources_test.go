package transform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/cert"
	"jobpulse/pkg/cert/certtest"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/source"
	"jobpulse/pkg/transform"
	"jobpulse/pkg/trends"
	"jobpulse/pkg/trends/trendstest"
)

func newTransformer(t *testing.T, now time.Time) (*transform.Transformer, *lake.Lake, *bytes.Buffer) {
	t.Helper()
	_, lk, b := gcptest.Clients(t, bus.Topology{
		Topics:        []string{"clean"},
		Subscriptions: []bus.Subscription{{ID: "loader", Topic: "clean"}},
	})
	logs := &bytes.Buffer{}
	return &transform.Transformer{Cfg: transform.Config{Topic: "clean"}, Lake: lk, Bus: b, Now: func() time.Time { return now },
		Log: slog.New(slog.NewJSONHandler(logs, nil))}, lk, logs
}

// Captures of drifted answers the decoder can read become rows; one it
// cannot read is quarantined with an alert and the others go on.
func TestHandleTrends(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	em := trendstest.NewServer(trendstest.Options{Seed: 5, Now: now})
	t.Cleanup(em.Close)
	c, err := trends.New(trends.Config{BaseURL: em.URL, RatePerSecond: -1, MaxTries: 1})
	if err != nil {
		t.Fatal(err)
	}
	tr, lk, logs := newTransformer(t, now)
	raw := bus.RawBatch{Source: source.Trends, RunID: "trends-r1", Window: bus.Window{From: now.AddDate(-1, 0, 0), To: now}}
	put := func(name string, body []byte) {
		if err := lk.Put(ctx, name, "application/json", body); err != nil {
			t.Fatal(err)
		}
		raw.Objects = append(raw.Objects, lake.RawItem(source.Trends, raw.RunID, now, name))
	}
	for i, drift := range []string{"", trendstest.DriftRenameTimeline, trendstest.DriftRetypeValue, trendstest.DriftDropHasData} {
		em.ClearFaults()
		if drift != "" {
			em.AddFault(trendstest.Fault{Kind: trendstest.FaultDrift, Drift: drift, Count: -1})
		}
		s, err := c.Interest(ctx, []string{"데이터 분석", []string{"SQL", "파이썬", "ADsP", "SQLD"}[i]}, raw.Window.From, now)
		if err != nil {
			t.Fatalf("%s: %v", drift, err)
		}
		b, _ := json.Marshal(s.Capture())
		if err := lk.Put(ctx, lake.RawItem(source.Trends, raw.RunID, now, drift+".json"), "application/json", b); err != nil {
			t.Fatal(err)
		}
		raw.Objects = append(raw.Objects, lake.RawItem(source.Trends, raw.RunID, now, drift+".json"))
	}
	// A capture whose multiline body lost its points' time.
	var broken trends.Capture
	b0, _ := lk.Get(ctx, raw.Objects[0])
	_ = json.Unmarshal(b0, &broken)
	broken.Multiline = strings.ReplaceAll(broken.Multiline, `"time"`, `"t"`)
	bb, _ := json.Marshal(broken)
	put("broken.json", bb)

	out, err := tr.Handle(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Objects) != 4 || out.Quarantined != 1 || len(out.Quarantine) != 1 {
		t.Fatalf("%+v; want 4 clean objects and the broken capture quarantined", out)
	}
	if !strings.Contains(logs.String(), `"alert":"quarantine"`) || !strings.Contains(logs.String(), `"alert":"shape_drift"`) {
		t.Error("missing quarantine or shape_drift alerts")
	}
	// Rows of every drifted answer carry scaled values with the anchor at 100.
	rows := 0
	for _, o := range out.Objects {
		body, err := lk.Get(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		n := 0
		for _, line := range bytes.Split(bytes.TrimSpace(body), []byte("\n")) {
			var r trends.Row
			if err := json.Unmarshal(line, &r); err != nil {
				t.Fatal(err)
			}
			rows++
			if r.Keyword == "데이터 분석" && r.HasData && !r.IsPartial {
				sum += r.Scaled
				n++
			}
		}
		if mean := sum / float64(n); mean < 99.99 || mean > 100.01 {
			t.Errorf("%s: anchor mean %v, want 100", o, mean)
		}
	}
	if rows != out.Rows {
		t.Errorf("%d rows in the files, message says %d", rows, out.Rows)
	}
}

// The certification set is all or nothing: one unreadable answer
// quarantines the run and announces no files.
func TestHandleCert(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for _, malformed := range []bool{false, true} {
		em := certtest.NewServer(certtest.Options{Key: "k"})
		t.Cleanup(em.Close)
		c, err := cert.New(cert.Config{BaseURL: em.BaseURL(), ServiceKey: "k", RatePerSecond: -1,
			Exams: []cert.Exam{{Name: "정보처리기사", JmCd: "1320"}, {Name: "ADsP", JmCd: "SYN-ADSP"}}})
		if err != nil {
			t.Fatal(err)
		}
		pages, err := c.Pages(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if malformed {
			pages[2].Body = pages[2].Body[:len(pages[2].Body)/2]
		}
		tr, lk, logs := newTransformer(t, now)
		raw := bus.RawBatch{Source: source.Cert, RunID: "cert-r1", Window: bus.Window{From: now.AddDate(0, 0, -7), To: now}}
		for i, p := range pages {
			b, _ := json.Marshal(p)
			name := lake.RawItem(source.Cert, raw.RunID, now, string(rune('a'+i))+".json")
			if err := lk.Put(ctx, name, "application/json", b); err != nil {
				t.Fatal(err)
			}
			raw.Objects = append(raw.Objects, name)
		}
		name := lake.RawItem(source.Cert, raw.RunID, now, lake.DataSetObject)
		if err := lk.Put(ctx, name, "text/csv", cert.DataSetBytes()); err != nil {
			t.Fatal(err)
		}
		raw.Objects = append(raw.Objects, name)
		out, err := tr.Handle(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		if malformed {
			if len(out.Objects) != 0 || out.Quarantined != 1 || !strings.Contains(logs.String(), `"alert":"quarantine"`) {
				t.Fatalf("malformed: %+v; want no files, one quarantined answer and an alert", out)
			}
			continue
		}
		// 2 exams x 2 stages x 5 years from the API; the data set's two
		// 2022 정보처리기사 rows are replaced by the API's.
		if len(out.Objects) != 1 || out.Rows != 20 {
			t.Fatalf("%+v; want the whole set (20 rows) in one file", out)
		}
		body, _ := lk.Get(ctx, out.Objects[0])
		if strings.Count(string(body), `"origin":"qnet"`) != 20 {
			t.Errorf("set: %s", body)
		}
	}
}
