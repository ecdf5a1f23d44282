package dashboard_test

import (
	"context"
	"database/sql"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/role"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// itPostings span data roles, every comparison group and work outside IT,
// over three weeks from base (a Monday), so a week has a week before it.
var itPostings = []fixture{
	{"1", "데이터 엔지니어 채용", 0, true, true, true},
	{"2", "백엔드 개발자", 1, true, false, true},
	{"3", "프론트엔드 개발자", 2, false, true, false},
	{"4", "iOS 개발자", 3, true, false, true},
	{"5", "네트워크 엔지니어", 4, false, false, true},
	{"6", "경리 사무원", 5, false, true, false},
	{"7", "데이터 분석가", 7, true, true, false},
	{"8", "Java 백엔드 개발자", 8, false, false, true},
	{"9", "정보보안 담당자", 8, true, false, false},
	{"10", "QA 엔지니어", 9, true, true, true},
	{"11", "Data Scientist", 9, true, false, true},
	{"12", "웹디자이너", 10, true, true, false},
	{"13", "DevOps 엔지니어", 11, false, false, true},
	{"14", "머신러닝 엔지니어", 12, false, true, true},
	{"15", "안드로이드 개발자", 13, true, false, false},
	{"16", "서버 개발자", 15, true, true, true},
	{"17", "보안관제 요원", 16, false, false, true},
}

// itWarehouse writes a warehouse of itPostings classified by package role.
func itWarehouse(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	w, path := openWarehouse(t, duckdb.WithClock(func() time.Time { return base.Add(20 * 24 * time.Hour) }))
	var rows []saramin.Posting
	for _, f := range itPostings {
		p := f.posting()
		p.JobCodes, p.JobCodeNames = nil, nil
		rows = append(rows, p)
	}
	src := warehousetest.Lake{"r1": warehousetest.NDJSON(rows...)}
	if _, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"r1"}, Rows: len(rows)}, src); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

type rolesAnswer struct {
	Filter       map[string]any        `json:"filter"`
	Before       map[string]string     `json:"before"`
	Market       int64                 `json:"market"`
	MarketBefore *int64                `json:"market_before"`
	Groups       bool                  `json:"groups"`
	Rows         []dashboard.RoleCount `json:"rows"`
	Evaluated    role.Evaluation       `json:"evaluated"`
}

// sqlRoleCounts counts core.recruit's postings per role as the snapshot
// names them (role, else group, else "other") directly in the warehouse.
func sqlRoleCounts(t *testing.T, db *sql.DB, from, to string, entry bool, province, industry string) map[string]int64 {
	t.Helper()
	rows, err := db.Query(`SELECT coalesce(role, it_group, 'other'), count(*) FROM core.recruit
		WHERE posted_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
		  AND (NOT ? OR is_entry_level)
		  AND (? = '' OR list_contains(list_transform(regions, x -> split_part(x, ' > ', 1)), ?))
		  AND (? = '' OR industry_category = ?)
		GROUP BY 1`, from, to, entry, province, province, industry, industry)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var r string
		var n int64
		if err := rows.Scan(&r, &n); err != nil {
			t.Fatal(err)
		}
		out[r] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func total(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// TestRoles asks /api/roles with each filter alone and combined and checks
// every row against counts taken with SQL from the warehouse.
func TestRoles(t *testing.T) {
	t.Parallel()
	path := itWarehouse(t)
	srv := serve(t, path)
	var m dashboard.Meta
	get(t, srv, "/api/meta", &m)
	wantGroups := []string{"backend", "frontend", "mobile", "infra", "security", "other_it"}
	if !slices.Equal(m.Groups, wantGroups) {
		t.Errorf("meta groups = %v, want %v", m.Groups, wantGroups)
	}
	for i, r := range m.Roles {
		if _, ok := role.Parse(r); !ok && i < 4 {
			t.Errorf("meta roles = %v: want the data roles first", m.Roles)
		}
		if _, ok := role.ParseGroup(r); ok {
			t.Errorf("meta roles = %v list group %q", m.Roles, r)
		}
	}
	if len(m.Roles) != 5 || m.Roles[4] != "other" {
		t.Errorf("meta roles = %v: want the four data roles, then other", m.Roles)
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seoul, gyeonggi := province(t, m.Provinces, "서울"), province(t, m.Provinces, "경기")
	var it, bank string
	for _, ind := range m.Industries {
		if strings.Contains(ind, "금융") {
			bank = ind
		} else {
			it = ind
		}
	}
	if it == "" || bank == "" {
		t.Fatalf("industries %v: want an IT one and a finance one", m.Industries)
	}
	week2 := "&from=2026-09-14&to=2026-09-20" // the week before is 7–13 Sep, the first
	for _, tc := range []struct {
		query            string
		from, to         string
		beforeFrom       string
		entry            bool
		province, indust string
		covered          bool
		market           int64 // the fixture's count, so the SQL is checked too
	}{
		{"from=2026-09-14&to=2026-09-20", "2026-09-14", "2026-09-20", "2026-09-07", false, "", "", true, 9},
		{"from=2026-09-07&to=2026-09-13", "2026-09-07", "2026-09-13", "2026-08-31", false, "", "", false, 6},
		{"from=2026-09-14&to=2026-09-27", "2026-09-14", "2026-09-27", "2026-08-31", false, "", "", false, 11},
		{"entry=1" + week2, "2026-09-14", "2026-09-20", "2026-09-07", true, "", "", true, 4},
		{"province=" + url.QueryEscape(seoul) + week2, "2026-09-14", "2026-09-20", "2026-09-07", false, seoul, "", true, 6},
		{"province=" + url.QueryEscape(gyeonggi) + week2, "2026-09-14", "2026-09-20", "2026-09-07", false, gyeonggi, "", true, 3},
		{"industry=" + url.QueryEscape(it) + week2, "2026-09-14", "2026-09-20", "2026-09-07", false, "", it, true, 5},
		{"entry=1&province=" + url.QueryEscape(seoul) + "&industry=" + url.QueryEscape(bank) + week2, "2026-09-14", "2026-09-20", "2026-09-07", true, seoul, bank, true, 2},
		{"entry=1&industry=" + url.QueryEscape(it) + "&from=2026-09-21&to=2026-09-27", "2026-09-21", "2026-09-27", "2026-09-14", true, "", it, true, 1},
		{"to=2026-09-20&from=2026-09-16", "2026-09-16", "2026-09-20", "2026-09-11", false, "", "", true, 6},
	} {
		var v rolesAnswer
		if code := get(t, srv, "/api/roles?"+tc.query, &v); code != 200 {
			t.Errorf("%s: %d", tc.query, code)
			continue
		}
		days := int(mustDay(t, tc.to).Sub(mustDay(t, tc.from)).Hours()/24) + 1
		beforeTo := mustDay(t, tc.from).AddDate(0, 0, -1).Format(time.DateOnly)
		now := sqlRoleCounts(t, db, tc.from, tc.to, tc.entry, tc.province, tc.indust)
		before := sqlRoleCounts(t, db, tc.beforeFrom, beforeTo, tc.entry, tc.province, tc.indust)
		if v.Market != total(now) || v.Market != tc.market {
			t.Errorf("%s: market %d; SQL counts %d, the fixture %d", tc.query, v.Market, total(now), tc.market)
		}
		if v.Before["from"] != tc.beforeFrom || v.Before["to"] != beforeTo || mustDay(t, beforeTo).Sub(mustDay(t, tc.beforeFrom)).Hours()/24+1 != float64(days) {
			t.Errorf("%s: before %v; want %s to %s", tc.query, v.Before, tc.beforeFrom, beforeTo)
		}
		if (v.MarketBefore != nil) != tc.covered || (tc.covered && *v.MarketBefore != total(before)) {
			t.Errorf("%s: market before %v; want covered %v with %d", tc.query, v.MarketBefore, tc.covered, total(before))
		}
		if !v.Groups || v.Evaluated.HeldOut.Cases == 0 || v.Evaluated.Training.Cases == 0 {
			t.Errorf("%s: groups %v, evaluated %+v", tc.query, v.Groups, v.Evaluated)
		}
		var names []string
		for _, r := range v.Rows {
			names = append(names, r.Role)
			if r.Postings != now[r.Role] {
				t.Errorf("%s: %s has %d postings; SQL counts %d", tc.query, r.Role, r.Postings, now[r.Role])
			}
			if tc.market > 0 && !near(r.Share, float64(now[r.Role])/float64(tc.market)) {
				t.Errorf("%s: %s share %.4f; want %d/%d", tc.query, r.Role, r.Share, now[r.Role], tc.market)
			}
			switch {
			case !tc.covered:
				if r.BeforePostings != nil || r.BeforeShare != nil {
					t.Errorf("%s: %s has a before (%v, %v) for a period the warehouse does not cover", tc.query, r.Role, r.BeforePostings, r.BeforeShare)
				}
			case r.BeforePostings == nil || *r.BeforePostings != before[r.Role]:
				t.Errorf("%s: %s before %v; SQL counts %d", tc.query, r.Role, r.BeforePostings, before[r.Role])
			case total(before) > 0 && (r.BeforeShare == nil || !near(*r.BeforeShare, float64(before[r.Role])/float64(total(before)))):
				t.Errorf("%s: %s before share %v; want %d/%d", tc.query, r.Role, r.BeforeShare, before[r.Role], total(before))
			}
			kind := map[bool]string{true: "data", false: "group"}[slices.Contains(role.Roles(), role.Role(r.Role))]
			if r.Role == "other" {
				kind = "other"
			}
			if r.Kind != kind || r.Ko == "" || r.En == "" {
				t.Errorf("%s: row %+v: want kind %s and names", tc.query, r, kind)
			}
		}
		want := append([]string{"data_engineer", "data_analyst", "data_scientist", "ml_engineer"}, append(wantGroups, "other")...)
		if !slices.Equal(names, want) {
			t.Errorf("%s: rows %v, want %v", tc.query, names, want)
		}
	}
	// The week of 14–20 Sep, by hand: 2 data roles of 9 postings.
	var v rolesAnswer
	get(t, srv, "/api/roles"+strings.Replace(week2, "&", "?", 1), &v)
	byRole := map[string]int64{}
	for _, r := range v.Rows {
		byRole[r.Role] = r.Postings
	}
	if byRole["data_analyst"] != 1 || byRole["data_scientist"] != 1 || byRole["backend"] != 1 || byRole["security"] != 1 ||
		byRole["other_it"] != 1 || byRole["infra"] != 1 || byRole["mobile"] != 1 || byRole["other"] != 1 || byRole["ml_engineer"] != 1 {
		t.Errorf("14–20 Sep by role = %v", byRole)
	}
}

// TestRolesRejects checks /api/roles' answers to filters it cannot take.
func TestRolesRejects(t *testing.T) {
	t.Parallel()
	srv := serve(t, itWarehouse(t))
	for _, q := range []string{"role=backend", "grain=week", "province=Atlantis", "industry=x", "entry=2", "from=2026-09-20&to=2026-09-10", "from=yesterday"} {
		var e map[string]string
		if code := get(t, srv, "/api/roles?"+q, &e); code != 400 || e["error"] == "" {
			t.Errorf("%s: %d %v; want 400 with a message", q, code, e)
		}
	}
	// A group is a role the other views take.
	var vol volume
	if code := get(t, srv, "/api/volume?role=backend&from=2026-09-07&to=2026-09-27", &vol); code != 200 {
		t.Fatalf("volume of a group: %d", code)
	}
	if p, _, _ := sum(vol.Points); p != 3 {
		t.Errorf("backend postings = %d, want 3", p)
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
