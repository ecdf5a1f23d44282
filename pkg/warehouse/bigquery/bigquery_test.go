package bigquery

import (
	bq "cloud.google.com/go/bigquery"
	"context"
	"errors"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

func TestEnsureCreatesDatasetsAndTables(t *testing.T) {
	f := newFakeBQ(t)
	w := f.open(t)
	ctx := context.Background()
	for i := range 2 { // the second time the datasets exist and every table create answers 409
		if err := w.Ensure(ctx); err != nil {
			t.Fatalf("Ensure #%d: %v", i+1, err)
		}
	}

	var datasets []string
	for _, r := range f.recorded(http.MethodPost, "/projects/proj/datasets") {
		ref := r.Body["datasetReference"].(map[string]any)
		datasets = append(datasets, ref["datasetId"].(string))
		if r.Body["location"] != "asia-northeast3" {
			t.Errorf("dataset %v location = %v", ref["datasetId"], r.Body["location"])
		}
	}
	// Created once: the second Ensure finds them and does not ask again.
	if want := []string{"staging", "external", "meta", "core", "ops"}; !slices.Equal(datasets, want) {
		t.Errorf("datasets created = %v; want %v", datasets, want)
	}

	got := map[string]map[string]any{}
	for _, r := range f.recorded(http.MethodPost, "/tables") {
		ref := r.Body["tableReference"].(map[string]any)
		got[ref["datasetId"].(string)+"."+ref["tableId"].(string)] = r.Body
	}
	tests := []struct {
		table, partField, partType string
		cluster                    []string
		requireFilter              bool
	}{
		{"staging.recruit", "loaded_at", "DAY", []string{"run_id", "id"}, true},
		{"staging.recruit_loads", "", "", nil, false},
		{"external.recruit_table", "posted_at", "MONTH", []string{"id"}, false},
		{"external.recruit_role", "", "", []string{"id"}, false},
		{"meta.location", "", "", nil, false},
		{"meta.experiences", "", "", nil, false},
		{"meta.industries", "", "", nil, false},
		{"meta.industry_categories", "", "", nil, false},
		{"meta.job_codes", "", "", nil, false},
		{"core.recruit", "posted_date", "DAY", []string{"role", "province"}, false},
		{"core.datajob", "posted_date", "DAY", []string{"role", "province"}, false},
		{"core.daily_postings", "date", "DAY", []string{"role"}, false},
		{"core.daily_by_region", "date", "DAY", []string{"role", "province"}, false},
		{"core.daily_by_industry", "date", "DAY", []string{"role", "industry_category"}, false},
		{"core.daily_entry_level", "date", "DAY", []string{"role"}, false},
		{"core.open_postings_daily", "date", "DAY", []string{"role"}, false},
		{"ops.runs", "started_at", "DAY", []string{"job", "execution"}, false},
		{"staging.google_trend", "loaded_at", "DAY", []string{"source_object"}, true},
		{"external.google_trend", "window_to", "MONTH", []string{"keyword", "request_id"}, false},
		{"core.google_trend", "", "", []string{"keyword", "period"}, false},
		{"external.certification", "", "", []string{"exam"}, false},
		{"core.certification", "", "", []string{"exam"}, false},
		{"staging.indicator_loads", "", "", nil, false},
	}
	for _, tc := range tests {
		body, ok := got[tc.table]
		if !ok {
			t.Errorf("%s: not created", tc.table)
			continue
		}
		tp, _ := body["timePartitioning"].(map[string]any)
		if tc.partType == "" {
			if tp != nil {
				t.Errorf("%s: partitioned %v; want none", tc.table, tp)
			}
		} else if tp["field"] != tc.partField || tp["type"] != tc.partType {
			t.Errorf("%s: partitioning %v; want %s by %s", tc.table, tp, tc.partType, tc.partField)
		}
		var cluster []string
		if c, ok := body["clustering"].(map[string]any); ok {
			for _, f := range c["fields"].([]any) {
				cluster = append(cluster, f.(string))
			}
		}
		if !slices.Equal(cluster, tc.cluster) {
			t.Errorf("%s: clustering %v; want %v", tc.table, cluster, tc.cluster)
		}
		if req, _ := body["requirePartitionFilter"].(bool); req != tc.requireFilter {
			t.Errorf("%s: requirePartitionFilter %v; want %v", tc.table, req, tc.requireFilter)
		}
		if len(fieldsOf(body["schema"])) == 0 {
			t.Errorf("%s: no schema", tc.table)
		}
	}

	// core.recruit starts with external.recruit_table's columns in the same
	// order, but external's last, skills: core_recruit.sql inserts
	// r.* EXCEPT (skills) positionally, and the skills in core's own column.
	ext, core := fieldsOf(got["external.recruit_table"]["schema"]), fieldsOf(got["core.recruit"]["schema"])
	if len(ext) == 0 || ext[len(ext)-1] != "skills STRING REPEATED" || !slices.Contains(core, "skills STRING REPEATED") {
		t.Errorf("skills is not external.recruit_table's last column and one of core.recruit's:\n%v\n%v", ext, core)
	} else {
		ext = ext[:len(ext)-1]
	}
	if len(core) < len(ext) || !slices.Equal(core[:len(ext)], ext) {
		t.Errorf("core.recruit columns do not start with external.recruit_table's:\n%v\n%v", core, ext)
	}
}

// fieldsOf lists "name TYPE MODE" for each field of a recorded schema.
func fieldsOf(schema any) []string {
	s, _ := schema.(map[string]any)
	fs, _ := s["fields"].([]any)
	var out []string
	for _, f := range fs {
		m := f.(map[string]any)
		mode, _ := m["mode"].(string)
		out = append(out, m["name"].(string)+" "+m["type"].(string)+" "+mode)
	}
	return out
}

// duckColumns parses the column list of one CREATE TABLE in DuckDB's schema.sql.
func duckColumns(t *testing.T, table string) map[string]string {
	t.Helper()
	return duckColumnsIn(t, "schema.sql", table)
}

// duckColumnsIn parses the column list of one CREATE TABLE in one of
// DuckDB's schema files (../duckdb/sql/file).
func duckColumnsIn(t *testing.T, file, table string) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../duckdb/sql/" + file)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?s)CREATE TABLE IF NOT EXISTS ` + regexp.QuoteMeta(table) + ` \((.*?)\n\);`)
	m := re.FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s: no CREATE TABLE %s", file, table)
	}
	cols := map[string]string{}
	for _, line := range strings.Split(string(m[1]), "\n") {
		line = strings.TrimSpace(strings.Split(line, "--")[0])
		f := strings.Fields(strings.TrimSuffix(line, ","))
		if len(f) < 2 || f[0] == "PRIMARY" {
			continue
		}
		cols[f[0]] = f[1]
	}
	if len(cols) < 10 {
		t.Fatalf("%s %s: parsed only %v", file, table, cols)
	}
	return cols
}

// bqType is the BigQuery type (and REPEATED) a DuckDB column type maps to.
var bqType = map[string]string{
	"VARCHAR": "STRING", "VARCHAR[]": "STRING REPEATED", "BOOLEAN": "BOOLEAN", "BIGINT": "INTEGER",
	"TIMESTAMPTZ": "TIMESTAMP", "JSON": "JSON", "DATE": "DATE", "DOUBLE": "FLOAT", "INTEGER": "INTEGER",
}

func TestSchemaMatchesDuckDB(t *testing.T) {
	for _, tc := range []struct{ duck, dataset, table string }{
		{"staging.recruit", "staging", "recruit"},
		{"external.recruit_table", "external", "recruit_table"},
		{"core.recruit", "core", "recruit"},
		{"staging.recruit_loads", "staging", "recruit_loads"},
	} {
		var spec tableSpec
		for _, s := range tables() {
			if s.dataset == tc.dataset && s.name == tc.table {
				spec = s
			}
		}
		got := map[string]string{}
		for _, f := range spec.schema {
			typ := string(f.Type)
			if f.Repeated {
				typ += " REPEATED"
			}
			got[f.Name] = typ
		}
		for col, duck := range duckColumns(t, tc.duck) {
			want, ok := bqType[duck]
			if !ok {
				t.Errorf("%s.%s: unmapped DuckDB type %s", tc.duck, col, duck)
				continue
			}
			if got[col] != want {
				t.Errorf("%s.%s: BigQuery %q; want %q (DuckDB %s)", tc.duck, col, got[col], want, duck)
			}
		}
	}
}

func TestLoadSchemaCoversStagedColumns(t *testing.T) {
	// Every staging column read from the file (all but the ones the load
	// adds) is in the load job's schema; lists load as JSON.
	load := map[string]string{}
	for _, f := range loadSchema {
		load[f.Name] = string(f.Type)
	}
	for col, duck := range duckColumns(t, "staging.recruit") {
		switch col {
		case "run_id", "source_object", "source_line", "loaded_at":
			continue
		case "raw_object":
			col = "source_object" // the Posting's key
		}
		want := strings.TrimSuffix(bqType[duck], " REPEATED")
		if strings.HasSuffix(duck, "[]") {
			want = "JSON"
		}
		if load[col] != want {
			t.Errorf("load schema %s = %q; want %q", col, load[col], want)
		}
	}
	if _, ok := load["run_id"]; ok {
		t.Error("load schema reads the file's run_id; the batch's wins")
	}
}

var (
	stagedChecks = []string{"education_known", "experience_known", "expiry_after_posting", "industry_known",
		"job_type_known", "location_known", "time_not_future"}
	coreChecks = []string{"core_ids_unique", "core_matches_external", "datajob_in_recruit", "external_ids_unique"}
)

// scriptResult is the load script's answer: the counts and one row per
// check that ran. The checks named in fail find one row ("7:x"); a failed
// staging check stops the script before the core checks, as the script
// does.
func scriptResult(staged, ins, upd, unch int, fail ...string) fakeResult {
	res := fakeResult{
		fields: []string{"staged", "inserted", "updated", "unchanged", "failed_checks",
			"check_name", "check_layer", "check_failed", "check_example"},
		types: []string{"INTEGER", "INTEGER", "INTEGER", "INTEGER", "BOOLEAN", "STRING", "STRING", "INTEGER", "STRING"},
	}
	failed := false
	add := func(layer string, names []string) {
		for _, n := range names {
			var bad int
			var example any
			if slices.Contains(fail, n) {
				bad, example, failed = 1, "7:x", true
			}
			res.rows = append(res.rows, []any{staged, ins, upd, unch, nil, n, layer, bad, example})
		}
	}
	add("staging", stagedChecks)
	if !failed {
		add("core", coreChecks)
	}
	for _, r := range res.rows {
		r[4] = failed
	}
	return res
}

func TestLoadRecruit(t *testing.T) {
	f := newFakeBQ(t)
	f.loadRows = 2
	f.rows["SELECT n_staged AS staged"] = scriptResult(4, 3, 1, 0)
	w := f.open(t, WithBucket("lake"), WithClock(func() time.Time { return time.Date(2024, 5, 1, 11, 0, 0, 0, time.UTC) }))
	b := warehouse.Batch{Source: source.Saramin, RunID: "2024-05-01T10", Objects: []string{"clean/r1/0.ndjson", "clean/r1/1.ndjson"},
		WindowFrom: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC), WindowTo: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)}
	got, err := w.LoadRecruit(context.Background(), b, anyObject{})
	if err != nil {
		t.Fatalf("LoadRecruit: %v", err)
	}
	if want := (warehouse.Result{Staged: 4, Inserted: 3, Updated: 1}); !sameCounts(got, want) {
		t.Errorf("LoadRecruit = %+v; want %+v", got, want)
	}

	// One load job per object, and the upload of the roles.
	var loads []map[string]any
	for _, l := range f.jobConfigs("load") {
		if _, fromLake := l["sourceUris"]; fromLake {
			loads = append(loads, l)
		}
	}
	if len(loads) != 2 || len(f.jobConfigs("load")) != 3 {
		t.Fatalf("%d load jobs from the lake of %d; want one per object and the roles upload", len(loads), len(f.jobConfigs("load")))
	}
	var uris, dests []string
	for _, l := range loads {
		for _, u := range l["sourceUris"].([]any) {
			uris = append(uris, u.(string))
		}
		dests = append(dests, l["destinationTable"].(map[string]any)["tableId"].(string))
		if l["sourceFormat"] != "NEWLINE_DELIMITED_JSON" {
			t.Errorf("sourceFormat = %v", l["sourceFormat"])
		}
		if l["ignoreUnknownValues"] != true {
			t.Errorf("ignoreUnknownValues = %v", l["ignoreUnknownValues"])
		}
		if l["writeDisposition"] != "WRITE_APPEND" || l["createDisposition"] != "CREATE_NEVER" {
			t.Errorf("dispositions = %v, %v", l["writeDisposition"], l["createDisposition"])
		}
		fields := fieldsOf(l["schema"])
		for _, want := range []string{"id STRING ", "modified_at TIMESTAMP ", "keywords JSON ", "extra JSON ", "experience_code INTEGER "} {
			if !slices.Contains(fields, want) {
				t.Errorf("load schema lacks %q: %v", want, fields)
			}
		}
	}
	slices.Sort(uris)
	if want := []string{"gs://lake/clean/r1/0.ndjson", "gs://lake/clean/r1/1.ndjson"}; !slices.Equal(uris, want) {
		t.Errorf("sourceUris = %v; want %v", uris, want)
	}
	for _, d := range dests {
		if !strings.HasPrefix(d, "load_2024_05_01T10_") {
			t.Errorf("load destination %q: want a per-load table", d)
		}
	}
	// Each per-load table (the objects' and the roles') was created (with
	// an expiration) and dropped.
	var created int
	for _, r := range f.recorded(http.MethodPost, "/datasets/staging/tables") {
		if _, ok := r.Body["expirationTime"]; ok {
			created++
		}
	}
	if created != 3 || len(f.recorded(http.MethodDelete, "")) != 3 {
		t.Errorf("load tables: %d created with expiration, %d deleted; want 3, 3", created, len(f.recorded(http.MethodDelete, "")))
	}

	queries := f.jobConfigs("query")
	if len(queries) != 1 {
		t.Fatalf("%d query jobs; want one script", len(queries))
	}
	q := queries[0]
	sql := q["query"].(string)
	for _, want := range []string{
		"BEGIN TRANSACTION;", "COMMIT TRANSACTION;", "ROLLBACK TRANSACTION;",
		"DELETE FROM `staging.recruit`\nWHERE DATE(loaded_at) = DATE(prev_loaded_at)", // partition filter
		"INSERT INTO `staging.recruit` SELECT * FROM batch",
		"MERGE `external.recruit_table` AS c",
		"ON c.id = s.id\n   AND ((c.posted_at >= merge_lo AND c.posted_at <= merge_hi)", // partition filter
		"WHEN MATCHED AND s.modified_at > c.modified_at THEN UPDATE",
		"QUALIFY ROW_NUMBER() OVER (\n    PARTITION BY id ORDER BY modified_at DESC",
		"DELETE FROM `core.recruit`\nWHERE (posted_date IN UNNEST(dates)",
		"DELETE FROM `core.daily_postings` WHERE date IN UNNEST(dates)",
		"MERGE `staging.recruit_loads`",
		"`proj.staging." + dests[0] + "`",
	} {
		if !strings.Contains(sql, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	if strings.Contains(sql, "{{") {
		t.Errorf("script has an unreplaced placeholder")
	}
	if b, c, m := strings.Index(sql, "BEGIN TRANSACTION"), strings.Index(sql, "COMMIT TRANSACTION"), strings.Index(sql, "MERGE `external"); !(b < m && m < c) {
		t.Errorf("MERGE is not inside the transaction")
	}
	if q["useLegacySql"] != false {
		t.Errorf("useLegacySql = %v", q["useLegacySql"])
	}
	params := map[string]any{}
	for _, p := range q["queryParameters"].([]any) {
		pm := p.(map[string]any)
		params[pm["name"].(string)] = pm["parameterValue"]
	}
	if v := params["run_id"].(map[string]any)["value"]; v != "2024-05-01T10" {
		t.Errorf("@run_id = %v", v)
	}
	var objs []string
	for _, v := range params["objects"].(map[string]any)["arrayValues"].([]any) {
		objs = append(objs, v.(map[string]any)["value"].(string))
	}
	if !slices.Equal(objs, b.Objects) {
		t.Errorf("@objects = %v; want %v", objs, b.Objects)
	}
	for _, name := range []string{"source", "window_from", "window_to", "rows", "loaded_at"} {
		if _, ok := params[name]; !ok {
			t.Errorf("no @%s parameter", name)
		}
	}
}

func TestLoadRecruitErrors(t *testing.T) {
	ctx := context.Background()
	batch := warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"r1/0", "r1/bad"}}

	t.Run("load job error", func(t *testing.T) {
		f := newFakeBQ(t)
		f.fail["gs://lake/r1/bad"] = "Error while reading data, error message: JSON parsing error in row starting at position 0"
		w := f.open(t, WithBucket("lake"))
		_, err := w.LoadRecruit(ctx, batch, anyObject{})
		if err == nil {
			t.Fatal("LoadRecruit succeeded")
		}
		for _, want := range []string{"bigquery.LoadRecruit run r1", "load r1/bad", "JSON parsing error"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
		if n := len(f.jobConfigs("query")); n != 0 {
			t.Errorf("%d query jobs after a failed load; want none", n)
		}
	})

	t.Run("row count", func(t *testing.T) {
		f := newFakeBQ(t)
		f.loadRows = 2
		w := f.open(t, WithBucket("lake"))
		b := batch
		b.Rows = 3
		if _, err := w.LoadRecruit(ctx, b, anyObject{}); !errors.Is(err, warehouse.ErrRowCount) {
			t.Fatalf("error = %v; want ErrRowCount", err)
		}
		if n := len(f.jobConfigs("query")); n != 0 {
			t.Errorf("%d query jobs; want none", n)
		}
	})

	t.Run("invalid rows", func(t *testing.T) {
		f := newFakeBQ(t)
		f.fail["BEGIN TRANSACTION"] = "jobpulse: invalid rows: 1 rows without id or modified_at, first at r1/bad:1 at [80:9]"
		w := f.open(t, WithBucket("lake"))
		_, err := w.LoadRecruit(ctx, batch, anyObject{})
		if !errors.Is(err, warehouse.ErrInvalidRow) {
			t.Fatalf("error = %v; want ErrInvalidRow", err)
		}
	})

	t.Run("script error", func(t *testing.T) {
		f := newFakeBQ(t)
		f.fail["BEGIN TRANSACTION"] = "Transaction is aborted due to concurrent update"
		w := f.open(t, WithBucket("lake"))
		_, err := w.LoadRecruit(ctx, batch, anyObject{})
		if err == nil || !strings.Contains(err.Error(), "load script") || !strings.Contains(err.Error(), "concurrent update") {
			t.Fatalf("error = %v; want the script's error with context", err)
		}
	})

	t.Run("no run id, no bucket", func(t *testing.T) {
		f := newFakeBQ(t)
		if _, err := f.open(t, WithBucket("lake")).LoadRecruit(ctx, warehouse.Batch{}, anyObject{}); err == nil {
			t.Error("no run id: succeeded")
		}
		if _, err := f.open(t).LoadRecruit(ctx, batch, anyObject{}); err == nil {
			t.Error("no bucket: succeeded")
		}
	})
}

func TestEmptyBatchStillRunsScript(t *testing.T) {
	f := newFakeBQ(t)
	f.rows["SELECT n_staged AS staged"] = scriptResult(0, 0, 0, 0)
	w := f.open(t, WithBucket("lake"))
	got, err := w.LoadRecruit(context.Background(), warehouse.Batch{RunID: "r2"}, anyObject{})
	if err != nil || !sameCounts(got, warehouse.Result{}) {
		t.Fatalf("LoadRecruit = %+v, %v", got, err)
	}
	if n := len(f.jobConfigs("load")); n != 0 {
		t.Errorf("%d load jobs; want none", n)
	}
	if n := len(f.jobConfigs("query")); n != 1 {
		t.Errorf("%d query jobs; want the script", n)
	}
}

func TestReads(t *testing.T) {
	f := newFakeBQ(t)
	f.rows["SELECT count(*) AS n"] = fakeResult{fields: []string{"n"}, types: []string{"INTEGER"}, rows: [][]any{{42}}}
	f.rows["SELECT id FROM"] = fakeResult{fields: []string{"id"}, types: []string{"STRING"}, rows: [][]any{{"1"}, {"2"}}}
	w := f.open(t)
	ctx := context.Background()
	if n, err := w.CountRecruit(ctx); err != nil || n != 42 {
		t.Errorf("CountRecruit = %d, %v", n, err)
	}
	if ids, err := w.RecruitIDs(ctx); err != nil || !slices.Equal(ids, []string{"1", "2"}) {
		t.Errorf("RecruitIDs = %v, %v", ids, err)
	}
	if _, err := w.Recruit(ctx, "nope"); !errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("Recruit(missing) = %v; want ErrNotFound", err)
	}
}

func TestRecruitRow(t *testing.T) {
	f := newFakeBQ(t)
	f.rows["FROM `external.recruit_table`\nWHERE id = @id"] = recruitAnswerRow(map[string]any{"id": "7", "title": "데이터 엔지니어", "active": "true",
		"job_codes": []string{"84"}, "posted_at": "1714557600000000", "modified_at": "1714561200000000",
		"extra": `{"a":1}`, "run_id": "r1", "source_object": "clean/r1/0.ndjson", "null_lists": []string{"location_codes"},
		"first_seen_at": "1714557600000000", "last_seen_at": "1714561200000000"})
	w := f.open(t)
	r, err := w.Recruit(context.Background(), "7")
	if err != nil {
		t.Fatalf("Recruit: %v", err)
	}
	p := r.Posting
	if p.ID != "7" || p.Title != "데이터 엔지니어" || p.Active == nil || !*p.Active || p.RunID != "r1" || r.LoadedFrom != "clean/r1/0.ndjson" {
		t.Errorf("Recruit = %+v", r)
	}
	if p.Keywords == nil || len(p.Keywords) != 0 || p.LocationCodes != nil || !slices.Equal(p.JobCodes, []string{"84"}) {
		t.Errorf("lists: keywords %#v, location_codes %#v (null), job_codes %#v", p.Keywords, p.LocationCodes, p.JobCodes)
	}
	if !p.PostedAt.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) || p.ExpiresAt != nil || string(p.Extra) != `{"a":1}` {
		t.Errorf("posted %v expires %v extra %s", p.PostedAt, p.ExpiresAt, p.Extra)
	}
	if !r.LastSeenAt.Equal(time.Date(2024, 5, 1, 11, 0, 0, 0, time.UTC)) || p.ExperienceCode != nil || p.Title != "데이터 엔지니어" {
		t.Errorf("last seen %v, experience code %v (NULL), title %q", r.LastSeenAt, p.ExperienceCode, p.Title)
	}
}

// TestTypedReads: an answer that lacks a column, holds another type or
// NULL where a value is needed is an error naming it, never a zero; a
// check whose count is NULL fails rather than passing.
func TestTypedReads(t *testing.T) {
	ctx := context.Background()
	checks := func(types []string, rows ...[]any) fakeResult {
		return fakeResult{fields: []string{"name", "failed", "example"}, types: types, rows: rows}
	}
	good := []string{"STRING", "INTEGER", "STRING"}
	tests := []struct {
		name string
		set  func(f *fakeBQ)
		run  func(w *Warehouse) error
		want string
	}{
		{"a check's count NULL", func(f *fakeBQ) { f.rows["'freshness'"] = checks(good, []any{"freshness", nil, nil}) },
			func(w *Warehouse) error { _, err := w.CheckAll(ctx, clock, time.Hour); return err }, "NULL cannot be assigned to field `Failed`"},
		{"a check's count a STRING", func(f *fakeBQ) {
			f.rows["'freshness'"] = checks([]string{"STRING", "STRING", "STRING"}, []any{"freshness", "0", nil})
		}, func(w *Warehouse) error { _, err := w.CheckAll(ctx, clock, time.Hour); return err }, "failed"},
		{"a check without its count", func(f *fakeBQ) {
			f.rows["'freshness'"] = fakeResult{fields: []string{"name", "example"}, types: []string{"STRING", "STRING"}, rows: [][]any{{"freshness", nil}}}
		}, func(w *Warehouse) error { _, err := w.CheckAll(ctx, clock, time.Hour); return err }, "the answer has no column failed"},
		{"the count a STRING", func(f *fakeBQ) {
			f.rows["count(*)"] = fakeResult{fields: []string{"n"}, types: []string{"STRING"}, rows: [][]any{{"12"}}}
		}, func(w *Warehouse) error { _, err := w.CountRecruit(ctx); return err }, "n"},
		{"a load script's check count NULL", func(f *fakeBQ) {
			res := scriptResult(2, 2, 0, 0)
			res.rows[0][7] = nil
			f.rows["SELECT n_staged AS staged"] = res
		}, func(w *Warehouse) error {
			_, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"o"}}, anyObject{})
			return err
		},
			"check_failed is NULL"},
		{"a load that went through without its counts", func(f *fakeBQ) {
			res := scriptResult(2, 2, 0, 0)
			for _, r := range res.rows {
				r[1] = nil
			}
			f.rows["SELECT n_staged AS staged"] = res
		}, func(w *Warehouse) error {
			_, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"o"}}, anyObject{})
			return err
		},
			"inserted is NULL in a load that went through"},
		{"a meta version without its hash", func(f *fakeBQ) {
			f.rows["FROM `meta.versions`"] = fakeResult{fields: []string{"table_name", "rows", "loaded_at"}, types: []string{"STRING", "INTEGER", "TIMESTAMP"},
				rows: [][]any{{"location", 3, "1714557600000000"}}}
		}, func(w *Warehouse) error { return w.RefreshMeta(ctx) }, "the answer has no column hash"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeBQ(t)
			f.loadRows = 2
			tc.set(f)
			err := tc.run(f.open(t, WithBucket("lake")))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want one saying %q", err, tc.want)
			}
		})
	}
}

// recruitAnswerRow is select_recruit.sql's answer: every column, typed as
// the table has it, with the values given and the rest NULL (lists
// empty).
func recruitAnswerRow(values map[string]any) fakeResult {
	var res fakeResult
	var row []any
	for _, f := range selectRecruitColumns() {
		res.fields = append(res.fields, f.Name)
		typ := standardType(string(f.Type))
		switch typ {
		case "INT64":
			typ = "INTEGER"
		case "BOOL":
			typ = "BOOLEAN"
		case "JSON":
			typ = "STRING" // TO_JSON_STRING(extra)
		}
		v, ok := values[f.Name]
		if f.Repeated {
			typ += "[]"
			if !ok {
				v = []string{}
			}
		}
		res.types = append(res.types, typ)
		row = append(row, v)
	}
	res.rows = [][]any{row}
	return res
}

// selectRecruitColumns are the columns select_recruit.sql reads, as
// external.recruit_table holds them.
func selectRecruitColumns() bq.Schema {
	var ext bq.Schema
	for _, spec := range tables() {
		if spec.dataset == "external" && spec.name == "recruit_table" {
			ext = spec.schema
		}
	}
	var out bq.Schema
	for _, f := range ext {
		if f.Name != "is_open" && f.Name != "closed_at" {
			out = append(out, f)
		}
	}
	return out
}

func TestRecordRuns(t *testing.T) {
	f := newFakeBQ(t)
	w := f.open(t)
	start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	runs := []ops.Run{
		{Job: "loader", Execution: "e1", RunID: "r1", Status: ops.StatusSucceeded, StartedAt: start, DurationMS: 5},
		{Job: "extractor", Execution: "e2", Status: ops.StatusFailed, Error: "boom", StartedAt: start.Add(time.Hour)},
	}
	if err := w.RecordRuns(context.Background(), runs); err != nil {
		t.Fatalf("RecordRuns: %v", err)
	}
	qs := f.jobConfigs("query")
	if len(qs) != 1 {
		t.Fatalf("%d query jobs; want 1", len(qs))
	}
	sql := qs[0]["query"].(string)
	for _, want := range []string{"MERGE `ops.runs`", "ON t.job = s.job AND t.execution = s.execution", "t.started_at BETWEEN"} {
		if !strings.Contains(sql, want) {
			t.Errorf("SQL lacks %q", want)
		}
	}
	var runsParam string
	for _, p := range qs[0]["queryParameters"].([]any) {
		pm := p.(map[string]any)
		if pm["name"] == "runs" {
			runsParam = pm["parameterValue"].(map[string]any)["value"].(string)
		}
	}
	if !strings.Contains(runsParam, `"execution":"e2"`) || !strings.Contains(runsParam, `"error":"boom"`) {
		t.Errorf("@runs = %s", runsParam)
	}
	if err := w.RecordRuns(context.Background(), nil); err != nil || len(f.jobConfigs("query")) != 1 {
		t.Errorf("RecordRuns(nil) = %v, sent a job anyway", err)
	}
}

// sameCounts compares results' counts (Result may carry more than counts).
func sameCounts(a, b warehouse.Result) bool {
	return a.Staged == b.Staged && a.Inserted == b.Inserted && a.Updated == b.Updated && a.Unchanged == b.Unchanged
}
