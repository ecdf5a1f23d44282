package dashboard_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/transform"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// fixture is a warehouse file loaded through the real loader path with
// postings whose roles, regions, industries, newcomer status and days are
// known.
type fixture struct {
	id, title string
	day       int // days after base
	seoul     bool
	newcomer  bool
	it        bool // industry 301 (솔루션·SI), else 401
}

// posting is f as the API could have sent it, in run r1.
func (f fixture) posting() saramin.Posting {
	p := warehousetest.Posting(f.id, f.title, base.Add(time.Duration(f.day)*24*time.Hour+2*time.Hour), "r1")
	p.LocationCodes, p.LocationNames = []string{"102010"}, []string{"경기 > 수원시"}
	if f.seoul {
		p.LocationCodes, p.LocationNames = []string{"101010"}, []string{"서울 > 강남구"}
	}
	if !f.newcomer {
		c, lo := int64(2), int64(3)
		p.ExperienceCode, p.ExperienceMin, p.ExperienceName = &c, &lo, "경력"
	}
	if !f.it {
		p.IndustryCode, p.IndustryName = "401", "은행·금융업"
	}
	return p
}

var base = time.Date(2026, 9, 7, 3, 0, 0, 0, time.UTC) // a Monday, 12:00 KST

var postings = []fixture{
	{"1", "데이터 엔지니어 채용", 0, true, true, true},
	{"2", "데이터 분석가 (신입)", 1, false, true, false},
	{"3", "백엔드 개발자", 2, true, false, true},
	{"4", "Data Scientist", 8, false, false, false},
	{"5", "데이터 엔지니어 (경력)", 9, false, false, true},
	{"6", "프론트엔드 개발자", 9, true, true, false},
	{"7", "데이터 분석가", 15, true, false, true},
}

// warehouseFile writes the fixture's warehouse: edit (when not nil)
// changes each posting as the API could have sent it, and exam names the
// certification.
func warehouseFile(t *testing.T, edit func(*saramin.Posting), exam string) string {
	t.Helper()
	ctx := context.Background()
	w, path := openWarehouse(t, duckdb.WithClassifier(warehousetest.TitleClassifier), duckdb.WithClock(func() time.Time { return base.Add(20 * 24 * time.Hour) }))
	var rows []saramin.Posting
	for _, f := range postings {
		p := f.posting()
		p.Keywords = append(p.Keywords, fixtureKeywords[f.id]...) // skills_test.go
		if edit != nil {
			edit(&p)
		}
		p.Skills = transform.PostingSkills(p)
		rows = append(rows, p)
	}
	src := warehousetest.Lake{"r1": warehousetest.NDJSON(rows...)}
	if _, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"r1"}, Rows: len(rows)}, src); err != nil {
		t.Fatal(err)
	}
	src["trend"] = warehousetest.NDJSON(
		warehousetest.TrendRow("데이터 엔지니어", "2026-09-06", "2021-09-30 2026-09-29", 40, 1),
		warehousetest.TrendRow("데이터 엔지니어", "2026-09-13", "2021-09-30 2026-09-29", 60, 1),
		warehousetest.TrendRow("데이터 엔지니어", "2026-09-20", "2021-09-30 2026-09-29", 20, 1),
	)
	if _, err := w.LoadTrends(ctx, warehouse.Batch{Source: source.Trends, RunID: "t1", Objects: []string{"trend"}, Rows: 3}, src); err != nil {
		t.Fatal(err)
	}
	src["cert"] = warehousetest.NDJSON(warehousetest.Stat(exam, 2025, 1000, 300), warehousetest.Stat(exam, 2026, 1200, 420))
	if _, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c1", Objects: []string{"cert"}, Rows: 2, WindowTo: base}, src); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func server(t *testing.T) *httptest.Server {
	t.Helper()
	return serve(t, warehouseFile(t, nil, "정보처리기사"))
}

// serve shows the warehouse file at path.
func serve(t *testing.T, path string) *httptest.Server {
	t.Helper()
	w := duckdb.NewFileSnapshotter(path)
	t.Cleanup(func() { _ = w.Close() })
	store := dashboard.NewStore(w, slog.New(slog.DiscardHandler), dashboard.WithPostings(w))
	if copied, err := store.Refresh(context.Background()); err != nil || !copied {
		t.Fatalf("first snapshot: %v %v", copied, err)
	}
	srv := httptest.NewServer(dashboard.NewServer(store, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string, v any) int {
	t.Helper()
	r, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("%s: %v: %s", path, err, body)
		}
	}
	return r.StatusCode
}

func TestMeta(t *testing.T) {
	t.Parallel()
	srv := server(t)
	var m dashboard.Meta
	if code := get(t, srv, "/api/meta", &m); code != 200 {
		t.Fatalf("meta: %d", code)
	}
	t.Logf("meta: %+v", m)
	if m.Postings != int64(len(postings)) || !m.Synthetic || m.First != "2026-09-07" || m.Last != "2026-09-22" {
		t.Errorf("meta = %+v", m)
	}
	if len(m.Provinces) != 2 || len(m.Industries) != 2 || m.Loaded.Saramin == nil || m.Loaded.Trends == nil || len(m.Keywords) != 1 || len(m.Exams) != 1 {
		t.Errorf("meta filters and loads = %v %v %+v", m.Provinces, m.Industries, m.Loaded)
	}
	if len(m.Coverage) != 1 || m.Coverage[0].Name != "2026-09" || m.Coverage[0].Postings != 7 {
		t.Errorf("coverage = %+v", m.Coverage)
	}
}

type volume struct {
	Points []dashboard.Point `json:"points"`
	Filter map[string]any    `json:"filter"`
}

func sum(pts []dashboard.Point) (postings, market, entry int64) {
	for _, p := range pts {
		if p.Covered {
			postings += *p.Postings
			market += *p.Market
			entry += *p.Entry
		}
	}
	return
}

// TestFilters asks each filter, alone and combined, and checks the counts
// against the fixture.
func TestFilters(t *testing.T) {
	t.Parallel()
	srv := server(t)
	var m dashboard.Meta
	get(t, srv, "/api/meta", &m)
	seoul, gyeonggi := province(t, m.Provinces, "서울"), province(t, m.Provinces, "경기")
	span := "&from=2026-09-01&to=2026-09-30"
	tests := []struct {
		query                  string
		postings, market, entr int64
		points                 int
	}{
		// Every period of the span is there, with or without postings.
		{"role=all&grain=day" + span, 7, 7, 3, 30},
		{"role=data_engineer&grain=week" + span, 2, 7, 1, 5},
		{"role=data_analyst" + span, 2, 7, 1, 5},
		{"role=data_analyst&entry=1" + span, 1, 3, 1, 5},
		{"role=all&province=" + url.QueryEscape(seoul) + span, 4, 4, 2, 5},
		{"role=data_analyst&entry=1&province=" + url.QueryEscape(gyeonggi) + span, 1, 1, 1, 5},
		{"role=all&grain=month" + span, 7, 7, 3, 1},
		{"role=all&from=2026-09-14&to=2026-09-30", 4, 4, 1, 3},
		{"role=all&grain=day&from=2026-09-22&to=2026-09-22", 1, 1, 0, 1},
	}
	for _, tc := range tests {
		var v volume
		if code := get(t, srv, "/api/volume?"+tc.query, &v); code != 200 {
			t.Errorf("%s: %d", tc.query, code)
			continue
		}
		p, mk, e := sum(v.Points)
		if p != tc.postings || mk != tc.market || e != tc.entr || len(v.Points) != tc.points {
			t.Errorf("%s: %d postings of %d, %d newcomer, %d points; want %d of %d, %d, %d", tc.query, p, mk, e, len(v.Points), tc.postings, tc.market, tc.entr, tc.points)
		}
	}
	// Open postings at each period's end: the whole market is its data
	// roles and the rest.
	open := map[string]map[string]int64{}
	for _, role := range append([]string{"all"}, m.Roles...) {
		var v volume
		get(t, srv, "/api/volume?grain=week&role="+role+span, &v)
		for _, p := range v.Points {
			if p.Open == nil {
				continue // before the first posting
			}
			if open[p.Date] == nil {
				open[p.Date] = map[string]int64{}
			}
			open[p.Date][role] = *p.Open
		}
	}
	if len(open) < 3 {
		t.Fatalf("open postings for %d weeks; want the four weeks since the first posting", len(open))
	}
	for week, byRole := range open {
		if len(byRole) != len(m.Roles)+1 {
			t.Errorf("week %s: open postings for %v only", week, byRole)
		}
		var parts int64
		for role, n := range byRole {
			if role != "all" {
				parts += n
			}
		}
		if parts != byRole["all"] || byRole["all"] == 0 {
			t.Errorf("week %s: open postings %v do not add up to the whole market", week, byRole)
		}
	}
	// The weeks the dates cut (31 Aug–6 Sep and 28 Sep–4 Oct) lie outside
	// the postings (7–22 Sep): gaps. The week of the last posting day is
	// partial (periods_test.go tests every case).
	var v volume
	get(t, srv, "/api/volume?role=all&grain=week"+span, &v)
	var partial []string
	for _, p := range v.Points {
		if p.Partial {
			partial = append(partial, p.Date)
		}
	}
	if strings.Join(partial, ",") != "2026-09-21" {
		t.Errorf("partial weeks %v; want the week of 22 Sep, the last posting day", partial)
	}
	var b struct {
		Rows []dashboard.Row `json:"rows"`
	}
	// District and industry detail count by day too.
	if code := get(t, srv, "/api/breakdown?by=district&province="+url.QueryEscape(seoul)+"&from=2026-09-22&to=2026-09-22", &b); code != 200 || len(b.Rows) != 1 || b.Rows[0].Postings != 1 {
		t.Errorf("districts of 서울 on 22 Sep: %d %+v; want the one posting of that day", code, b.Rows)
	}
	if code := get(t, srv, "/api/breakdown?by=province&role=all"+span, &b); code != 200 || len(b.Rows) != 2 || b.Rows[0].Name != seoul || b.Rows[0].Postings != 4 {
		t.Errorf("breakdown by province: %d %+v", code, b.Rows)
	}
	if code := get(t, srv, "/api/breakdown?by=industry&role=data_engineer&entry=0"+span, &b); code != 200 || len(b.Rows) != 1 || b.Rows[0].Postings != 2 || b.Rows[0].Share != 1 {
		t.Errorf("breakdown by industry: %d %+v", code, b.Rows)
	}
	if code := get(t, srv, "/api/breakdown?by=district&province="+url.QueryEscape(seoul)+span, &b); code != 200 || len(b.Rows) != 1 || b.Rows[0].Name != "강남구" || b.Rows[0].Postings != 4 {
		t.Errorf("breakdown by district in 서울: %d %+v", code, b.Rows)
	}
	if code := get(t, srv, "/api/breakdown?by=industry_detail&entry=1"+span, &b); code != 200 || len(b.Rows) != 2 || b.Rows[0].Postings+b.Rows[1].Postings != 3 {
		t.Errorf("breakdown by industry detail, newcomers: %d %+v", code, b.Rows)
	}
	var sk struct {
		Skills []dashboard.Skill `json:"skills"`
	}
	if code := get(t, srv, "/api/skills?role=data_engineer"+span, &sk); code != 200 || len(sk.Skills) != 5 || sk.Skills[0].Name != "Spark" ||
		sk.Skills[0].Postings != 2 || sk.Skills[0].Share != 1 || sk.Skills[0].Before != nil {
		t.Errorf("skills of data engineers: %d %+v", code, sk.Skills)
	}
}

// TestBadFilters: every bad value is a 400 that says what is allowed.
func TestBadFilters(t *testing.T) {
	t.Parallel()
	srv := server(t)
	tests := []struct{ path, says string }{
		{"/api/volume?role=astronaut", "role="},
		{"/api/volume?role=%27%3B%20DROP%20TABLE%20cube%3B--", "role="},
		{"/api/volume?province=Mars", "province="},
		{"/api/volume?industry=piracy", "industry="},
		{"/api/volume?entry=maybe", "entry="},
		{"/api/volume?grain=fortnight", "grain="},
		{"/api/volume?from=yesterday", "from="},
		{"/api/volume?to=2026-13-01", "to="},
		{"/api/volume?from=2026-10-01&to=2026-09-01", "after"},
		{"/api/volume?from=2010-01-01&to=2026-09-01", "five years"},
		{"/api/volume?rolle=all", "unknown parameter"},
		{"/api/breakdown?by=color", "by="},
		{"/api/breakdown", "by="},
		{"/api/meta?x=1", "unknown parameter"},
		{"/api/indicators?keyword=cooking", "keyword="},
		{"/api/indicators?exam=driving", "exam="},
		{"/api/indicators?role=nobody", "role="},
		{"/api/indicators?grain=day", "unknown parameter"},
		{"/api/skills?grain=week", "unknown parameter"},
		{"/api/skills?province=x", "province="},
		{"/api/skills?category=database", "category="},
		{"/api/skills?role=chef", "role="},
		{"/api/breakdown?by=district&province=Atlantis", "province="},
		{"/api/breakdown?by=district", "needs a province"},
	}
	for _, tc := range tests {
		var e map[string]string
		code := get(t, srv, tc.path, &e)
		if code != http.StatusBadRequest || !strings.Contains(e["error"], tc.says) {
			t.Errorf("%s: %d %q; want 400 saying %q", tc.path, code, e["error"], tc.says)
		}
	}
	// The table is still there.
	var v volume
	if code := get(t, srv, "/api/volume?role=all&from=2026-09-01&to=2026-09-30", &v); code != 200 || len(v.Points) == 0 {
		t.Errorf("after the bad requests: %d %d points", code, len(v.Points))
	}
}

func TestPageIsEmbedded(t *testing.T) {
	t.Parallel()
	srv := server(t)
	for _, path := range []string{"/", "/app.js", "/style.css"} {
		r, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != 200 {
			t.Errorf("%s: %d", path, r.StatusCode)
		}
	}
}

// TestNoWarehouse: starting before any load says what to do; a server
// over no snapshot answers 503 until a refresh reads the warehouse.
func TestNoWarehouse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "later.duckdb")
	store := dashboard.NewStore(duckdb.NewFileSnapshotter(path), slog.New(slog.DiscardHandler))
	if _, err := store.Refresh(ctx); err == nil || !strings.Contains(err.Error(), "DUCKDB_PATH") {
		t.Errorf("Refresh without a warehouse: %v; want an error naming DUCKDB_PATH", err)
	}
	srv := httptest.NewServer(dashboard.NewServer(store, slog.New(slog.DiscardHandler)))
	defer srv.Close()
	var answer struct{ Error string }
	if code := get(t, srv, "/api/meta", &answer); code != http.StatusServiceUnavailable || !strings.Contains(answer.Error, "no data yet") {
		t.Errorf("meta before any snapshot: %d %q; want 503 saying there is no data yet", code, answer.Error)
	}
	if res, err := http.Get(srv.URL + "/healthz"); err != nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz before any snapshot: %v %v; want 503", res, err)
	}
	// The loader creates the warehouse: Watch reads it at its next look.
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go store.Watch(wctx, 20*time.Millisecond)
	w, err := duckdb.Open(ctx, path, duckdb.WithClassifier(warehousetest.TitleClassifier))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	w.Close()
	for deadline := time.Now().Add(time.Minute); !store.Ready(); time.Sleep(10 * time.Millisecond) { // a hang guard, not a timing
		if time.Now().After(deadline) {
			t.Fatal("Watch did not read the warehouse once it existed")
		}
	}
	var meta struct{ Postings int64 }
	if code := get(t, srv, "/api/meta", &meta); code != http.StatusOK || meta.Postings != 0 {
		t.Errorf("meta over an empty warehouse: %d %+v; want 200 and no postings", code, meta)
	}
}

// openWarehouse opens a new warehouse file for a fixture, its tables made.
func openWarehouse(t *testing.T, opts ...duckdb.Option) (*duckdb.Warehouse, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	w, err := duckdb.Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w, path
}

// province is the province of provinces whose name starts with prefix.
func province(t *testing.T, provinces []string, prefix string) string {
	t.Helper()
	for _, p := range provinces {
		if strings.HasPrefix(p, prefix) {
			return p
		}
	}
	t.Fatalf("no province %s in %v", prefix, provinces)
	return ""
}
