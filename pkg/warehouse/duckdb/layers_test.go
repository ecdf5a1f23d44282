package duckdb_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/saramin/codes"
	"jobpulse/pkg/source"
	"jobpulse/pkg/transform"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// coreTables are the tables a load rebuilds; replays must leave them as
// they were.
var coreTables = []string{
	"external.recruit_table", "external.recruit_role",
	"core.recruit", "core.datajob", "core.daily_postings", "core.daily_by_region",
	"core.daily_by_industry", "core.daily_entry_level", "core.open_postings_daily",
}

// fingerprints returns md5 of every core table's rows in a fixed order.
func fingerprints(t *testing.T, w *duckdb.Warehouse) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range coreTables {
		var n int
		var h string
		q := fmt.Sprintf(`SELECT count(*), coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)), '') FROM %s x`, table)
		if err := w.DB().QueryRowContext(ctx, q).Scan(&n, &h); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out[table] = fmt.Sprintf("%d:%s", n, h)
	}
	return out
}

// checkLayers asserts the invariants between the layers.
func checkLayers(t *testing.T, w *duckdb.Warehouse) {
	t.Helper()
	tests := []struct{ name, query string }{
		{"duplicate ids in external", `SELECT count(*) - count(DISTINCT id) FROM external.recruit_table`},
		{"duplicate ids in core.recruit", `SELECT count(*) - count(DISTINCT id) FROM core.recruit`},
		{"external ids missing from core", `SELECT count(*) FROM external.recruit_table WHERE id NOT IN (SELECT id FROM core.recruit)`},
		{"core ids missing from external", `SELECT count(*) FROM core.recruit WHERE id NOT IN (SELECT id FROM external.recruit_table)`},
		{"datajob rows not in core.recruit", `SELECT count(*) FROM (SELECT * FROM core.datajob EXCEPT ALL SELECT * FROM core.recruit)`},
		{"data roles missing from datajob", `SELECT count(*) FROM core.recruit WHERE role IS NOT NULL AND id NOT IN (SELECT id FROM core.datajob)`},
		{"datajob rows without a role", `SELECT count(*) FROM core.datajob WHERE role IS NULL`},
		{"is_open differs from external", `SELECT count(*) FROM core.recruit c JOIN external.recruit_table e USING (id) WHERE c.is_open <> e.is_open OR c.closed_at IS DISTINCT FROM e.closed_at`},
		{"closed without closed_at", `SELECT count(*) FROM external.recruit_table WHERE is_open = (closed_at IS NOT NULL)`},
	}
	for _, tc := range tests {
		if n := queryInt(t, w, tc.query); n != 0 {
			t.Errorf("%s: %d", tc.name, n)
		}
	}
	checkAggregates(t, w)
}

// checkAggregates recomputes every aggregate from core.recruit directly and
// compares.
func checkAggregates(t *testing.T, w *duckdb.Warehouse) {
	t.Helper()
	const rows = `(SELECT posted_date AS date, coalesce(province, 'unknown') AS province,
		coalesce(industry_category, 'unknown') AS industry_category, is_entry_level,
		unnest(CASE WHEN role IS NULL THEN ['all'] ELSE ['all', role] END) AS role
		FROM core.recruit WHERE posted_date IS NOT NULL)`
	tests := []struct{ table, direct string }{
		{"core.daily_postings", `SELECT date, role, count(*) FROM ` + rows + ` GROUP BY ALL`},
		{"core.daily_by_region", `SELECT date, province, role, count(*) FROM ` + rows + ` GROUP BY ALL`},
		{"core.daily_by_industry", `SELECT date, industry_category, role, count(*) FROM ` + rows + ` GROUP BY ALL`},
		{"core.daily_entry_level", `SELECT date, role, is_entry_level, count(*) FROM ` + rows + ` GROUP BY ALL`},
		// Every day the table covers, counted the plain way.
		{"core.open_postings_daily", `SELECT d.date, r.role, count(*)
			FROM (SELECT DISTINCT date FROM core.open_postings_daily) d
			JOIN (SELECT posted_at, closed_at, unnest(CASE WHEN role IS NULL THEN ['all'] ELSE ['all', role] END) AS role
			      FROM core.recruit) r
			  ON r.posted_at < (d.date + 1)::TIMESTAMP AT TIME ZONE 'Asia/Seoul'
			 AND (r.closed_at IS NULL OR r.closed_at >= (d.date + 1)::TIMESTAMP AT TIME ZONE 'Asia/Seoul')
			GROUP BY ALL`},
	}
	for _, tc := range tests {
		q := fmt.Sprintf(`SELECT count(*) FROM ((SELECT * FROM %s EXCEPT ALL (%s)) UNION ALL ((%s) EXCEPT ALL SELECT * FROM %s))`,
			tc.table, tc.direct, tc.direct, tc.table)
		if n := queryInt(t, w, q); n != 0 {
			t.Errorf("%s differs from a direct count in %d rows", tc.table, n)
		}
	}
	// open_postings_daily covers every day from the first posting to the
	// warehouse clock.
	q := `SELECT count(*) FROM (
		SELECT unnest(range((SELECT min(posted_date) FROM core.recruit)::TIMESTAMP,
		    (SELECT CAST(timezone('Asia/Seoul', max(as_of)) AS DATE) + 1 FROM staging.recruit_loads)::TIMESTAMP, INTERVAL 1 DAY))::DATE AS date
		EXCEPT SELECT date FROM core.open_postings_daily WHERE role = 'all')
		WHERE date >= (SELECT min(posted_at) FROM core.recruit)::DATE`
	if n := queryInt(t, w, q); n > 1 { // the first day may have none open at its end only if all closed the same day
		t.Errorf("open_postings_daily misses %d days", n)
	}
}

// samplePostings parses the real API answer into postings.
func samplePostings(t *testing.T) []byte {
	t.Helper()
	page, err := os.ReadFile("../../saramin/testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		t.Fatal(err)
	}
	p := transform.ParsePage(page, "raw/saramin/sample/page-0001.json", "sample")
	if len(p.Bad) != 0 {
		t.Fatalf("sample: %d records quarantined", len(p.Bad))
	}
	return p.Rows
}

func loadBatch(t *testing.T, w *duckdb.Warehouse, lake warehousetest.Lake, run string, windowTo time.Time, objects ...string) {
	t.Helper()
	b := warehouse.Batch{Source: source.Saramin, RunID: run, Objects: objects, WindowTo: windowTo}
	if _, err := w.LoadRecruit(ctx, b, lake); err != nil {
		t.Fatalf("LoadRecruit %s: %v", run, err)
	}
}

func TestMetaLoadedAndReplacedOnlyWhenChanged(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	opt, setNow := clock(t0)
	w := ensured(t, opt)
	tables, err := codes.Load()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{
		"location": len(tables.Locations), "industries": len(tables.Industries),
		"industry_categories": len(tables.IndustryCategories), "job_codes": len(tables.JobCodes),
		"job_mid": len(tables.JobMids), "experiences": len(tables.Experiences), "education": len(tables.Educations),
		"job_types": len(tables.JobTypes), "salary": len(tables.Salaries), "close_types": len(tables.CloseTypes),
	}
	for table, want := range counts {
		if got := queryInt(t, w, `SELECT count(*) FROM meta.`+table); got != want || want == 0 {
			t.Errorf("meta.%s has %d rows; want %d", table, got, want)
		}
		if got := queryInt(t, w, `SELECT rows FROM meta.versions WHERE table_name = ?`, table); got != want {
			t.Errorf("meta.versions says %d rows for %s; want %d", got, table, want)
		}
	}
	if got := queryInt(t, w, `SELECT count(*) FROM meta.location WHERE code = '101010' AND full_name = '서울 > 강남구' AND NOT is_province`); got != 1 {
		t.Errorf("meta.location 101010 not 서울 > 강남구")
	}
	if got := queryInt(t, w, `SELECT count(*) FROM meta.salary WHERE code = '23' AND min_manwon = 10000 AND max_manwon IS NULL`); got != 1 {
		t.Errorf("meta.salary 23 not 1억원 이상 with an open top")
	}

	p := warehousetest.Posting
	lake := warehousetest.Lake{"o": warehousetest.NDJSON(p("1", "데이터 엔지니어", warehousetest.Base, "r1"))}
	load(t, w, lake, "r1", "o")

	// Unchanged code tables: Ensure replaces nothing.
	setNow(t0.Add(time.Hour))
	if err := w.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if got := queryInt(t, w, `SELECT count(*) FROM meta.versions WHERE loaded_at <> ?`, t0); got != 0 {
		t.Errorf("%d meta tables reloaded although the code tables did not change", got)
	}

	// A table whose recorded hash differs (as after a code table update) is
	// reloaded, alone, and core is rebuilt with its names.
	if _, err := w.DB().ExecContext(ctx, `UPDATE meta.versions SET hash = 'old' WHERE table_name = 'location';
		DELETE FROM meta.location WHERE code = '101010';
		UPDATE core.recruit SET province = 'stale', regions = []`); err != nil {
		t.Fatal(err)
	}
	setNow(t0.Add(2 * time.Hour))
	if err := w.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if got := queryInt(t, w, `SELECT count(*) FROM meta.location`); got != counts["location"] {
		t.Errorf("meta.location has %d rows after reload; want %d", got, counts["location"])
	}
	var reloaded []string
	rows, err := w.DB().QueryContext(ctx, `SELECT table_name FROM meta.versions WHERE loaded_at <> ? ORDER BY 1`, t0)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		reloaded = append(reloaded, s)
	}
	rows.Close()
	if !slices.Equal(reloaded, []string{"location"}) {
		t.Errorf("reloaded %v; want [location]", reloaded)
	}
	var province, regions string
	if err := w.DB().QueryRowContext(ctx, `SELECT province, regions::VARCHAR FROM core.recruit WHERE id = '1'`).Scan(&province, &regions); err != nil {
		t.Fatal(err)
	}
	if province != "서울" || regions != "[서울 > 강남구, 서울 > 강동구]" {
		t.Errorf("after the rebuild core.recruit has province %q regions %s", province, regions)
	}
	checkLayers(t, w)
}

func TestCoreResolvesTheRealSample(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	lake := warehousetest.Lake{"clean/sample.ndjson": samplePostings(t)}
	loadBatch(t, w, lake, "sample", time.Date(2021, 9, 27, 12, 0, 0, 0, time.UTC), "clean/sample.ndjson")
	n := queryInt(t, w, `SELECT count(*) FROM core.recruit`)
	if n != 110 {
		t.Fatalf("core.recruit has %d rows; want the sample's 110", n)
	}
	tests := []struct {
		name, query string
	}{
		{"region codes without a province", `SELECT count(*) FROM core.recruit WHERE len(location_codes) > 0 AND (province IS NULL OR len(provinces) = 0)`},
		{"regions not resolved", `SELECT count(*) FROM core.recruit WHERE len(regions) <> len(location_codes) OR list_has_any(regions, location_codes)`},
		{"industry without category", `SELECT count(*) FROM core.recruit WHERE industry_code IS NOT NULL AND industry_category IS NULL`},
		{"experience without level", `SELECT count(*) FROM core.recruit WHERE experience_code IS NOT NULL AND experience_level IS NULL`},
		{"education without name", `SELECT count(*) FROM core.recruit WHERE education_code IS NOT NULL AND education_name IS NULL`},
		{"job types not resolved", `SELECT count(*) FROM core.recruit WHERE len(job_types) <> len(job_type_codes) OR list_has_any(job_types, job_type_codes)`},
		{"salary without band", `SELECT count(*) FROM core.recruit WHERE salary_code NOT IN ('98', '101', '104') AND salary_band IS NULL`},
		{"salary band bounds", `SELECT count(*) FROM core.recruit WHERE salary_code = '17' AND (salary_min_manwon <> 4000 OR salary_max_manwon <> 5000)`},
		{"skills not the clean row's", `SELECT count(*) FROM core.recruit c JOIN external.recruit_table e USING (id) WHERE c.skills <> e.skills`},
		{"skills not distinct", `SELECT count(*) FROM core.recruit WHERE len(skills) <> len(list_distinct(skills))`},
		{"industry or job code as a skill", `SELECT count(*) FROM core.recruit
			WHERE list_contains(skills, industry_name) OR list_has_any(skills, ['건설회사', '종합포털', '정비기사', '요금정산', '빅데이터', '데이터엔지니어'])`},
		// What pkg/skills' TestSampleSkills reads in the sample: 34 postings
		// name 64 skills.
		{"postings naming a skill", `SELECT count(*) - 34 FROM core.recruit WHERE len(skills) > 0`},
		{"skills named", `SELECT sum(len(skills)) - 64 FROM core.recruit`},
		{"entry level flag", `SELECT count(*) FROM core.recruit WHERE is_entry_level <> (experience_code IN (1, 3) OR (experience_code = 0 AND coalesce(experience_min, 0) = 0))`},
		{"posted_date not KST", `SELECT count(*) FROM core.recruit WHERE posted_date <> CAST(posted_at + INTERVAL 9 HOUR AS DATE)`},
		{"real postings marked synthetic", `SELECT count(*) FROM core.recruit WHERE synthetic`},
	}
	for _, tc := range tests {
		if got := queryInt(t, w, tc.query); got != 0 {
			t.Errorf("%s: %d rows", tc.name, got)
		}
	}
	// Spot checks against the sample's first posting's codes.
	var province, category, level string
	if err := w.DB().QueryRowContext(ctx, `SELECT province, industry_category, experience_level FROM core.recruit
		WHERE location_codes[1] LIKE '101%' AND industry_code LIKE '3__' AND experience_code = 1 LIMIT 1`).Scan(&province, &category, &level); err != nil {
		t.Fatalf("no Seoul IT entry-level posting in the sample: %v", err)
	}
	if province != "서울" || category != "IT·웹·통신" || level != "신입" {
		t.Errorf("resolved %q %q %q; want 서울 IT·웹·통신 신입", province, category, level)
	}
	if got := queryInt(t, w, `SELECT count(*) FROM core.recruit WHERE is_open`); got == 0 || got == n {
		t.Logf("open postings in the sample at its capture time: %d of %d", got, n)
	}
	checkLayers(t, w)
}

func TestClassifierHook(t *testing.T) {
	t.Parallel()
	var calls int
	w := ensured(t, duckdb.WithClassifier(func(title string, jobCodes, jobCodeNames, keywords, mids []string) (string, string) {
		calls++
		if slices.Contains(jobCodeNames, "데이터엔지니어") && strings.Contains(title, "엔지니어") {
			return "data_engineer", ""
		}
		return "", "backend"
	}))
	p := warehousetest.Posting
	lake := warehousetest.Lake{"o": warehousetest.NDJSON(p("1", "데이터 엔지니어", warehousetest.Base, "r1"), p("2", "웹 개발자", warehousetest.Base, "r1"))}
	load(t, w, lake, "r1", "o")
	if calls != 2 {
		t.Errorf("classifier called %d times; want 2", calls)
	}
	if got := queryInt(t, w, `SELECT count(*) FROM core.datajob WHERE id = '1' AND role = 'data_engineer'`); got != 1 {
		t.Errorf("core.datajob lacks posting 1 as data_engineer")
	}
	if got := queryInt(t, w, `SELECT count(*) FROM core.recruit WHERE id = '2' AND role IS NULL AND NOT is_data_role`); got != 1 {
		t.Errorf("posting 2 has a role")
	}
	for _, q := range []string{
		`SELECT count(*) FROM core.recruit WHERE id = '2' AND it_group = 'backend'`,
		`SELECT count(*) FROM core.recruit WHERE id = '1' AND it_group IS NULL`,
		`SELECT count(*) FROM external.recruit_role WHERE id = '2' AND it_group = 'backend'`,
	} {
		if got := queryInt(t, w, q); got != 1 {
			t.Errorf("%s = %d, want 1", q, got)
		}
	}
	checkLayers(t, w)
}

// A warehouse made before external.recruit_role and core had it_group (and
// core search_text) gains the columns on Ensure, and core is rebuilt so
// they are filled.
func TestEnsureAddsITGroup(t *testing.T) {
	t.Parallel()
	classify := func(title string, _, _, _, _ []string) (string, string) {
		if strings.Contains(title, "데이터") {
			return "data_engineer", ""
		}
		return "", "frontend"
	}
	w := ensured(t, duckdb.WithClassifier(classify))
	p := warehousetest.Posting
	lake := warehousetest.Lake{"o": warehousetest.NDJSON(p("1", "데이터 엔지니어", warehousetest.Base, "r1"), p("2", "프론트엔드 개발자", warehousetest.Base, "r1"))}
	load(t, w, lake, "r1", "o")
	for _, table := range []string{"core.datajob", "core.recruit", "external.recruit_role"} {
		if _, err := w.DB().ExecContext(ctx, "ALTER TABLE "+table+" DROP COLUMN it_group"); err != nil {
			t.Fatalf("make the old layout: %v", err)
		}
		if table == "external.recruit_role" {
			continue
		}
		if _, err := w.DB().ExecContext(ctx, "ALTER TABLE "+table+" DROP COLUMN search_text"); err != nil {
			t.Fatalf("make the old layout: %v", err)
		}
	}
	// A file of the old layout has no layout mark either.
	if _, err := w.DB().ExecContext(ctx, "COMMENT ON TABLE external.recruit_table IS NULL"); err != nil {
		t.Fatal(err)
	}
	if err := w.Ensure(ctx); err != nil {
		t.Fatalf("Ensure on a warehouse without it_group: %v", err)
	}
	for q, want := range map[string]int{
		`SELECT count(*) FROM external.recruit_role WHERE id = '2' AND it_group = 'frontend'`:              1,
		`SELECT count(*) FROM core.recruit WHERE id = '2' AND it_group = 'frontend'`:                       1,
		`SELECT count(*) FROM core.recruit WHERE id = '1' AND role = 'data_engineer' AND it_group IS NULL`: 1,
		`SELECT count(*) FROM core.datajob WHERE it_group IS NULL`:                                         1,
		`SELECT count(*) FROM core.recruit WHERE search_text = lower(title || ' ' || company_name)`:        2,
		`SELECT count(*) FROM core.datajob WHERE search_text LIKE '%데이터 엔지니어%'`:                            1,
	} {
		if got := queryInt(t, w, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	if err := w.Ensure(ctx); err != nil {
		t.Fatalf("Ensure again: %v", err)
	}
	checkLayers(t, w)
}

// history builds a few hourly batches over synthetic postings: new ones,
// updates, one closed by the API and one that expires.
func history(t *testing.T) (warehousetest.Lake, []warehouse.Batch) {
	t.Helper()
	base := warehousetest.Base
	p := func(id, title string, modified time.Time, run string, mut func(*saramin.Posting)) saramin.Posting {
		x := warehousetest.Posting(id, title, modified, run)
		if mut != nil {
			mut(&x)
		}
		return x
	}
	no := false
	expiresSoon := func(x *saramin.Posting) { e := x.ModifiedAt.Add(90 * time.Minute); x.ExpiresAt = &e }
	closed := func(x *saramin.Posting) { x.Active = &no }
	career := func(x *saramin.Posting) {
		c, lo := int64(2), int64(3)
		x.ExperienceCode, x.ExperienceMin, x.LocationCodes, x.IndustryCode = &c, &lo, []string{"102010"}, "401"
	}
	lake := warehousetest.Lake{
		"h0": warehousetest.NDJSON(
			p("1", "데이터 엔지니어 채용", base, "h0", nil),
			p("2", "데이터 분석가 (신입)", base, "h0", expiresSoon),
			p("3", "백엔드 개발자", base, "h0", career),
			p("4", "Data Scientist", base.Add(-30*time.Hour), "h0", nil),
		),
		"h1": warehousetest.NDJSON(
			p("1", "데이터 엔지니어 채용 (수정)", base.Add(time.Hour), "h1", nil),
			p("5", "MLOps 엔지니어", base.Add(time.Hour), "h1", career),
		),
		"h2": warehousetest.NDJSON(
			p("3", "백엔드 개발자", base.Add(2*time.Hour), "h2", closed),
		),
		"h5": warehousetest.NDJSON(
			p("6", "데이터 입력 사무", base.Add(50*time.Hour), "h5", nil),
		),
	}
	batch := func(run string, to time.Duration) warehouse.Batch {
		return warehouse.Batch{Source: source.Saramin, RunID: run, Objects: []string{run}, WindowFrom: base.Add(to - time.Hour), WindowTo: base.Add(to)}
	}
	return lake, []warehouse.Batch{batch("h0", 0), batch("h1", time.Hour), batch("h2", 2*time.Hour), batch("h5", 50*time.Hour)}
}

func TestReplaysLeaveEveryCoreTableUnchanged(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	lake, batches := history(t)
	lake["clean/sample.ndjson"] = samplePostings(t)
	sample := warehouse.Batch{Source: source.Saramin, RunID: "sample", Objects: []string{"clean/sample.ndjson"}, WindowTo: time.Date(2021, 9, 27, 12, 0, 0, 0, time.UTC)}
	for _, b := range append([]warehouse.Batch{sample}, batches...) {
		if _, err := w.LoadRecruit(ctx, b, lake); err != nil {
			t.Fatalf("LoadRecruit %s: %v", b.RunID, err)
		}
		checkLayers(t, w)
	}
	before := fingerprints(t, w)

	// Every batch again, under its own run id and under a new one, newest
	// first and oldest first.
	replays := slices.Clone(batches)
	slices.Reverse(replays)
	replays = append(replays, sample)
	for i, b := range replays {
		if _, err := w.LoadRecruit(ctx, b, lake); err != nil {
			t.Fatalf("replay %s: %v", b.RunID, err)
		}
		b.RunID = fmt.Sprint("replay-", i)
		if _, err := w.LoadRecruit(ctx, b, lake); err != nil {
			t.Fatalf("replay %s: %v", b.RunID, err)
		}
	}
	after := fingerprints(t, w)
	for _, table := range coreTables {
		if before[table] != after[table] {
			t.Errorf("%s changed by replays: %s -> %s", table, before[table], after[table])
		}
	}

	// A full rebuild (as after a meta change) gives the same tables as the
	// incremental refreshes did.
	if _, err := w.DB().ExecContext(ctx, `UPDATE meta.versions SET hash = 'old' WHERE table_name = 'job_types'`); err != nil {
		t.Fatal(err)
	}
	if err := w.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	rebuilt := fingerprints(t, w)
	for _, table := range coreTables {
		if before[table] != rebuilt[table] {
			t.Errorf("%s differs between incremental refreshes and a full rebuild", table)
		}
	}
}

func TestClosedAndExpiredPostingsStay(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	lake, batches := history(t)
	base := warehousetest.Base
	type state struct {
		open   bool
		closed sql.NullTime
	}
	get := func(id string) state {
		t.Helper()
		var s state
		if err := w.DB().QueryRowContext(ctx, `SELECT is_open, closed_at FROM core.recruit WHERE id = ?`, id).Scan(&s.open, &s.closed); err != nil {
			t.Fatalf("core.recruit %s: %v", id, err)
		}
		return s
	}
	for i, b := range batches {
		if _, err := w.LoadRecruit(ctx, b, lake); err != nil {
			t.Fatalf("LoadRecruit %s: %v", b.RunID, err)
		}
		switch i {
		case 0:
			if s := get("2"); !s.open || s.closed.Valid {
				t.Errorf("after h0: posting 2 %+v; want open", s)
			}
		case 1:
			// h1's window ends at +1h, before posting 2's deadline (+1h30m).
			if s := get("2"); !s.open {
				t.Errorf("after h1: posting 2 closed before its deadline")
			}
		case 2:
			// h2's window ends at +2h, past posting 2's deadline (+1h30m).
			if s := get("2"); s.open || !s.closed.Time.Equal(base.Add(90*time.Minute)) {
				t.Errorf("after h2: posting 2 %+v; want closed at its deadline", s)
			}
			// The API closed posting 3 in h2's version.
			if s := get("3"); s.open || !s.closed.Time.Equal(base.Add(2*time.Hour)) {
				t.Errorf("after h2: posting 3 %+v; want closed at its modification", s)
			}
		}
		checkLayers(t, w)
	}
	if got := queryInt(t, w, `SELECT count(*) FROM core.recruit WHERE id IN ('2', '3') AND NOT is_open`); got != 2 {
		t.Errorf("closed postings kept: %d; want 2", got)
	}
	if got := queryInt(t, w, `SELECT count(*) FROM external.recruit_table`); got != 6 {
		t.Errorf("external.recruit_table has %d rows; want 6", got)
	}
	// The open count of h0's day drops to exclude 2 and 3 only from their close day on.
	var days []string
	rows, err := w.DB().QueryContext(ctx, `SELECT date::VARCHAR || '=' || open_postings FROM core.open_postings_daily WHERE role = 'all' ORDER BY date`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		days = append(days, s)
	}
	rows.Close()
	// Postings are posted 2h before their modification: 4 on 2024-04-30
	// (11:00 KST), 1, 2, 3 and 5 on 2024-05-01, where 2 (20:30 KST) and 3
	// (21:00 KST) close the same evening; 6 on 2024-05-03, the day of the
	// warehouse clock (h5's window end, 21:00 KST).
	want := []string{"2024-04-30=1", "2024-05-01=3", "2024-05-02=3", "2024-05-03=4"}
	if !slices.Equal(days, want) {
		b, _ := json.Marshal(days)
		t.Errorf("open_postings_daily(all) = %s; want %v", b, want)
	}
}
