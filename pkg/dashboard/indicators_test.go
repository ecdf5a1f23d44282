package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"jobpulse/pkg/cert"
	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

type indicators struct {
	Filter     map[string]any       `json:"filter"`
	Indicators dashboard.Indicators `json:"indicators"`
}

// weeks writes weeks as week:postings:interest:partial ("-" for null).
func weeks(ws []dashboard.Week) string {
	var out []string
	for _, w := range ws {
		p, i := "-", "-"
		if w.Postings != nil {
			p = strconv.FormatInt(*w.Postings, 10)
		}
		if w.Interest != nil {
			i = strconv.FormatFloat(*w.Interest, 'f', -1, 64)
		}
		part := ""
		if w.Partial {
			part = ":partial"
		}
		out = append(out, fmt.Sprintf("%s:%s:%s%s", w.Week, p, i, part))
	}
	return strings.Join(out, " ")
}

// TestIndicatorsSpan: by default the axis is the weeks both postings and
// interest cover; span=all shows every week of the dates, with nothing
// (null) where the warehouse has no postings. The week the postings' last
// day cuts is partial and left out of the comparisons.
func TestIndicatorsSpan(t *testing.T) {
	t.Parallel()
	srv := server(t)
	dates := "&from=2026-09-01&to=2026-09-30"
	tests := []struct {
		query, weeks string
	}{
		{"role=data_engineer" + dates, "2026-09-07:1:40 2026-09-14:1:60 2026-09-21:0:20:partial"},
		{"role=data_engineer&span=overlap" + dates, "2026-09-07:1:40 2026-09-14:1:60 2026-09-21:0:20:partial"},
		{"role=data_engineer&span=all" + dates, "2026-08-31:-:-:partial 2026-09-07:1:40 2026-09-14:1:60 2026-09-21:0:20:partial 2026-09-28:-:-:partial"},
		// The dates cut the overlap too.
		{"role=all&from=2026-09-10&to=2026-09-30", "2026-09-07:0:40:partial 2026-09-14:3:60 2026-09-21:1:20:partial"},
	}
	for _, tc := range tests {
		var v indicators
		if code := get(t, srv, "/api/indicators?"+tc.query, &v); code != http.StatusOK {
			t.Fatalf("%s: %d", tc.query, code)
		}
		if got := weeks(v.Indicators.Weeks); got != tc.weeks {
			t.Errorf("%s: weeks\n%s\nwant\n%s", tc.query, got, tc.weeks)
		}
	}
	var v indicators
	get(t, srv, "/api/indicators?role=data_engineer"+dates, &v)
	in := v.Indicators
	if o := in.Overlap; o == nil || o.From != "2026-09-07" || o.To != "2026-09-21" || o.Weeks != 3 || in.Span != "overlap" {
		t.Errorf("overlap %+v, span %q", o, in.Span)
	}
	// Two whole weeks: too few for a reading at any cut-off, and for a
	// trusted outlook.
	ll := in.LeadLag
	if ll.Stable || ll.MinWeeks != dashboard.MinWeeks || len(ll.Cutoffs) != dashboard.Cutoffs || ll.Cutoffs[0].Weeks != 2 || ll.Cutoffs[0].Through != "2026-09-14" ||
		ll.Cutoffs[0].Best.N != 0 || len(in.Correlations) != 0 {
		t.Errorf("lead-lag %+v, correlations %v", ll, in.Correlations)
	}
	if !in.Outlook.TooShort || in.Outlook.Basis != 2 || len(in.Outlook.Points) != 0 || in.Complete != "2026-09-14" {
		t.Errorf("outlook %+v from %s; want no outlook from the 2 whole weeks", in.Outlook, in.Complete)
	}
	if len(in.InterestIgnores) != 0 {
		t.Errorf("no filter set, yet interest ignores %v", in.InterestIgnores)
	}
	// A view ending before the first posting is empty, not an error.
	var early indicators
	if code := get(t, srv, "/api/indicators?to=2026-08-01", &early); code != http.StatusOK || early.Indicators.Overlap != nil || len(early.Indicators.Weeks) != 0 {
		t.Errorf("indicators before the first posting: %d %+v", code, early.Indicators)
	}
	var e map[string]string
	if code := get(t, srv, "/api/indicators?span=forever", &e); code != http.StatusBadRequest || !strings.Contains(e["error"], "span=") {
		t.Errorf("span=forever: %d %v; want 400 naming span", code, e)
	}
}

// TestIndicatorsFilters: the postings series honours every filter, week by
// week as the volume view counts them; interest says which filters it
// cannot follow.
func TestIndicatorsFilters(t *testing.T) {
	t.Parallel()
	srv := server(t)
	dates := "&from=2026-09-01&to=2026-09-30"
	seoul, gyeonggi, it := url.QueryEscape("서울"), url.QueryEscape("경기"), url.QueryEscape("IT·웹·통신")
	tests := []struct {
		filters string
		ignores []string
		total   int64
	}{
		{"role=all", nil, 7},
		{"role=all&entry=1", []string{"entry"}, 3},
		{"role=all&entry=1&province=" + seoul, []string{"entry", "province"}, 2},
		{"role=data_analyst&province=" + gyeonggi, []string{"province"}, 1},
		{"role=all&industry=" + it, []string{"industry"}, 4},
		{"role=data_engineer&entry=1&province=" + seoul + "&industry=" + it, []string{"entry", "province", "industry"}, 1},
	}
	for _, tc := range tests {
		var vol volume
		if code := get(t, srv, "/api/volume?grain=week&"+tc.filters+dates, &vol); code != http.StatusOK {
			t.Fatalf("volume %s: %d", tc.filters, code)
		}
		byWeek := map[string]int64{}
		for _, p := range vol.Points {
			if p.Postings != nil {
				byWeek[p.Date] = *p.Postings
			}
		}
		var v indicators
		if code := get(t, srv, "/api/indicators?span=all&"+tc.filters+dates, &v); code != http.StatusOK {
			t.Fatalf("indicators %s: %d", tc.filters, code)
		}
		var total int64
		for _, w := range v.Indicators.Weeks {
			if w.Postings == nil {
				continue
			}
			total += *w.Postings
			if *w.Postings != byWeek[w.Week] {
				t.Errorf("%s: week %s: %d postings; the volume view counts %d", tc.filters, w.Week, *w.Postings, byWeek[w.Week])
			}
		}
		if total != tc.total || !slices.Equal(v.Indicators.InterestIgnores, append([]string{}, tc.ignores...)) {
			t.Errorf("%s: %d postings, interest ignores %v; want %d, %v", tc.filters, total, v.Indicators.InterestIgnores, tc.total, tc.ignores)
		}
	}
}

// TestIndicatorsCerts: each stage of each year with its three counts as
// the source names them, its pass rate and its source; a count a round
// did not publish leaves the year's sum unknown, never short.
func TestIndicatorsCerts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := warehouseFile(t, nil, "정보처리기사")
	w, err := duckdb.Open(ctx, path, duckdb.WithClassifier(warehousetest.TitleClassifier))
	if err != nil {
		t.Fatal(err)
	}
	stat := func(stage string, year, round, applicants, examinees, passers int, source, quality string) cert.Stat {
		return cert.Stat{Exam: "정보처리기사", Stage: stage, Year: year, Round: round, Applicants: applicants, Examinees: examinees,
			Passers: passers, PassRate: cert.Rate(passers, examinees), Source: source, Quality: quality, Origin: cert.OriginDataSet}
	}
	const qnet, blog = "https://q-net.example/stats", "https://blog.example/post"
	rows := []cert.Stat{
		// 2024: two rounds of each stage; the practical stage's second
		// round publishes no applicants.
		stat(cert.StageWritten, 2024, 1, 100, 80, 40, qnet, cert.QualityOfficial),
		stat(cert.StageWritten, 2024, 2, 60, 50, 20, qnet, cert.QualityOfficial),
		stat(cert.StagePractical, 2024, 1, 50, 45, 30, qnet, cert.QualityOfficial),
		stat(cert.StagePractical, 2024, 2, 0, 40, 25, blog, cert.QualityUnverified),
		// 2025: the whole year, both stages.
		stat(cert.StagePractical, 2025, 0, 70, 60, 21, qnet, cert.QualityOfficial),
		stat(cert.StageWritten, 2025, 0, 120, 100, 55, qnet, cert.QualityOfficial),
	}
	src := warehousetest.Lake{"cert": warehousetest.NDJSON(rows...)}
	if _, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c2", Objects: []string{"cert"}, Rows: len(rows), WindowTo: base.AddDate(0, 0, 1)}, src); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, path)
	var v indicators
	if code := get(t, srv, "/api/indicators?role=data_engineer", &v); code != http.StatusOK {
		t.Fatalf("indicators: %d", code)
	}
	n := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatInt(*p, 10)
	}
	var got []string
	for _, c := range v.Indicators.Certs {
		rate := "-"
		if c.PassRate != nil {
			rate = strconv.FormatFloat(*c.PassRate, 'f', -1, 64)
		}
		got = append(got, fmt.Sprintf("%d %s %s/%s/%s %s%% rounds=%d %s %s", c.Year, c.Stage, n(c.Applicants), n(c.Examinees), n(c.Passers), rate, c.Rounds, c.Quality, strings.Join(c.Sources, ",")))
		if c.Applicants != nil && c.Passers != nil && *c.Passers > *c.Applicants || c.Examinees != nil && c.Passers != nil && *c.Passers > *c.Examinees {
			t.Errorf("%d %s: more passers than applicants or examinees: %+v", c.Year, c.Stage, c)
		}
	}
	want := []string{
		"2024 필기 160/130/60 46.2% rounds=2 official " + qnet,
		"2024 실기 -/85/55 64.7% rounds=2 unverified " + blog + "," + qnet,
		"2025 필기 120/100/55 55% rounds=1 official " + qnet,
		"2025 실기 70/60/21 35% rounds=1 official " + qnet,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("certs\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
