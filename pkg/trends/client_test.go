package trends_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/trends"
	"jobpulse/pkg/trends/trendstest"
)

var now = time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)

func newClient(t *testing.T, url string, timeout time.Duration) *trends.Client {
	t.Helper()
	c, err := trends.New(trends.Config{BaseURL: url, RatePerSecond: -1, MaxTries: 3,
		InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFixturesDecode(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/explore_response_excerpt.json")
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		W json.RawMessage `json:"TIMESERIES_widget"`
	}
	if err := json.Unmarshal(raw, &ex); err != nil {
		t.Fatal(err)
	}
	body := append([]byte(")]}'\n{\"widgets\":["), ex.W...)
	body = append(body, "]}"...)
	w, err := trends.DecodeExplore(body)
	if err != nil {
		t.Fatal(err)
	}
	if w.Token != "APP6_UEAAAAAZCFPPQLmhmp72Rbs838Ywtsm7YSkLL-9" || w.Resolution != "WEEK" || w.UserType != "USER_TYPE_SCRAPER" {
		t.Errorf("widget = %+v", w)
	}
	raw, err = os.ReadFile("testdata/multiline_excerpt.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := trends.DecodeMultiline(append([]byte(")]}',\n"), raw...), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 4 {
		t.Fatalf("%d points, want 4 (the elided \"...\" skipped)", len(s.Points))
	}
	p0, last := s.Points[0], s.Points[3]
	if !p0.Time.Equal(time.Unix(1522540800, 0)) || p0.Values[0] != 81 || p0.Values[1] != 1 || !p0.HasData[1] || p0.IsPartial {
		t.Errorf("first point %+v", p0)
	}
	if !last.IsPartial || last.Values[0] != 58 {
		t.Errorf("last point %+v", last)
	}
	if len(s.Averages) != 2 || s.Averages[0] != 77 {
		t.Errorf("averages %v", s.Averages)
	}
}

func TestInterestEndToEnd(t *testing.T) {
	t.Parallel()
	srv := trendstest.NewServer(trendstest.Options{Seed: 7, Now: now})
	t.Cleanup(srv.Close)
	kw := []string{"데이터 분석", "데이터 엔지니어", "빅데이터분석기사", "SQL", "파이썬"}
	from := now.AddDate(-1, 0, 0)
	for _, method := range []string{"GET", "POST"} {
		t.Run(method, func(t *testing.T) {
			c, err := trends.New(trends.Config{BaseURL: srv.URL, RatePerSecond: -1, ExploreMethod: method})
			if err != nil {
				t.Fatal(err)
			}
			s, err := c.Interest(context.Background(), kw, from, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Points) < 50 || len(s.Warnings) != 0 || s.Resolution != "WEEK" || len(s.RawExplore) == 0 || len(s.RawMultiline) == 0 {
				t.Fatalf("points %d warnings %v resolution %q", len(s.Points), s.Warnings, s.Resolution)
			}
			peak := 0
			for i, p := range s.Points {
				if p.Time.Weekday() != time.Sunday || len(p.Values) != 5 {
					t.Fatalf("point %d: %+v", i, p)
				}
				if p.IsPartial != (i == len(s.Points)-1) {
					t.Errorf("point %d partial=%v", i, p.IsPartial)
				}
				for _, v := range p.Values {
					peak = max(peak, v)
				}
			}
			if peak != 100 {
				t.Errorf("peak %d, want 100", peak)
			}
		})
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	kw := []string{"데이터 분석", "SQL"}
	tests := []struct {
		name    string
		fault   trendstest.Fault
		want    error // nil: succeeds after retries
		timeout time.Duration
	}{
		{"429 once then ok", trendstest.Fault{Kind: trendstest.FaultRateLimit, Endpoint: "multiline"}, nil, 0},
		{"429 always", trendstest.Fault{Kind: trendstest.FaultRateLimit, Count: -1}, apicall.ErrRateLimited, 0},
		{"503 twice then ok", trendstest.Fault{Kind: trendstest.FaultServerError, Status: 503, Count: 2}, nil, 0},
		{"500 always", trendstest.Fault{Kind: trendstest.FaultServerError, Count: -1}, apicall.ErrServer, 0},
		{"slow always", trendstest.Fault{Kind: trendstest.FaultSlow, Delay: "300ms", Count: -1}, apicall.ErrTimeout, 50 * time.Millisecond},
		{"slow once", trendstest.Fault{Kind: trendstest.FaultSlow, Delay: "300ms"}, nil, 50 * time.Millisecond},
		{"bad token once: fresh token", trendstest.Fault{Kind: trendstest.FaultBadToken}, nil, 0},
		{"bad token always", trendstest.Fault{Kind: trendstest.FaultBadToken, Count: -1}, trends.ErrTokenRejected, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := trendstest.NewServer(trendstest.Options{Seed: 1, Now: now})
			t.Cleanup(srv.Close)
			srv.AddFault(tc.fault)
			c := newClient(t, srv.URL, tc.timeout)
			s, err := c.Interest(context.Background(), kw, now.AddDate(0, -6, 0), now)
			if tc.want == nil {
				if err != nil || len(s.Points) == 0 {
					t.Fatalf("err %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if apicall.Retryable(err) != true {
				t.Errorf("Retryable(%v) = false", err)
			}
		})
	}
}

func TestDrift(t *testing.T) {
	t.Parallel()
	tests := []struct {
		drift   string
		shape   bool   // ErrShape expected
		warning string // expected warning when tolerated
	}{
		{trendstest.DriftRenameTimeline, false, "multiline: timelineData missing; read the points from default.timeline"},
		{trendstest.DriftRetypeValue, false, "multiline: value sent as strings, parsed"},
		{trendstest.DriftExtraField, false, ""},
		{trendstest.DriftDropHasData, false, "multiline: hasData missing; inferred from value > 0"},
		{trendstest.DriftDropTime, true, ""},
		{trendstest.DriftDropDefault, true, ""},
		{trendstest.DriftNoTimeseries, true, ""},
		{trendstest.DriftNotJSON, true, ""},
	}
	srv := trendstest.NewServer(trendstest.Options{Seed: 3, Now: now})
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, 0)
	kw := []string{"데이터 분석", "ADsP", "SQL"}
	from := now.AddDate(-2, 0, 0)
	base, err := c.Interest(context.Background(), kw, from, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.drift, func(t *testing.T) {
			srv.ClearFaults()
			srv.AddFault(trendstest.Fault{Kind: trendstest.FaultDrift, Drift: tc.drift, Count: -1})
			s, err := c.Interest(context.Background(), kw, from, now)
			if tc.shape {
				var se *apicall.ShapeError
				if !errors.Is(err, apicall.ErrShape) || !errors.As(err, &se) || se.Reason == "" || len(se.Body) == 0 {
					t.Fatalf("err %v, want a ShapeError with reason and body", err)
				}
				if apicall.Retryable(err) {
					t.Error("ErrShape must not be retried")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.warning != "" && (len(s.Warnings) != 1 || s.Warnings[0] != tc.warning) {
				t.Errorf("warnings %q, want %q", s.Warnings, tc.warning)
			}
			if len(s.Points) != len(base.Points) {
				t.Fatalf("%d points, want %d", len(s.Points), len(base.Points))
			}
			for i := range s.Points {
				a, b := s.Points[i], base.Points[i]
				if !a.Time.Equal(b.Time) || a.IsPartial != b.IsPartial || !slices.Equal(a.Values, b.Values) || !slices.Equal(a.HasData, b.HasData) {
					t.Fatalf("point %d: %+v, want %+v", i, a, b)
				}
			}
		})
	}
	srv.ClearFaults()
}

func TestValidation(t *testing.T) {
	t.Parallel()
	c := newClient(t, "http://127.0.0.1:1", 0)
	for _, kw := range [][]string{nil, {"a", "b", "c", "d", "e", "f"}, {"a", "a"}, {""}} {
		if _, err := c.Interest(context.Background(), kw, now.AddDate(0, -1, 0), now); !errors.Is(err, apicall.ErrBadRequest) {
			t.Errorf("%q: err %v", kw, err)
		}
	}
}

func series(kw []string, pts ...[]int) trends.Series {
	s := trends.Series{Keywords: kw}
	for i, v := range pts {
		hd := make([]bool, len(v))
		for j := range v {
			hd[j] = v[j] > 0
		}
		s.Points = append(s.Points, trends.Point{Time: time.Unix(int64(i)*604800, 0), Values: v, HasData: hd})
	}
	return s
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	ref := series([]string{"A", "X"}, []int{50, 100}, []int{30, 80})  // anchor mean 40
	other := series([]string{"A", "Y"}, []int{100, 10}, []int{60, 5}) // anchor mean 80
	third := series([]string{"A", "Z"}, []int{40, 100}, []int{40, 0}) // anchor has data in both
	third.Points[1].IsPartial = true                                  // only period 1 counts: mean 40
	ss := []trends.Series{ref, other, third}
	if err := trends.Normalize(ss, "A"); err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ mean, scale float64 }{{40, 2.5}, {80, 1.25}, {40, 2.5}} {
		if math.Abs(ss[i].Scale-want.scale) > 1e-9 || ss[i].AnchorMean != want.mean || ss[i].Anchor != "A" {
			t.Errorf("series %d: scale %v mean %v anchor %q, want %+v", i, ss[i].Scale, ss[i].AnchorMean, ss[i].Anchor, want)
		}
	}
	if got := ss[1].Points[0].Scaled; got[0] != 125 || got[1] != 12.5 {
		t.Errorf("scaled %v, want [125 12.5]", got)
	}
	if got := ss[2].Points[0].Scaled[1]; got != 250 {
		t.Errorf("scaled Z %v, want 250", got)
	}
	bad := []trends.Series{ref, series([]string{"B"}, []int{1})}
	if err := trends.Normalize(bad, "A"); !errors.Is(err, trends.ErrAnchor) || bad[0].Scale != 0 {
		t.Errorf("missing anchor: err %v scale %v; want ErrAnchor and no series touched", err, bad[0].Scale)
	}
	zero := []trends.Series{series([]string{"A"}, []int{0}, []int{0})}
	if err := trends.Normalize(zero, "A"); !errors.Is(err, trends.ErrAnchor) {
		t.Errorf("zero anchor: err %v", err)
	}
}

func TestGroups(t *testing.T) {
	t.Parallel()
	g := trends.Groups("데이터 분석", []string{"a", "데이터 분석", "b", "c", "d", "e", "a"})
	if len(g) != 2 || len(g[0]) != 5 || g[0][0] != "데이터 분석" || len(g[1]) != 2 || g[1][0] != "데이터 분석" || g[1][1] != "e" {
		t.Errorf("groups %q", g)
	}
}

// TestNormalizeEmulator checks anchoring end to end: two requests sharing
// the anchor, normalized, give a keyword present in both the same scaled
// values.
func TestNormalizeEmulator(t *testing.T) {
	t.Parallel()
	srv := trendstest.NewServer(trendstest.Options{Seed: 9, Now: now})
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, 0)
	from := now.AddDate(-1, 0, 0)
	a, err := c.Interest(context.Background(), []string{"SQL", "파이썬", "ADsP"}, from, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Interest(context.Background(), []string{"SQL", "빅데이터분석기사", "ADsP"}, from, now)
	if err != nil {
		t.Fatal(err)
	}
	ss := []trends.Series{*a, *b}
	if err := trends.Normalize(ss, "SQL"); err != nil {
		t.Fatal(err)
	}
	if ss[1].Scale >= ss[0].Scale {
		t.Errorf("scales %v and %v: without 파이썬 (the biggest keyword) SQL is the second request's peak, so its values must be scaled down more", ss[0].Scale, ss[1].Scale)
	}
	var diff, sum float64
	for i := range ss[0].Points {
		diff += math.Abs(ss[0].Points[i].Scaled[2] - ss[1].Points[i].Scaled[2])
		sum += ss[0].Points[i].Scaled[2]
	}
	if diff/sum > 0.1 {
		t.Errorf("ADsP differs by %.1f%% after rescaling", 100*diff/sum)
	}
}
