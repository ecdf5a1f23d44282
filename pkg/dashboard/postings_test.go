package dashboard_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
)

// gridEdit gives the fixture's postings what the grid shows: companies,
// views and applications, experience, close types (4 and 6 with the
// placeholder deadline of close types 2 and 3) and, for 5, two regions.
func gridEdit(p *saramin.Posting) {
	n := func(v int64) *int64 { return &v }
	counts := map[string][2]int64{"1": {900, 10}, "2": {50, 40}, "3": {300, 30}, "4": {300, 5}, "5": {10, 1}, "6": {700, 70}, "7": {120, 12}}
	c := counts[p.ID]
	p.ReadCount, p.ApplyCount = n(c[0]), n(c[1])
	switch p.ID {
	case "1":
		p.CompanyName = "네이버클라우드"
	case "2":
		p.CompanyName = "카카오뱅크"
		p.ExperienceCode, p.ExperienceMin, p.ExperienceName = n(3), n(0), "신입·경력"
	case "3":
		p.CompanyName = "(주)NAVER Webtoon"
	case "4":
		p.CloseTypeCode, p.CloseTypeName = "2", "채용시"
		t := time.Date(2032, 12, 31, 15, 0, 0, 0, time.UTC)
		p.ExpiresAt = &t
	case "5":
		p.LocationCodes, p.LocationNames = []string{"102010", "101010"}, []string{"경기 > 수원시", "서울 > 강남구"}
	case "6":
		p.CloseTypeCode, p.CloseTypeName = "3", "상시채용"
		t := time.Date(2033, 12, 30, 15, 0, 0, 0, time.UTC)
		p.ExpiresAt = &t
	case "7":
		p.ExperienceMin = n(10)
	}
}

// gridServer serves the fixture with the grid's fields, its pages read
// from the warehouse file; db reads the same file directly.
func gridServer(t *testing.T) (*httptest.Server, *sql.DB) {
	t.Helper()
	path := warehouseFile(t, gridEdit, "정보처리기사")
	w := duckdb.NewFileSnapshotter(path)
	t.Cleanup(func() { _ = w.Close() })
	store := dashboard.NewStore(w, slog.New(slog.DiscardHandler), dashboard.WithPostings(w))
	if _, err := store.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(dashboard.NewServer(store, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return srv, db
}

type gridAnswer struct {
	Filter map[string]any      `json:"filter"`
	Total  int64               `json:"total"`
	First  int64               `json:"first"`
	Last   int64               `json:"last"`
	Rows   []dashboard.GridRow `json:"rows"`
	Skills []string            `json:"skills"`
	AsOf   string              `json:"as_of"`
	By     string              `json:"by"`
	Caveat map[string]string   `json:"caveat"`
	Error  string              `json:"error"`
}

func ids(rows []dashboard.GridRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

// sqlIDs runs a query of ids on the warehouse file itself.
func sqlIDs(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

const september = "from=2026-09-01&to=2026-09-30"

// TestPostingsFilters asks the grid for every filter alone and for
// several together, and checks the postings and their total against SQL
// run directly on the warehouse.
func TestPostingsFilters(t *testing.T) {
	t.Parallel()
	srv, db := gridServer(t)
	// The IT category (industry 301) and the detail of industry 401, as
	// the code tables name them.
	var it, fin string
	if err := db.QueryRow(`SELECT any_value(industry_category) FILTER (industry_code = '301'), any_value(industry_name) FILTER (industry_code = '401')
		FROM core.recruit`).Scan(&it, &fin); err != nil {
		t.Fatal(err)
	}
	e := url.QueryEscape
	cases := []struct{ name, query, where string }{
		{"everything", "role=all", "true"},
		{"no role given", "", "true"},
		{"a data role", "role=data_engineer", "role = 'data_engineer'"},
		{"the rest of the market", "role=other", "role IS NULL AND it_group IS NULL"},
		{"newcomers", "entry=1", "is_entry_level"},
		{"a province, any region listed", "province=" + e("서울"), "list_contains(provinces, '서울')"},
		{"a district", "district=" + e("서울 > 강남구"), "list_contains(regions, '서울 > 강남구')"},
		{"an industry", "industry=" + e(it), "industry_category = '" + it + "'"},
		{"an industry detail", "industry_detail=" + e(fin), "industry_name = '" + fin + "'"},
		{"an experience level", "experience=experienced_3_5", "experience_code = 2 AND experience_min >= 3 AND experience_min < 5"},
		{"experience: newcomer or experienced", "experience=entry_or_experienced", "experience_code = 3"},
		{"experience: 10 years", "experience=experienced_10", "experience_code = 2 AND experience_min >= 10"},
		{"posting days", "from=2026-09-08&to=2026-09-16", "posted_date BETWEEN DATE '2026-09-08' AND DATE '2026-09-16'"},
		{"search, English skill", "q=python", "list_contains(skills, 'Python') OR title ILIKE '%python%' OR company_name ILIKE '%python%'"},
		{"search, Korean skill", "q=" + e("파이썬"), "list_contains(skills, 'Python') OR title LIKE '%파이썬%' OR company_name LIKE '%파이썬%'"},
		{"search, company", "q=" + e("네이버"), "company_name LIKE '%네이버%' OR title LIKE '%네이버%'"},
		{"search, any case", "q=NAVER", "company_name ILIKE '%naver%' OR title ILIKE '%naver%'"},
		{"search, title", "q=" + e("분석가"), "title LIKE '%분석가%'"},
		{"search, words of a title in English", "q=" + e("data sci"), "title ILIKE '%data sci%'"},
		{"role and province", "role=data_engineer&province=" + e("경기"), "role = 'data_engineer' AND list_contains(provinces, '경기')"},
		{"newcomers in Seoul in IT", "entry=1&province=" + e("서울") + "&industry=" + e(it),
			"is_entry_level AND list_contains(provinces, '서울') AND industry_category = '" + it + "'"},
		{"a search among newcomers", "entry=1&q=python", "is_entry_level AND list_contains(skills, 'Python')"},
		{"district, role and days", "role=data_engineer&district=" + e("서울 > 강남구") + "&from=2026-09-01&to=2026-09-10",
			"role = 'data_engineer' AND list_contains(regions, '서울 > 강남구') AND posted_date <= DATE '2026-09-10'"},
		{"experience and industry detail", "experience=experienced_3_5&industry_detail=" + e(fin),
			"experience_code = 2 AND experience_min BETWEEN 3 AND 4 AND industry_name = '" + fin + "'"},
		{"nothing matches", "role=data_scientist&province=" + e("서울"), "role = 'data_scientist' AND list_contains(provinces, '서울')"},
	}
	for _, c := range cases {
		q := c.query
		if !strings.Contains(q, "from=") {
			q = strings.TrimPrefix(q+"&"+september, "&")
		}
		want := sqlIDs(t, db, `SELECT id FROM core.recruit WHERE posted_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' AND (`+c.where+`) ORDER BY posted_at DESC, id`)
		if (len(want) == 0) != (c.name == "nothing matches") || (len(want) == len(postings) && c.where != "true") {
			t.Errorf("%s: the fixture's postings %v do not test it", c.name, want)
		}
		var a gridAnswer
		if code := get(t, srv, "/api/postings?"+q, &a); code != 200 {
			t.Errorf("%s: %d %s", c.name, code, a.Error)
			continue
		}
		if got := ids(a.Rows); !slices.Equal(got, want) || a.Total != int64(len(want)) {
			t.Errorf("%s (%s): postings %v of %d; SQL finds %v", c.name, q, got, a.Total, want)
		}
	}
}

// TestPostingsRows checks what a row of the grid holds.
func TestPostingsRows(t *testing.T) {
	t.Parallel()
	srv, _ := gridServer(t)
	var a gridAnswer
	if code := get(t, srv, "/api/postings?"+september, &a); code != 200 {
		t.Fatalf("%d %s", code, a.Error)
	}
	byID := map[string]dashboard.GridRow{}
	for _, r := range a.Rows {
		byID[r.ID] = r
	}
	one, four, six := byID["1"], byID["4"], byID["6"]
	if one.Company != "네이버클라우드" || one.Title != "데이터 엔지니어 채용" || !slices.Equal(one.Regions, []string{"서울 > 강남구"}) ||
		one.Experience != "entry" || one.Views != 900 || one.Applications != 10 || one.Posted != "2026-09-07" ||
		!strings.HasSuffix(one.URL, "rec_idx=1") || !one.Synthetic || one.Deadline == nil || one.CloseType != "접수마감일" {
		t.Errorf("posting 1: %+v", one)
	}
	if four.Deadline != nil || four.CloseType != "채용시" || six.Deadline != nil || six.CloseType != "상시채용" {
		t.Errorf("postings 4 and 6 have no real deadline (close types 2 and 3): %+v, %+v", four, six)
	}
	if byID["7"].Experience != "experienced_10" || byID["2"].Experience != "entry_or_experienced" || byID["3"].Experience != "experienced_3_5" {
		t.Errorf("experience levels: 7 %q, 2 %q, 3 %q", byID["7"].Experience, byID["2"].Experience, byID["3"].Experience)
	}
	for _, r := range a.Rows {
		if r.DaysOpen < 1 || r.ViewsPerDay != float64(int64(float64(r.Views)/float64(r.DaysOpen)*100+0.5))/100 {
			t.Errorf("posting %s: %d views over %d days open, %v a day", r.ID, r.Views, r.DaysOpen, r.ViewsPerDay)
		}
	}
}

// TestPostingsSortAndPages checks each order against SQL, and that the
// pages of an order hold every posting once.
func TestPostingsSortAndPages(t *testing.T) {
	t.Parallel()
	srv, db := gridServer(t)
	var a gridAnswer
	if code := get(t, srv, "/api/postings?"+september, &a); code != 200 {
		t.Fatalf("%d %s", code, a.Error)
	}
	days := `greatest(1, date_diff('day', posted_date, coalesce(closed_date, DATE '` + a.AsOf + `')))`
	orders := map[string]string{
		"posted":        "posted_at DESC, id",
		"deadline":      "is_open DESC, CASE WHEN close_type_code IN ('2', '3', '4') THEN NULL ELSE expires_at END ASC NULLS LAST, id",
		"views":         "read_count DESC, id",
		"applications":  "apply_count DESC, id",
		"views_per_day": "read_count / " + days + " DESC, id",
	}
	for sort, order := range orders {
		want := sqlIDs(t, db, `SELECT id FROM core.recruit WHERE posted_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' ORDER BY `+order)
		var got []string
		seen := map[string]bool{}
		for page := 1; page <= 4; page++ {
			var p gridAnswer
			if code := get(t, srv, "/api/postings?sort="+sort+"&size=2&page="+string(rune('0'+page))+"&"+september, &p); code != 200 {
				t.Fatalf("%s page %d: %d %s", sort, page, code, p.Error)
			}
			if p.Total != 7 || (len(p.Rows) > 0 && (p.First != int64(2*page-1) || p.Last != p.First+int64(len(p.Rows))-1)) {
				t.Errorf("%s page %d: rows %d to %d of %d", sort, page, p.First, p.Last, p.Total)
			}
			for _, id := range ids(p.Rows) {
				if seen[id] {
					t.Errorf("%s: posting %s on two pages", sort, id)
				}
				seen[id] = true
				got = append(got, id)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("sort=%s: pages hold %v; SQL orders %v", sort, got, want)
		}
	}
	// A page past the last holds nothing, and says so: 0 to 0 of the 7.
	var past gridAnswer
	if code := get(t, srv, "/api/postings?size=5&page=3&"+september, &past); code != 200 || len(past.Rows) != 0 ||
		past.First != 0 || past.Last != 0 || past.Total != 7 {
		t.Errorf("page past the last: %d, rows %d to %d of %d (%d rows)", code, past.First, past.Last, past.Total, len(past.Rows))
	}
}

// TestTopPostings checks the top postings' rankings and caveat.
func TestTopPostings(t *testing.T) {
	t.Parallel()
	srv, db := gridServer(t)
	var def gridAnswer
	if code := get(t, srv, "/api/top?"+september, &def); code != 200 {
		t.Fatalf("%d %s", code, def.Error)
	}
	if def.By != "views_per_day" || !strings.Contains(def.Caveat["ko"], "늘어납니다") || !strings.Contains(def.Caveat["en"], "views per day open") {
		t.Errorf("default ranking %q, caveat %v", def.By, def.Caveat)
	}
	for by, order := range map[string]string{"views": "read_count DESC, id", "applications": "apply_count DESC, id"} {
		var a gridAnswer
		if code := get(t, srv, "/api/top?by="+by+"&role=all&entry=1&"+september, &a); code != 200 {
			t.Fatalf("%s: %d %s", by, code, a.Error)
		}
		want := sqlIDs(t, db, `SELECT id FROM core.recruit WHERE is_entry_level ORDER BY `+order+` LIMIT 10`)
		if a.By != by || !slices.Equal(ids(a.Rows), want) {
			t.Errorf("top by %s among newcomers: %v; SQL ranks %v", by, ids(a.Rows), want)
		}
	}
}

// TestPostingsBadRequests checks that the grid refuses what it cannot
// answer, saying what is allowed.
func TestPostingsBadRequests(t *testing.T) {
	t.Parallel()
	srv, _ := gridServer(t)
	for _, c := range []struct{ path, says string }{
		{"/api/postings?grain=week", "want role, entry"},
		{"/api/postings?sort=salary", "want one of posted, deadline, views, applications, views_per_day"},
		{"/api/postings?size=101", "from 1 to 100"},
		{"/api/postings?page=0", "from 1 to"},
		{"/api/postings?page=abc", "whole number"},
		{"/api/postings?page=5000&size=100", "narrow the filters"},
		{"/api/postings?experience=senior", "want one of entry, entry_or_experienced"},
		{"/api/postings?district=" + url.QueryEscape("강남구"), `like "서울 > 강남구"`},
		{"/api/postings?district=" + url.QueryEscape("서울 > 없는구"), "no posting lists it"},
		{"/api/postings?industry_detail=" + url.QueryEscape("우주항공"), "no posting has it"},
		{"/api/postings?q=" + strings.Repeat("a", 101), "at most 100"},
		{"/api/postings?role=pilot", "want all or one of"},
		{"/api/top?by=salary", "want views_per_day, views, applications"},
		{"/api/top?sort=views", "unknown parameter"},
	} {
		var a gridAnswer
		if code := get(t, srv, c.path, &a); code != 400 || !strings.Contains(a.Error, c.says) {
			t.Errorf("%s: %d %q; want a 400 saying %q", c.path, code, a.Error, c.says)
		}
	}
}

// TestPostingsWhileLoading checks that a grid the loader holds the
// warehouse of answers 503 with a word to try again.
func TestPostingsWhileLoading(t *testing.T) {
	t.Parallel()
	path := warehouseFile(t, nil, "정보처리기사")
	store := dashboard.NewStore(duckdb.NewFileSnapshotter(path), slog.New(slog.DiscardHandler), dashboard.WithPostings(wrapBusy{}))
	if _, err := store.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(dashboard.NewServer(store, slog.New(slog.DiscardHandler)))
	defer srv.Close()
	for _, p := range []string{"/api/postings", "/api/top"} {
		var a gridAnswer
		if code := get(t, srv, p, &a); code != 503 || a.Error != "the warehouse is being loaded, try again in a moment" {
			t.Errorf("%s while loading: %d %q", p, code, a.Error)
		}
	}
}

// wrapBusy fails as the DuckDB reader does while the loader holds the
// file: its error wraps warehouse.ErrWarehouseBusy.
type wrapBusy struct{}

func (wrapBusy) Postings(context.Context, warehouse.PostingQuery) (warehouse.PostingPage, error) {
	return warehouse.PostingPage{}, fmt.Errorf("postings: %w (could not set lock)", warehouse.ErrWarehouseBusy)
}

// TestPostingsGroups: over postings classified into data roles and
// comparison groups of other IT work, a group and "other" (outside both)
// find what SQL finds.
func TestPostingsGroups(t *testing.T) {
	t.Parallel()
	path := itWarehouse(t)
	srv := serve(t, path)
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct{ role, where string }{
		{"backend", "it_group = 'backend'"},
		{"security", "it_group = 'security'"},
		{"other", "role IS NULL AND it_group IS NULL"},
		{"data_engineer", "role = 'data_engineer'"},
	} {
		want := sqlIDs(t, db, `SELECT id FROM core.recruit WHERE `+c.where+` ORDER BY posted_at DESC, id`)
		var a gridAnswer
		if code := get(t, srv, "/api/postings?role="+c.role+"&"+september, &a); code != 200 {
			t.Fatalf("%s: %d %s", c.role, code, a.Error)
		}
		if got := ids(a.Rows); len(want) == 0 || !slices.Equal(got, want) || a.Total != int64(len(want)) {
			t.Errorf("role=%s: postings %v of %d; SQL finds %v", c.role, got, a.Total, want)
		}
	}
}
