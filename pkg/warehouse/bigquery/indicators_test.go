package bigquery

import (
	"context"
	"errors"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	bq "cloud.google.com/go/bigquery"

	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

func TestIndicatorSchemasMatchDuckDB(t *testing.T) {
	specs := map[string]tableSpec{}
	for _, s := range tables() {
		specs[s.dataset+"."+s.name] = s
	}
	for _, table := range []string{"staging.google_trend", "external.google_trend", "core.google_trend",
		"external.certification", "core.certification", "staging.indicator_loads"} {
		spec, ok := specs[table]
		if !ok {
			t.Errorf("%s: not in tables()", table)
			continue
		}
		got := map[string]string{}
		var order []string
		for _, f := range spec.schema {
			typ := string(f.Type)
			if f.Repeated {
				typ += " REPEATED"
			}
			got[f.Name] = typ
			order = append(order, f.Name)
		}
		duck := duckColumnsIn(t, "schema_indicators.sql", table)
		for col, dt := range duck {
			want, ok := bqType[dt]
			if !ok {
				t.Errorf("%s.%s: unmapped DuckDB type %s", table, col, dt)
				continue
			}
			if got[col] != want {
				t.Errorf("%s.%s: BigQuery %q; want %q (DuckDB %s)", table, col, got[col], want, dt)
			}
		}
		if len(got) != len(duck) {
			t.Errorf("%s: %d columns %v; DuckDB has %d", table, len(got), order, len(duck))
		}
	}

	// Each load schema reads every column the staging step reads from the
	// file (all but the ones the load adds), nothing REQUIRED (a missing key
	// must reach the checks, not fail the load job).
	load := func(name string, schema []string, staged map[string]string, skip ...string) {
		t.Helper()
		have := map[string]string{}
		for _, f := range schema {
			fs := strings.Fields(f)
			if len(fs) == 3 {
				t.Errorf("%s: %s is %s", name, fs[0], fs[2])
			}
			have[fs[0]] = fs[1]
		}
		for col, dt := range staged {
			if slices.Contains(skip, col) {
				continue
			}
			if col == "raw_object" {
				col = "source_object" // the row's key
			}
			if have[col] != bqType[dt] {
				t.Errorf("%s %s = %q; want %q", name, col, have[col], bqType[dt])
			}
		}
		if _, ok := have["run_id"]; ok {
			t.Errorf("%s reads the file's run_id; the batch's wins", name)
		}
	}
	load("trend load schema", schemaFields(trendLoadSchema), duckColumnsIn(t, "schema_indicators.sql", "staging.google_trend"),
		"run_id", "source_object", "source_line", "loaded_at")
	load("certification load schema", schemaFields(certLoadSchema), duckColumnsIn(t, "schema_indicators.sql", "external.certification"),
		"run_id", "as_of", "loaded_at")
}

// schemaFields lists "name TYPE [MODE]" as fieldsOf does for a recorded one.
func schemaFields(s bq.Schema) []string {
	var out []string
	for _, f := range s {
		x := f.Name + " " + string(f.Type)
		if f.Required {
			x += " REQUIRED"
		}
		out = append(out, x)
	}
	return out
}

var clock = time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)

func trendBatch() warehouse.Batch {
	return warehouse.Batch{Source: source.Trends, RunID: "2026-11-25T03", Objects: []string{"clean/trends/a.ndjson", "clean/trends/b.ndjson"},
		WindowFrom: clock.Add(-time.Hour), WindowTo: clock}
}

// countsResult is a trend script's answer.
func countsResult(staged, ins, upd, unch int) fakeResult {
	return fakeResult{fields: []string{"staged", "inserted", "updated", "unchanged"},
		types: []string{"INTEGER", "INTEGER", "INTEGER", "INTEGER"}, rows: [][]any{{staged, ins, upd, unch}}}
}

// checkLoadJobs asserts one load job per object from gs://lake/<object>
// into a per-load table named prefix..., each created with the schema and a
// 24 h expiration and dropped, and returns the load tables' names.
func checkLoadJobs(t *testing.T, f *fakeBQ, b warehouse.Batch, prefix string, wantFields []string) []string {
	t.Helper()
	loads := f.jobConfigs("load")
	if len(loads) != len(b.Objects) {
		t.Fatalf("%d load jobs; want one per object", len(loads))
	}
	var uris, dests []string
	for _, l := range loads {
		for _, u := range l["sourceUris"].([]any) {
			uris = append(uris, u.(string))
		}
		dests = append(dests, l["destinationTable"].(map[string]any)["tableId"].(string))
		if l["sourceFormat"] != "NEWLINE_DELIMITED_JSON" || l["ignoreUnknownValues"] != true {
			t.Errorf("sourceFormat %v, ignoreUnknownValues %v", l["sourceFormat"], l["ignoreUnknownValues"])
		}
		if l["writeDisposition"] != "WRITE_APPEND" || l["createDisposition"] != "CREATE_NEVER" {
			t.Errorf("dispositions = %v, %v", l["writeDisposition"], l["createDisposition"])
		}
		if _, ok := l["maxBadRecords"]; ok && l["maxBadRecords"] != float64(0) {
			t.Errorf("maxBadRecords = %v", l["maxBadRecords"])
		}
		fields := fieldsOf(l["schema"])
		for _, want := range wantFields {
			if !slices.Contains(fields, want) {
				t.Errorf("load schema lacks %q: %v", want, fields)
			}
		}
	}
	var want []string
	for _, o := range b.Objects {
		want = append(want, "gs://lake/"+o)
	}
	slices.Sort(uris)
	if !slices.Equal(uris, want) {
		t.Errorf("sourceUris = %v; want %v", uris, want)
	}
	for _, d := range dests {
		if !strings.HasPrefix(d, prefix) {
			t.Errorf("load destination %q: want a per-load table %s...", d, prefix)
		}
	}
	expires := strconv.FormatInt(clock.Add(24*time.Hour).UnixMilli(), 10)
	var created []string
	for _, r := range f.recorded(http.MethodPost, "/datasets/staging/tables") {
		id := r.Body["tableReference"].(map[string]any)["tableId"].(string)
		if r.Body["expirationTime"] != expires {
			t.Errorf("load table %s expires %v; want %s (24 h)", id, r.Body["expirationTime"], expires)
		}
		if len(fieldsOf(r.Body["schema"])) == 0 {
			t.Errorf("load table %s: no schema", id)
		}
		created = append(created, id)
	}
	slices.Sort(created)
	slices.Sort(dests)
	if len(b.Objects) > 0 && !slices.Equal(created, dests) {
		t.Errorf("load tables created %v; loaded %v", created, dests)
	}
	if n := len(f.recorded(http.MethodDelete, "")); n != len(created) {
		t.Errorf("%d load tables deleted; want %d", n, len(created))
	}
	return dests
}

// scriptOf returns the only query job's SQL and parameters.
func scriptOf(t *testing.T, f *fakeBQ) (string, map[string]any) {
	t.Helper()
	qs := f.jobConfigs("query")
	if len(qs) != 1 {
		t.Fatalf("%d query jobs; want one script", len(qs))
	}
	params := map[string]any{}
	for _, p := range qs[0]["queryParameters"].([]any) {
		pm := p.(map[string]any)
		params[pm["name"].(string)] = pm["parameterValue"]
	}
	sql := qs[0]["query"].(string)
	if strings.Contains(sql, "{{") {
		t.Errorf("script has an unreplaced placeholder")
	}
	return sql, params
}

// inOrder asserts sql holds each of steps, in that order.
func inOrder(t *testing.T, sql string, steps ...string) {
	t.Helper()
	last, lastStep := -1, ""
	for _, s := range steps {
		i := strings.Index(sql, s)
		switch {
		case i < 0:
			t.Errorf("script lacks %q", s)
		case i < last:
			t.Errorf("script: %q comes before %q", s, lastStep)
		default:
			last, lastStep = i, s
		}
	}
}

// batchHash is both warehouses' staging.indicator_loads key for objects.
func batchHash(objects []string) string { return warehouse.BatchKey(objects) }

func paramValue(t *testing.T, params map[string]any, name string) any {
	t.Helper()
	p, ok := params[name].(map[string]any)
	if !ok {
		t.Errorf("no @%s parameter", name)
		return nil
	}
	if vs, ok := p["arrayValues"].([]any); ok {
		var out []string
		for _, v := range vs {
			out = append(out, v.(map[string]any)["value"].(string))
		}
		return out
	}
	return p["value"]
}

func TestLoadTrends(t *testing.T) {
	f := newFakeBQ(t)
	f.loadRows = 2
	f.rows["MERGE `external.google_trend`"] = countsResult(4, 3, 1, 0)
	w := f.open(t, WithBucket("lake"), WithClock(func() time.Time { return clock }))
	b := trendBatch()
	got, err := w.LoadTrends(context.Background(), b, nil)
	if err != nil {
		t.Fatalf("LoadTrends: %v", err)
	}
	if want := (warehouse.Result{Staged: 4, Inserted: 3, Updated: 1}); !sameCounts(got, want) || got.Checks != nil {
		t.Errorf("LoadTrends = %+v; want %+v", got, want)
	}
	dests := checkLoadJobs(t, f, b, "load_trend_2026_11_25T03_", []string{
		"keyword STRING ", "period DATE ", "interest INTEGER ", "interest_scaled FLOAT ", "fetched_at TIMESTAMP ",
		"window_to DATE ", "request_id STRING ", "source_object STRING "})

	sql, params := scriptOf(t, f)
	inOrder(t, sql,
		"BEGIN TRANSACTION;",
		// Staging: the objects' earlier rows go, by partition and object.
		"FROM `staging.indicator_loads` AS l, UNNEST(l.objects) AS o\n    WHERE o IN UNNEST(@objects)",
		"DELETE FROM `staging.google_trend`\nWHERE DATE(loaded_at) BETWEEN DATE(prev_from) AND DATE(prev_to)",
		"AND source_object IN UNNEST(@objects)",
		"`proj.staging."+dests[0]+"`",
		"@objects[OFFSET(l.object_index)] AS source_object",
		"INSERT INTO `staging.google_trend`",
		"WHERE keyword IS NULL OR period IS NULL OR request_id IS NULL",
		"RAISE USING MESSAGE = FORMAT('jobpulse: invalid rows",
		// external: one row per request, keyword and period.
		"PARTITION BY request_id, keyword, period ORDER BY fetched_at DESC",
		"MERGE `external.google_trend` AS e",
		"ON e.request_id = b.request_id AND e.keyword = b.keyword AND e.period = b.period\n   AND ((e.window_to >= merge_lo AND e.window_to <= merge_hi)",
		"WHEN MATCHED AND (\n    b.interest IS DISTINCT FROM e.interest",
		"WHEN NOT MATCHED THEN INSERT",
		// core: rebuilt for the touched keywords, newest window first.
		"DELETE FROM `core.google_trend` WHERE keyword IN UNNEST(touched_keywords)",
		"INSERT INTO `core.google_trend`",
		"PARTITION BY keyword, period ORDER BY window_to DESC, fetched_at DESC, request_id) = 1",
		"MERGE `staging.indicator_loads` AS t",
		"COMMIT TRANSACTION;",
		"EXCEPTION WHEN ERROR THEN\n    ROLLBACK TRANSACTION;",
		"SELECT n_staged AS staged, n_inserted AS inserted, n_updated AS updated, n_unchanged AS unchanged",
	)
	if !strings.Contains(sql, "`proj.staging."+dests[1]+"`") {
		t.Errorf("script does not read load table %s", dests[1])
	}
	if v := paramValue(t, params, "run_id"); v != b.RunID {
		t.Errorf("@run_id = %v", v)
	}
	if v := paramValue(t, params, "objects"); !slices.Equal(v.([]string), b.Objects) {
		t.Errorf("@objects = %v; want %v", v, b.Objects)
	}
	if v := paramValue(t, params, "batch"); v != batchHash(b.Objects) {
		t.Errorf("@batch = %v; want %s", v, batchHash(b.Objects))
	}
	if v := paramValue(t, params, "loaded_at"); !strings.HasPrefix(v.(string), "2026-11-25 03:00:00") {
		t.Errorf("@loaded_at = %v", v)
	}
	for _, name := range []string{"source", "window_from", "window_to"} {
		paramValue(t, params, name)
	}
	if _, ok := params["as_of"]; ok {
		t.Error("the trend script got @as_of")
	}
}

func TestLoadTrendsErrors(t *testing.T) {
	ctx := context.Background()
	b := trendBatch()

	t.Run("load job error", func(t *testing.T) {
		f := newFakeBQ(t)
		f.fail["gs://lake/clean/trends/b.ndjson"] = "Error while reading data, error message: JSON parsing error in row starting at position 0"
		w := f.open(t, WithBucket("lake"))
		_, err := w.LoadTrends(ctx, b, nil)
		for _, want := range []string{"bigquery.LoadTrends run 2026-11-25T03", "load clean/trends/b.ndjson", "JSON parsing error"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v lacks %q", err, want)
			}
		}
		if n := len(f.jobConfigs("query")); n != 0 {
			t.Errorf("%d query jobs after a failed load; want none", n)
		}
		if n := len(f.recorded(http.MethodDelete, "")); n != 2 {
			t.Errorf("%d load tables dropped; want 2", n)
		}
	})

	t.Run("row count", func(t *testing.T) {
		f := newFakeBQ(t)
		f.loadRows = 2
		w := f.open(t, WithBucket("lake"))
		b := b
		b.Rows = 3
		if _, err := w.LoadTrends(ctx, b, nil); !errors.Is(err, warehouse.ErrRowCount) {
			t.Fatalf("error = %v; want ErrRowCount", err)
		}
		if n := len(f.jobConfigs("query")); n != 0 {
			t.Errorf("%d query jobs; want none", n)
		}
	})

	t.Run("row count matches", func(t *testing.T) {
		f := newFakeBQ(t)
		f.loadRows = 2
		f.rows["MERGE `external.google_trend`"] = countsResult(4, 0, 0, 4)
		b := b
		b.Rows = 4
		if got, err := f.open(t, WithBucket("lake")).LoadTrends(ctx, b, nil); err != nil || got.Unchanged != 4 {
			t.Fatalf("LoadTrends = %+v, %v", got, err)
		}
	})

	t.Run("invalid rows", func(t *testing.T) {
		f := newFakeBQ(t)
		f.fail["BEGIN TRANSACTION"] = "jobpulse: invalid rows: 1 trend rows without keyword, period or request id, first at clean/trends/b.ndjson:1 at [60:9]"
		_, err := f.open(t, WithBucket("lake")).LoadTrends(ctx, b, nil)
		if !errors.Is(err, warehouse.ErrInvalidRow) {
			t.Fatalf("error = %v; want ErrInvalidRow", err)
		}
	})

	t.Run("script error", func(t *testing.T) {
		f := newFakeBQ(t)
		f.fail["BEGIN TRANSACTION"] = "Transaction is aborted due to concurrent update"
		_, err := f.open(t, WithBucket("lake")).LoadTrends(ctx, b, nil)
		if err == nil || !strings.Contains(err.Error(), "trend script") || !strings.Contains(err.Error(), "concurrent update") ||
			errors.Is(err, warehouse.ErrInvalidRow) {
			t.Fatalf("error = %v; want the script's error with context", err)
		}
	})

	t.Run("script staged differently", func(t *testing.T) {
		f := newFakeBQ(t)
		f.loadRows = 2
		f.rows["MERGE `external.google_trend`"] = countsResult(3, 3, 0, 0)
		if _, err := f.open(t, WithBucket("lake")).LoadTrends(ctx, b, nil); err == nil || !strings.Contains(err.Error(), "staged 3 rows, load jobs 4") {
			t.Fatalf("error = %v; want the mismatch", err)
		}
	})

	t.Run("no run id, no bucket", func(t *testing.T) {
		f := newFakeBQ(t)
		if _, err := f.open(t, WithBucket("lake")).LoadTrends(ctx, warehouse.Batch{}, nil); err == nil {
			t.Error("no run id: succeeded")
		}
		if _, err := f.open(t).LoadTrends(ctx, b, nil); err == nil {
			t.Error("no bucket: succeeded")
		}
		if n := len(f.requests); n != 0 {
			t.Errorf("%d requests; want none", n)
		}
	})
}

func TestEmptyTrendBatchStillRunsScript(t *testing.T) {
	f := newFakeBQ(t)
	f.rows["MERGE `external.google_trend`"] = countsResult(0, 0, 0, 0)
	w := f.open(t, WithBucket("lake"))
	got, err := w.LoadTrends(context.Background(), warehouse.Batch{Source: source.Trends, RunID: "r2"}, nil)
	if err != nil || !sameCounts(got, warehouse.Result{}) {
		t.Fatalf("LoadTrends = %+v, %v", got, err)
	}
	if n := len(f.jobConfigs("load")); n != 0 {
		t.Errorf("%d load jobs; want none", n)
	}
	sql, _ := scriptOf(t, f)
	if !strings.Contains(sql, "SELECT 0 AS object_index, t.* FROM `proj.staging.load_trend_r2_") {
		t.Error("the script does not read the (empty) load table")
	}
}

// certResult is a certification script's answer: the counts, stale, and
// (unless stale) one row per check; the checks named in fail find one row.
func certResult(staged, ins, upd, unch int, stale bool, fail ...string) fakeResult {
	res := fakeResult{
		fields: []string{"staged", "inserted", "updated", "unchanged", "stale", "failed_checks",
			"check_name", "check_layer", "check_failed", "check_example"},
		types: []string{"INTEGER", "INTEGER", "INTEGER", "INTEGER", "BOOLEAN", "BOOLEAN", "STRING", "STRING", "INTEGER", "STRING"},
	}
	if stale {
		res.rows = [][]any{{staged, 0, 0, staged, true, false, nil, nil, nil, nil}}
		return res
	}
	failed := len(fail) > 0
	for _, n := range certChecks {
		bad, example := 0, any(nil)
		if slices.Contains(fail, n) {
			bad, example = 1, "ADsP 필기 2025"
		}
		res.rows = append(res.rows, []any{staged, ins, upd, unch, false, failed, n, "external", bad, example})
	}
	return res
}

// certChecks are DuckDB's certification checks, in its file's order.
var certChecks = []string{"certification_key_present", "certification_key_unique", "certification_counts_ordered"}

func TestCertificationChecksMatchDuckDB(t *testing.T) {
	re := regexp.MustCompile(`'(certification_[a-z_]+)'`)
	names := func(path string) []string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
		return out
	}
	if duck, bq := names("../duckdb/sql/check_certification.sql"), names("sql/check_certification.sql"); !slices.Equal(duck, certChecks) || !slices.Equal(bq, certChecks) {
		t.Errorf("checks: DuckDB %v, BigQuery %v; want %v", duck, bq, certChecks)
	}
}

func certBatch() warehouse.Batch {
	return warehouse.Batch{Source: source.Cert, RunID: "2026-11-25T03", Objects: []string{"clean/cert/a.ndjson", "clean/cert/b.ndjson"},
		WindowTo: clock.Add(-time.Hour)}
}

func TestReplaceCertifications(t *testing.T) {
	f := newFakeBQ(t)
	f.loadRows = 2
	f.rows["MERGE `staging.indicator_loads`"] = certResult(4, 2, 1, 1, false)
	w := f.open(t, WithBucket("lake"), WithClock(func() time.Time { return clock }))
	b := certBatch()
	got, err := w.ReplaceCertifications(context.Background(), b, nil)
	if err != nil {
		t.Fatalf("ReplaceCertifications: %v", err)
	}
	if want := (warehouse.Result{Staged: 4, Inserted: 2, Updated: 1, Unchanged: 1}); !sameCounts(got, want) {
		t.Errorf("ReplaceCertifications = %+v; want %+v", got, want)
	}
	var names []string
	for _, c := range got.Checks {
		names = append(names, c.Name)
		if c.Layer != "external" || !c.Passed() {
			t.Errorf("check %+v; want passed, layer external", c)
		}
	}
	if !slices.Equal(names, certChecks) {
		t.Errorf("checks %v; want %v", names, certChecks)
	}
	checkLoadJobs(t, f, b, "load_cert_2026_11_25T03_", []string{
		"exam STRING ", "stage STRING ", "year INTEGER ", "round INTEGER ", "applicants INTEGER ", "pass_rate FLOAT ",
		"synthetic BOOLEAN ", "origin STRING "})

	sql, params := scriptOf(t, f)
	inOrder(t, sql,
		"BEGIN TRANSACTION;",
		"CREATE TEMP TABLE batch_cert AS",
		"COALESCE(stage, '') AS stage, year, COALESCE(round, 0) AS round",
		// The as_of guard comes before anything is checked or replaced.
		"SET current_as_of = (SELECT MAX(as_of) FROM `external.certification`);",
		"SET stale = current_as_of IS NOT NULL AND @as_of < current_as_of;",
		"IF stale THEN\n        SET n_unchanged = n_staged;\n    ELSE",
		"SELECT AS STRUCT name, 'external' AS layer, failed, example FROM (",
		"'certification_key_present'", "'certification_key_unique'", "'certification_counts_ordered'",
		") ORDER BY position);",
		"IF NOT checks_failed THEN",
		"LEFT JOIN `external.certification` AS e",
		// The same run again leaves the loaded set, load time included.
		"IF NOT (current_as_of IS NOT NULL AND current_as_of = @as_of",
		// The whole set replaced, external then core.
		"DELETE FROM `external.certification` WHERE TRUE;",
		"INSERT INTO `external.certification`",
		"@run_id, @as_of, @loaded_at",
		"DELETE FROM `core.certification` WHERE TRUE;",
		"CASE WHEN stage = '' THEN '전체' ELSE stage END",
		"NULLIF(applicants, 0)",
		"CASE WHEN examinees > 0 THEN ROUND(100.0 * passers / examinees, 1) END",
		"FROM `external.certification`;",
		"MERGE `staging.indicator_loads` AS t",
		"IF checks_failed THEN",
		"ROLLBACK TRANSACTION;\n    ELSE\n        COMMIT TRANSACTION;",
		"EXCEPTION WHEN ERROR THEN\n    ROLLBACK TRANSACTION;",
		"stale AS stale, checks_failed AS failed_checks",
	)
	if v := paramValue(t, params, "as_of"); !strings.HasPrefix(v.(string), "2026-11-25 02:00:00") {
		t.Errorf("@as_of = %v; want the window end", v)
	}
	if v := paramValue(t, params, "batch"); v != batchHash(b.Objects) {
		t.Errorf("@batch = %v; want %s", v, batchHash(b.Objects))
	}
	for _, name := range []string{"run_id", "source", "objects", "window_from", "window_to", "loaded_at"} {
		paramValue(t, params, name)
	}
}

func TestReplaceCertificationsOlderRun(t *testing.T) {
	f := newFakeBQ(t)
	f.loadRows = 1
	f.rows["MERGE `staging.indicator_loads`"] = certResult(2, 0, 0, 0, true)
	got, err := f.open(t, WithBucket("lake")).ReplaceCertifications(context.Background(), certBatch(), nil)
	if err != nil {
		t.Fatalf("ReplaceCertifications: %v", err)
	}
	if want := (warehouse.Result{Staged: 2, Unchanged: 2}); !sameCounts(got, want) || got.Checks != nil {
		t.Errorf("older run = %+v; want %+v and no checks", got, want)
	}
}

func TestReplaceCertificationsCheckFailed(t *testing.T) {
	f := newFakeBQ(t)
	f.loadRows = 1
	f.rows["MERGE `staging.indicator_loads`"] = certResult(2, 0, 0, 0, false, "certification_counts_ordered")
	_, err := f.open(t, WithBucket("lake")).ReplaceCertifications(context.Background(), certBatch(), nil)
	if !errors.Is(err, warehouse.ErrCheckFailed) {
		t.Fatalf("error = %v; want ErrCheckFailed", err)
	}
	var ce *warehouse.CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is no *CheckError", err)
	}
	if ce.RunID != "2026-11-25T03" || len(ce.Checks) != len(certChecks) {
		t.Errorf("CheckError run %q, %d checks; want %d", ce.RunID, len(ce.Checks), len(certChecks))
	}
	if passed, failed := warehouse.Counts(ce.Checks); passed != 2 || failed != 1 {
		t.Errorf("passed %d, failed %d; want 2, 1", passed, failed)
	}
	if !strings.Contains(err.Error(), "certification_counts_ordered: 1 rows (e.g. ADsP 필기 2025)") {
		t.Errorf("error %q does not name the check", err)
	}
}

func TestReplaceCertificationsErrors(t *testing.T) {
	ctx := context.Background()
	b := certBatch()

	t.Run("missing object", func(t *testing.T) {
		f := newFakeBQ(t)
		f.fail["gs://lake/clean/cert/b.ndjson"] = "Not found: URI gs://lake/clean/cert/b.ndjson"
		_, err := f.open(t, WithBucket("lake")).ReplaceCertifications(ctx, b, nil)
		if err == nil || !strings.Contains(err.Error(), "load clean/cert/b.ndjson") || !strings.Contains(err.Error(), "Not found") {
			t.Fatalf("error = %v; want the failed load", err)
		}
		if n := len(f.jobConfigs("query")); n != 0 {
			t.Errorf("%d query jobs after a failed load; want none", n)
		}
	})

	t.Run("row count", func(t *testing.T) {
		f := newFakeBQ(t)
		f.loadRows = 2
		b := b
		b.Rows = 3
		if _, err := f.open(t, WithBucket("lake")).ReplaceCertifications(ctx, b, nil); !errors.Is(err, warehouse.ErrRowCount) {
			t.Fatalf("error = %v; want ErrRowCount", err)
		}
		if n := len(f.jobConfigs("query")); n != 0 {
			t.Errorf("%d query jobs; want none", n)
		}
	})

	t.Run("script error", func(t *testing.T) {
		f := newFakeBQ(t)
		f.fail["BEGIN TRANSACTION"] = "Query error: Transaction is aborted due to concurrent update"
		_, err := f.open(t, WithBucket("lake")).ReplaceCertifications(ctx, b, nil)
		if err == nil || !strings.Contains(err.Error(), "certification script") || !strings.Contains(err.Error(), "concurrent update") {
			t.Fatalf("error = %v; want the script's error with context", err)
		}
	})

	t.Run("no check ran", func(t *testing.T) {
		f := newFakeBQ(t)
		none := certResult(0, 0, 0, 0, false)
		none.rows = [][]any{{0, 0, 0, 0, false, false, nil, nil, nil, nil}}
		f.rows["MERGE `staging.indicator_loads`"] = none
		if _, err := f.open(t, WithBucket("lake")).ReplaceCertifications(ctx, b, nil); err == nil || !strings.Contains(err.Error(), "no data check ran") {
			t.Fatalf("a script answer without checks: %v; want an error saying no data check ran", err)
		}
	})

	t.Run("no staged count", func(t *testing.T) {
		f := newFakeBQ(t)
		f.rows["MERGE `staging.indicator_loads`"] = fakeResult{fields: []string{"inserted"}, types: []string{"INTEGER"}, rows: [][]any{{1}}}
		if _, err := f.open(t, WithBucket("lake")).ReplaceCertifications(ctx, b, nil); err == nil || !strings.Contains(err.Error(), "column staged") {
			t.Fatalf("a script answer without its staged count: %v; want an error naming the column", err)
		}
	})

	t.Run("no run id, window end or bucket", func(t *testing.T) {
		f := newFakeBQ(t)
		w := f.open(t, WithBucket("lake"))
		if _, err := w.ReplaceCertifications(ctx, warehouse.Batch{WindowTo: clock}, nil); err == nil {
			t.Error("no run id: succeeded")
		}
		if _, err := w.ReplaceCertifications(ctx, warehouse.Batch{RunID: "r"}, nil); err == nil {
			t.Error("no window end: succeeded")
		}
		if _, err := f.open(t).ReplaceCertifications(ctx, b, nil); err == nil {
			t.Error("no bucket: succeeded")
		}
		if n := len(f.requests); n != 0 {
			t.Errorf("%d requests; want none", n)
		}
	})
}
