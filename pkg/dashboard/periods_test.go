package dashboard_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// coveragePostings start mid-month (Wednesday 15 July 2026), skip August
// and end mid-week (Wednesday 14 October 2026), each posted at 12:00 KST.
var coveragePostings = []struct {
	id, title string
	day       string
	newcomer  bool
}{
	{"c1", "데이터 엔지니어 채용", "2026-07-15", true},
	{"c2", "백엔드 개발자", "2026-07-20", false},
	{"c3", "데이터 분석가 (신입)", "2026-09-01", true},
	{"c4", "백엔드 개발자", "2026-09-08", false},
	{"c5", "데이터 엔지니어 채용", "2026-09-15", true},
	{"c6", "데이터 엔지니어 (경력)", "2026-09-16", false},
	{"c7", "프론트엔드 개발자", "2026-10-12", true},
	{"c8", "데이터 엔지니어 채용", "2026-10-14", true},
}

// coverageServer serves a warehouse of coveragePostings loaded at loaded.
func coverageServer(t *testing.T, loaded time.Time) string {
	t.Helper()
	ctx := context.Background()
	w, path := openWarehouse(t, duckdb.WithClassifier(warehousetest.TitleClassifier), duckdb.WithClock(func() time.Time { return loaded }))
	var rows []saramin.Posting
	for _, c := range coveragePostings {
		day, err := time.Parse(time.DateOnly, c.day)
		if err != nil {
			t.Fatal(err)
		}
		// Posted two hours before modified: 03:00 UTC, 12:00 KST.
		p := warehousetest.Posting(c.id, c.title, day.Add(5*time.Hour), "r1")
		if !c.newcomer {
			n, lo := int64(2), int64(3)
			p.ExperienceCode, p.ExperienceMin, p.ExperienceName = &n, &lo, "경력"
		}
		rows = append(rows, p)
	}
	src := warehousetest.Lake{"r1": warehousetest.NDJSON(rows...)}
	if _, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"r1"}, Rows: len(rows)}, src); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(path)
}

// show writes each point as date:postings/market[:why], "-" for a gap.
func show(pts []dashboard.Point) string {
	var out []string
	for _, p := range pts {
		s := p.Date + ":-"
		if p.Covered {
			s = fmt.Sprintf("%s:%d/%d", p.Date, *p.Postings, *p.Market)
		}
		if p.Partial {
			s += ":" + p.Why
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func ratio(x *float64) string {
	if x == nil {
		return "null"
	}
	return strconv.FormatFloat(*x, 'f', 2, 64)
}

// TestPeriods: a period the warehouse does not cover is a gap (null
// counts), a covered period without postings a real zero (with no share
// when no posting at all), and the periods that are not whole (cut by the
// dates, running past the coverage, or holding the day the newest load ran
// in) are marked partial with their reason.
func TestPeriods(t *testing.T) {
	t.Parallel()
	after := time.Date(2026, 10, 20, 1, 0, 0, 0, time.UTC)  // days after the last posting
	during := time.Date(2026, 10, 14, 6, 0, 0, 0, time.UTC) // 15:00 KST on the last posting day
	srvAfter, srvDuring := serve(t, coverageServer(t, after)), serve(t, coverageServer(t, during))
	tests := []struct {
		name   string
		during bool // loaded during the last posting day
		query  string
		want   string
	}{
		{"months around the coverage", false, "role=all&grain=month&from=2026-06-01&to=2026-11-30",
			"2026-06-01:- 2026-07-01:2/2:coverage 2026-08-01:0/0 2026-09-01:4/4 2026-10-01:2/2:coverage 2026-11-01:-"},
		{"months cut by the dates too", false, "role=data_engineer&grain=month&from=2026-07-20&to=2026-10-31",
			"2026-07-01:0/1:dates 2026-08-01:0/0 2026-09-01:2/4 2026-10-01:1/2:coverage"},
		{"weeks cut by the dates", false, "role=data_engineer&grain=week&from=2026-09-01&to=2026-09-30",
			"2026-08-31:0/1:dates 2026-09-07:0/1 2026-09-14:2/2 2026-09-21:0/0 2026-09-28:0/0:dates"},
		{"the week of the last posting day", false, "role=all&grain=week&from=2026-10-05&to=2026-10-25",
			"2026-10-05:0/0 2026-10-12:2/2:coverage 2026-10-19:-"},
		{"the last day, loaded after it", false, "role=all&grain=day&from=2026-10-12&to=2026-10-15",
			"2026-10-12:1/1 2026-10-13:0/0 2026-10-14:1/1 2026-10-15:-"},
		{"the last day, loaded during it", true, "role=all&grain=day&from=2026-10-12&to=2026-10-15",
			"2026-10-12:1/1 2026-10-13:0/0 2026-10-14:1/1:unfinished 2026-10-15:-"},
		{"the week of the last day, loaded during it", true, "role=all&grain=week&from=2026-10-05&to=2026-10-18",
			"2026-10-05:0/0 2026-10-12:2/2:unfinished"},
		{"the first day", false, "role=all&grain=day&from=2026-07-14&to=2026-07-16",
			"2026-07-14:- 2026-07-15:1/1 2026-07-16:0/0"},
		{"nothing covered", false, "role=all&grain=week&from=2026-01-05&to=2026-01-18",
			"2026-01-05:- 2026-01-12:-"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := srvAfter
			if tc.during {
				srv = srvDuring
			}
			var v volume
			if code := get(t, srv, "/api/volume?"+tc.query, &v); code != 200 {
				t.Fatalf("%s: %d", tc.query, code)
			}
			if got := show(v.Points); got != tc.want {
				t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
			}
			for _, p := range v.Points {
				if !p.Covered && (p.Postings != nil || p.Market != nil || p.Entry != nil || p.Share != nil || p.EntryPct != nil || p.Open != nil || p.Partial) {
					t.Errorf("%s: the gap %s has values: %+v", tc.query, p.Date, p)
				}
			}
		})
	}

	// Shares: null without a market, entry % null without postings, a
	// real 0 otherwise.
	var v volume
	get(t, srvAfter, "/api/volume?role=data_engineer&grain=week&from=2026-09-07&to=2026-09-27", &v)
	var shares []string
	for _, p := range v.Points {
		shares = append(shares, p.Date+"="+ratio(p.Share)+"/"+ratio(p.EntryPct))
	}
	if got, want := strings.Join(shares, " "), "2026-09-07=0.00/null 2026-09-14=1.00/0.50 2026-09-21=null/null"; got != want {
		t.Errorf("share/entry %% per week\n got %s\nwant %s", got, want)
	}

	// The whole market's open postings: only where the warehouse covers.
	var w volume
	get(t, srvAfter, "/api/volume?role=all&grain=week&from=2026-06-29&to=2026-07-26", &w)
	var open []string
	for _, p := range w.Points {
		s := p.Date + "="
		if p.Open != nil {
			s += strconv.FormatInt(*p.Open, 10)
		}
		open = append(open, s)
	}
	if got, want := strings.Join(open, " "), "2026-06-29= 2026-07-06= 2026-07-13=1 2026-07-20=2"; got != want {
		t.Errorf("open postings per week\n got %s\nwant %s", got, want)
	}
}

// TestCoverageMonths: the meta's history is every month from the first
// posting day to the last, months without postings included, the months
// the coverage starts or ends inside marked partial; LastWhole is the last
// day the newest load saw whole.
func TestCoverageMonths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		loaded    time.Time
		months    string
		lastWhole string
	}{
		{"loaded after the last posting day", time.Date(2026, 10, 20, 1, 0, 0, 0, time.UTC),
			"2026-07:2:partial 2026-08:0 2026-09:4 2026-10:2:partial", "2026-10-14"},
		{"loaded during it", time.Date(2026, 10, 14, 6, 0, 0, 0, time.UTC),
			"2026-07:2:partial 2026-08:0 2026-09:4 2026-10:2:partial", "2026-10-13"},
		// 15:30 UTC on 14 October is 00:30 KST on the 15th: the 14th was over.
		{"loaded after it by the KST clock", time.Date(2026, 10, 14, 15, 30, 0, 0, time.UTC),
			"2026-07:2:partial 2026-08:0 2026-09:4 2026-10:2:partial", "2026-10-14"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := serve(t, coverageServer(t, tc.loaded))
			var m dashboard.Meta
			if code := get(t, srv, "/api/meta", &m); code != 200 {
				t.Fatalf("meta: %d", code)
			}
			var months []string
			for _, c := range m.Coverage {
				s := fmt.Sprintf("%s:%d", c.Name, c.Postings)
				if c.Partial {
					s += ":partial"
				}
				months = append(months, s)
			}
			if got := strings.Join(months, " "); got != tc.months || m.First != "2026-07-15" || m.Last != "2026-10-14" || m.LastWhole != tc.lastWhole {
				t.Errorf("coverage %s, %s to %s (whole to %s)\nwant %s, 2026-07-15 to 2026-10-14 (whole to %s)", got, m.First, m.Last, m.LastWhole, tc.months, tc.lastWhole)
			}
		})
	}
}
