package dashboard_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/http"
	"net/url"
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

// lifetimeEdits give the fixture's postings (dashboard_test.go) their
// ends, by id: the warehouse clock is the newest modification, the day of
// posting 7 (22 Sep, KST).
//
//	1 data engineer,  7 Sep: closed by the API 5 days in, deadline 30 days: closed early after 5
//	2 data analyst,   8 Sep: deadline 3 days in, passed by the clock: expired after 3
//	3 backend,        9 Sep: 채용시 (placeholder 2033), closed 4 days in: closed after 4
//	4 data scientist, 15 Sep: open, 7 days to the clock: censored at 7
//	5 data engineer,  16 Sep: closed by the API 2 days in: closed early after 2
//	6 frontend,       16 Sep: deadline a day in: expired after 1
//	7 data analyst,   22 Sep: open, posted on the clock's day: censored at 0
func lifetimeEdits(p *saramin.Posting) {
	no := false
	day := 24 * time.Hour
	switch p.ID {
	case "1", "5":
		p.Active, p.ModifiedAt = &no, p.PostedAt.Add(map[string]time.Duration{"1": 5 * day, "5": 2 * day}[p.ID])
	case "2", "6":
		e := p.PostedAt.Add(map[string]time.Duration{"2": 3 * day, "6": day}[p.ID])
		p.ExpiresAt = &e
	case "3":
		e := time.Date(2033, 1, 1, 0, 0, 0, 0, time.UTC)
		p.Active, p.ModifiedAt, p.ExpiresAt, p.CloseTypeCode, p.CloseTypeName = &no, p.PostedAt.Add(4*day), &e, "2", "채용시"
	}
}

// kmSQL is the Kaplan-Meier estimate written in SQL over core.recruit,
// independently of the store: the postings first posted in the dates under
// where, each day with closes or censorings, its at-risk count, and S(t)
// as the running product of (1 − d/n).
const kmSQL = `WITH clock AS (SELECT CAST(timezone('Asia/Seoul', max(as_of)) AS DATE) AS today FROM staging.recruit_loads),
p AS (SELECT date_diff('day', posted_date, coalesce(closed_date, today)) AS days, closed_at IS NOT NULL AS ended
      FROM core.recruit, clock WHERE posted_date BETWEEN $from AND $to AND %s),
t AS (SELECT days, count(*) FILTER (WHERE ended) AS d, count(*) FILTER (WHERE NOT ended) AS c FROM p GROUP BY days),
r AS (SELECT days, d, c, sum(d + c) OVER (ORDER BY days DESC) AS n FROM t)
SELECT days, n, d, c,
       CASE WHEN bool_or(d = n) OVER w THEN 0 ELSE exp(sum(CASE WHEN d < n THEN ln(1 - d / n) ELSE 0 END) OVER w) END
FROM r WINDOW w AS (ORDER BY days) ORDER BY days`

// endsSQL counts the same postings by how they ended.
const endsSQL = `SELECT ` + warehouse.LifetimeEndSQL + `, count(*) FROM core.recruit WHERE posted_date BETWEEN $from AND $to AND %s GROUP BY ALL`

type lifetimeAnswer struct {
	Filter  map[string]any     `json:"filter"`
	Role    dashboard.Survival `json:"role"`
	Market  dashboard.Survival `json:"market"`
	Cohorts []dashboard.Cohort `json:"cohorts"`
}

// TestLifetime asks every filter alone and combined, and checks each curve,
// median and count of ends against SQL run on the warehouse itself.
func TestLifetime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := warehouseFile(t, lifetimeEdits, "정보처리기사")
	srv := serve(t, path)
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var it, seoul string
	if err := db.QueryRowContext(ctx, `SELECT industry_category, province FROM core.recruit WHERE id = '1'`).Scan(&it, &seoul); err != nil {
		t.Fatal(err)
	}
	q := url.QueryEscape
	type cond struct{ query, where string }
	role := func(r string) cond {
		return cond{"role=" + r, fmt.Sprintf("coalesce(role, it_group, 'other') = '%s'", r)}
	}
	entry := cond{"entry=1", "is_entry_level"}
	province := cond{"province=" + q(seoul), fmt.Sprintf("province = '%s'", seoul)}
	industry := cond{"industry=" + q(it), fmt.Sprintf("industry_category = '%s'", it)}
	experience := func(k string) cond {
		return cond{"experience=" + k, fmt.Sprintf("(%s) = '%s'", warehouse.ExperienceSQL, k)}
	}
	dates := func(from, to string) cond { return cond{"from=" + from + "&to=" + to, ""} }
	all := dates("2026-09-01", "2026-09-30")
	tests := [][]cond{
		{all},
		{all, role("data_engineer")},
		{all, role("data_analyst")},
		{all, role("other")},
		{all, role("other"), province},
		{all, entry},
		{all, province},
		{all, industry},
		{all, experience("entry")},
		{all, experience("experienced_3_5")},
		{dates("2026-09-14", "2026-09-30")},
		{dates("2026-09-14", "2026-09-30"), role("data_engineer"), entry, province, industry, experience("entry")},
		{all, role("data_analyst"), entry},
		{all, role("data_engineer"), province, industry},
		{all, province, experience("experienced_3_5")},
		{all, role("data_scientist"), entry}, // none: no posting, no median
	}
	for _, conds := range tests {
		var query, from, to []string
		where := []string{"TRUE"}
		market := []string{"TRUE"}
		for _, c := range conds {
			query = append(query, c.query)
			if strings.HasPrefix(c.query, "from=") {
				v, _ := url.ParseQuery(c.query)
				from, to = append(from, v.Get("from")), append(to, v.Get("to"))
				continue
			}
			where = append(where, c.where)
			if !strings.HasPrefix(c.query, "role=") {
				market = append(market, c.where)
			}
		}
		path := "/api/lifetime?" + strings.Join(query, "&")
		var a lifetimeAnswer
		if code := get(t, srv, path, &a); code != http.StatusOK {
			t.Errorf("%s: %d", path, code)
			continue
		}
		for _, side := range []struct {
			name  string
			got   dashboard.Survival
			where string
		}{{"role", a.Role, strings.Join(where, " AND ")}, {"market", a.Market, strings.Join(market, " AND ")}} {
			want := kmFromSQL(t, db, side.where, from[0], to[0])
			if got := curveText(side.got.Curve); got != want.curve {
				t.Errorf("%s %s curve\n%s\nwant (SQL)\n%s", path, side.name, got, want.curve)
			}
			if got := fmt.Sprint(days(side.got.Median.Days)); got != want.median {
				t.Errorf("%s %s median %s; want (SQL) %s", path, side.name, got, want.median)
			}
			e := side.got.Ends
			if got := fmt.Sprintf("%d %d %d %d", e.ClosedEarly, e.Expired, e.Closed, e.Open); got != endsFromSQL(t, db, side.where, from[0], to[0]) || side.got.Postings != e.ClosedEarly+e.Expired+e.Closed+e.Open {
				t.Errorf("%s %s ends %s of %d; want (SQL) %s", path, side.name, got, side.got.Postings, endsFromSQL(t, db, side.where, from[0], to[0]))
			}
		}
		// One month of postings: its cohort is the whole.
		if len(a.Cohorts) != 1 || a.Cohorts[0].Month != "2026-09" || a.Cohorts[0].Postings != a.Role.Postings ||
			fmt.Sprint(days(a.Cohorts[0].Median)) != fmt.Sprint(days(a.Role.Median.Days)) || a.Cohorts[0].MarketPostings != a.Market.Postings {
			t.Errorf("%s: cohorts %+v; want September's, as the whole", path, a.Cohorts)
		}
	}

	// By hand, the whole market of the dates: days 0+ 1 2 3 4 5 7+ (+:
	// still open). S(1)=5/6, S(2)=4/6, S(3)=3/6: the median is 3 days.
	// Two closed early (1, 5) and two expired (2, 6): half closed early.
	var a lifetimeAnswer
	get(t, srv, "/api/lifetime?role=all&from=2026-09-01&to=2026-09-30", &a)
	if m := a.Market; m.Postings != 7 || days(m.Median.Days) != "3" || m.Ends.EarlyShare == nil || *m.Ends.EarlyShare != 0.5 ||
		m.Ends.Closed != 1 || m.Ends.Open != 2 || len(m.Curve) != 7 || math.Abs(m.Curve[3].Survival-0.5) > 1e-12 || m.Curve[3].AtRisk != 4 {
		t.Errorf("whole market: %+v", m)
	}
	if a.Filter["experience"] != "" || a.Filter["grain"] != nil {
		t.Errorf("filter echoed as %v", a.Filter)
	}
	// The months of the dates, each with its postings; none outside them.
	get(t, srv, "/api/lifetime?role=all&from=2026-08-15&to=2026-10-02", &a)
	if len(a.Cohorts) != 3 || a.Cohorts[0].Month != "2026-08" || a.Cohorts[0].Postings != 0 || a.Cohorts[0].Median != nil ||
		a.Cohorts[1].Postings != 7 || days(a.Cohorts[1].Median) != "3" || a.Cohorts[2].Month != "2026-10" {
		t.Errorf("cohorts of mid-August to October: %+v", a.Cohorts)
	}
}

type kmWant struct{ curve, median string }

// kmFromSQL runs kmSQL: the curve as curveText writes it and the median
// (the first day S ≤ 1/2).
func kmFromSQL(t *testing.T, db *sql.DB, where, from, to string) kmWant {
	t.Helper()
	rows, err := db.Query(fmt.Sprintf(kmSQL, where), sql.Named("from", from), sql.Named("to", to))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := kmWant{median: "null"}
	lines := []string{}
	first := true
	for rows.Next() {
		var day, n, d, c int64
		var s float64
		if err := rows.Scan(&day, &n, &d, &c, &s); err != nil {
			t.Fatal(err)
		}
		if first && day > 0 {
			lines = append(lines, fmt.Sprintf("0 n=%d d=0 c=0 S=1.0000", n))
		}
		first = false
		lines = append(lines, fmt.Sprintf("%d n=%d d=%d c=%d S=%.4f", day, n, d, c, s))
		// exp of a sum of logs lands a hair off an exact 1/2.
		if s <= 0.5+1e-9 && out.median == "null" {
			out.median = fmt.Sprint(day)
		}
	}
	if first {
		lines = append(lines, "0 n=0 d=0 c=0 S=1.0000")
	}
	out.curve = strings.Join(lines, "\n")
	return out
}

func curveText(steps []dashboard.Step) string {
	var lines []string
	for _, s := range steps {
		lines = append(lines, fmt.Sprintf("%d n=%d d=%d c=%d S=%.4f", s.Day, s.AtRisk, s.Events, s.Censored, s.Survival))
	}
	return strings.Join(lines, "\n")
}

// endsFromSQL counts closed early, expired, closed and open.
func endsFromSQL(t *testing.T, db *sql.DB, where, from, to string) string {
	t.Helper()
	rows, err := db.Query(fmt.Sprintf(endsSQL, where), sql.Named("from", from), sql.Named("to", to))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := map[string]int64{}
	for rows.Next() {
		var end string
		var c int64
		if err := rows.Scan(&end, &c); err != nil {
			t.Fatal(err)
		}
		n[end] = c
	}
	return fmt.Sprintf("%d %d %d %d", n[warehouse.EndedEarly], n[warehouse.EndedExpired], n[warehouse.EndedClosed], n[warehouse.EndedOpen])
}

func days(p *int) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

type searchShareAnswer struct {
	Filter    map[string]string        `json:"filter"`
	Keywords  []dashboard.KeywordShare `json:"keywords"`
	Weeks     int                      `json:"weeks"`
	First     string                   `json:"first"`
	Last      string                   `json:"last"`
	Anchors   []string                 `json:"anchors"`
	Highlight string                   `json:"highlight"`
}

// TestSearchShare: each keyword's share of the summed mean interest over
// the whole weeks of the dates that every keyword with data has.
func TestSearchShare(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := warehouseFile(t, nil, "정보처리기사") // 데이터 엔지니어: 40, 60, 20 in the weeks of 6, 13 and 20 Sep
	w, err := duckdb.Open(ctx, path, duckdb.WithClassifier(warehousetest.TitleClassifier))
	if err != nil {
		t.Fatal(err)
	}
	window := "2021-09-30 2026-09-29"
	lake := warehousetest.Lake{"more": warehousetest.NDJSON(
		warehousetest.TrendRow("데이터 분석", "2026-09-06", window, 100, 1),
		warehousetest.TrendRow("데이터 분석", "2026-09-13", window, 80, 1),
		warehousetest.TrendRow("데이터 분석", "2026-09-20", window, 120, 1),
		warehousetest.TrendRow("SQL", "2026-09-06", window, 10, 1), // no week of 20 Sep
		warehousetest.TrendRow("SQL", "2026-09-13", window, 20, 1),
	)}
	if _, err := w.LoadTrends(ctx, warehouse.Batch{Source: source.Trends, RunID: "t2", Objects: []string{"more"}, Rows: 5}, lake); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, path)
	tests := []struct {
		query, want string // want: keyword=mean/share in order, weeks, first, highlight
	}{
		// 6 and 13 Sep, the weeks all three have: 데이터 분석 (100+80)/2=90,
		// 데이터 엔지니어 (40+60)/2=50, SQL (10+20)/2=15, of 155.
		{"role=data_engineer&from=2026-09-06&to=2026-09-19", "데이터 분석=90.0/0.5806 데이터 엔지니어=50.0/0.3226 SQL=15.0/0.0968 weeks=2 2026-09-06 hl=데이터 엔지니어"},
		// The week of 20 Sep lacks SQL: left out for every keyword.
		{"role=data_analyst&from=2026-09-01&to=2026-09-30", "데이터 분석=90.0/0.5806 데이터 엔지니어=50.0/0.3226 SQL=15.0/0.0968 weeks=2 2026-09-06 hl=데이터 분석"},
		// From 7 Sep, the week of 6 Sep is cut: 13 Sep alone, 80+60+20=160.
		{"role=all&from=2026-09-07&to=2026-09-30", "데이터 분석=80.0/0.5000 데이터 엔지니어=60.0/0.3750 SQL=20.0/0.1250 weeks=1 2026-09-13 hl="},
		// SQL has no week in the dates: no mean, listed last.
		{"from=2026-09-20&to=2026-09-26", "데이터 분석=120.0/0.8571 데이터 엔지니어=20.0/0.1429 SQL=null weeks=1 2026-09-20 hl="},
		// A week cut by the end of the dates is not counted: no mean, the
		// keywords by name.
		{"from=2026-09-20&to=2026-09-25", "SQL=null 데이터 분석=null 데이터 엔지니어=null weeks=0  hl="},
	}
	for _, tc := range tests {
		var a searchShareAnswer
		if code := get(t, srv, "/api/search-share?"+tc.query, &a); code != http.StatusOK {
			t.Errorf("%s: %d", tc.query, code)
			continue
		}
		var parts []string
		for _, k := range a.Keywords {
			if k.Mean == nil {
				parts = append(parts, k.Keyword+"=null")
				continue
			}
			parts = append(parts, fmt.Sprintf("%s=%.1f/%.4f", k.Keyword, *k.Mean, *k.Share))
		}
		got := fmt.Sprintf("%s weeks=%d %s hl=%s", strings.Join(parts, " "), a.Weeks, a.First, a.Highlight)
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.query, got, tc.want)
		}
		if a.Weeks > 0 && strings.Join(a.Anchors, ",") != "데이터 분석" {
			t.Errorf("%s: anchors %v; want the one anchor 데이터 분석", tc.query, a.Anchors)
		}
	}
	// The means against SQL over the same weeks.
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var a searchShareAnswer
	get(t, srv, "/api/search-share?from=2026-09-01&to=2026-09-30", &a)
	for _, k := range a.Keywords {
		var mean float64
		if err := db.QueryRowContext(ctx, `SELECT avg(interest_scaled) FROM core.google_trend WHERE keyword = $1 AND period BETWEEN $2 AND $3`,
			k.Keyword, a.First, a.Last).Scan(&mean); err != nil {
			t.Fatal(err)
		}
		if k.Mean == nil || math.Abs(*k.Mean-mean) > 1e-9 {
			t.Errorf("%s: mean %v; want (SQL) %v", k.Keyword, k.Mean, mean)
		}
	}
}

// TestLifetimeBadFilters: every bad value is a 400 that says what is
// allowed.
func TestLifetimeBadFilters(t *testing.T) {
	t.Parallel()
	srv := server(t)
	for _, tc := range []struct{ path, says string }{
		{"/api/lifetime?experience=guru", "experience="},
		{"/api/lifetime?role=astronaut", "role="},
		{"/api/lifetime?province=Mars", "province="},
		{"/api/lifetime?grain=week", "unknown parameter"},
		{"/api/lifetime?from=2026-10-01&to=2026-09-01", "after"},
		{"/api/search-share?role=chef", "role="},
		{"/api/search-share?province=x", "unknown parameter"},
		{"/api/search-share?to=someday", "to="},
	} {
		var e map[string]string
		if code := get(t, srv, tc.path, &e); code != http.StatusBadRequest || !strings.Contains(e["error"], tc.says) {
			t.Errorf("%s: %d %q; want 400 saying %q", tc.path, code, e["error"], tc.says)
		}
	}
}
