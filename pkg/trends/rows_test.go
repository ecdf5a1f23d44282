package trends_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/trends"
	"jobpulse/pkg/trends/trendstest"
)

// A capture written to the lake decodes to the same series, and its rows
// carry the request context needed to redo the scaling.
func TestCaptureRoundTripAndRows(t *testing.T) {
	t.Parallel()
	srv := trendstest.NewServer(trendstest.Options{Seed: 3, Now: now})
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, 0)
	kw := []string{"데이터 분석", "SQL", "ADsP"}
	s, err := c.Interest(context.Background(), kw, now.AddDate(-1, 0, 0), now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s.Capture())
	if err != nil {
		t.Fatal(err)
	}
	got, err := trends.ParseCapture(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Points) != len(s.Points) || got.Window != s.Window || got.Resolution != s.Resolution || len(got.Points) < 50 {
		t.Fatalf("round trip: %d points %q %q, want %d points %q %q", len(got.Points), got.Window, got.Resolution, len(s.Points), s.Window, s.Resolution)
	}
	ss := []trends.Series{*got}
	if err := trends.Normalize(ss, "데이터 분석"); err != nil {
		t.Fatal(err)
	}
	rows := trends.Rows(&ss[0], "run-1", "raw/x.json")
	if len(rows) != 3*len(got.Points) {
		t.Fatalf("%d rows, want %d", len(rows), 3*len(got.Points))
	}
	var anchorSum float64
	n := 0
	for _, r := range rows {
		if r.RequestID != trends.RequestID(kw, "KR", s.Window) || r.Anchor != "데이터 분석" || r.RunID != "run-1" || r.Geo != "KR" {
			t.Fatalf("row context %+v", r)
		}
		if r.Scaled != float64(r.Interest)*r.Scale {
			t.Fatalf("scaled %v != %d * %v", r.Scaled, r.Interest, r.Scale)
		}
		if r.Keyword == "데이터 분석" && r.HasData && !r.IsPartial {
			anchorSum += r.Scaled
			n++
		}
	}
	if mean := anchorSum / float64(n); mean < 99.999 || mean > 100.001 {
		t.Errorf("the anchor's scaled mean is %v, want 100", mean)
	}
}

func TestParseCaptureRefusesWhatItCannotRead(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"not json":    `<html>`,
		"no keywords": `{"keywords":[],"window":"2024-01-01 2024-12-31"}`,
		"bad window":  `{"keywords":["a"],"window":"last year"}`,
		"bad bodies":  `{"keywords":["a"],"window":"2024-01-01 2024-12-31","explore":")]}'\n{}","multiline":""}`,
	} {
		if _, err := trends.ParseCapture([]byte(body)); !errors.Is(err, apicall.ErrShape) {
			t.Errorf("%s: err %v, want ErrShape", name, err)
		}
	}
}
