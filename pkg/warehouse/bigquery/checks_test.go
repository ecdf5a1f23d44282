package bigquery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/saramin/codes"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

var checkBatch = warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"clean/r1/0.ndjson"},
	WindowTo: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)}

func TestLoadScriptRunsChecks(t *testing.T) {
	f := newFakeBQ(t)
	f.loadRows = 2
	f.rows["SELECT n_staged AS staged"] = scriptResult(2, 2, 0, 0)
	w := f.open(t, WithBucket("lake"))
	got, err := w.LoadRecruit(context.Background(), checkBatch, anyObject{})
	if err != nil {
		t.Fatalf("LoadRecruit: %v", err)
	}
	if passed, failed := warehouse.Counts(got.Checks); passed != len(stagedChecks)+len(coreChecks) || failed != 0 {
		t.Errorf("checks passed %d, failed %d: %+v", passed, failed, got.Checks)
	}
	for i, c := range got.Checks {
		want := "staging"
		if i >= len(stagedChecks) {
			want = "core"
		}
		if c.Layer != want {
			t.Errorf("check %s layer %q; want %q", c.Name, c.Layer, want)
		}
	}

	sql := f.jobConfigs("query")[0]["query"].(string)
	pos := func(s string) int {
		t.Helper()
		i := strings.Index(sql, s)
		if i < 0 {
			t.Errorf("script lacks %q", s)
		}
		return i
	}
	for _, name := range append(slices.Clone(stagedChecks), coreChecks...) {
		pos("'" + name + "'")
	}
	// In order: invalid rows, staging checks, merge, core refresh, core
	// checks, record load, commit; a failed check rolls back.
	order := []string{
		"jobpulse: invalid rows",
		"SELECT AS STRUCT name, 'staging' AS layer",
		"FROM `meta.location`",
		"TIMESTAMP_ADD(@window_to, INTERVAL 1 HOUR)",
		"IF NOT checks_failed THEN",
		"MERGE `external.recruit_table` AS c",
		"DELETE FROM `core.daily_postings`",
		"SELECT AS STRUCT name, 'core' AS layer",
		"SELECT x.id FROM `core.datajob` x",
		"IF checks_failed THEN\n        -- ",
		"ROLLBACK TRANSACTION;\n    ELSE",
		"MERGE `staging.recruit_loads`",
		"COMMIT TRANSACTION;",
		"EXCEPTION WHEN ERROR THEN",
		"checks_failed AS failed_checks",
	}
	last := -1
	for _, s := range order {
		if i := pos(s); i >= 0 && i < last {
			t.Errorf("script: %q comes before the step preceding it", s)
		} else {
			last = i
		}
	}
	if strings.Contains(sql, "{{") {
		t.Error("script has an unreplaced placeholder")
	}
}

func TestLoadRecruitCheckFailed(t *testing.T) {
	for _, tc := range []struct {
		fail   string
		checks int
	}{
		{"location_known", len(stagedChecks)},                       // stops before external
		{"datajob_in_recruit", len(stagedChecks) + len(coreChecks)}, // stops after the core refresh
	} {
		t.Run(tc.fail, func(t *testing.T) {
			f := newFakeBQ(t)
			f.loadRows = 2
			f.rows["SELECT n_staged AS staged"] = scriptResult(2, 0, 0, 0, tc.fail)
			w := f.open(t, WithBucket("lake"))
			_, err := w.LoadRecruit(context.Background(), checkBatch, anyObject{})
			if !errors.Is(err, warehouse.ErrCheckFailed) {
				t.Fatalf("error = %v; want ErrCheckFailed", err)
			}
			var ce *warehouse.CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is no *CheckError", err)
			}
			if ce.RunID != "r1" || len(ce.Checks) != tc.checks {
				t.Errorf("CheckError run %q, %d checks; want r1, %d", ce.RunID, len(ce.Checks), tc.checks)
			}
			if _, failed := warehouse.Counts(ce.Checks); failed != 1 {
				t.Errorf("%d failed checks; want 1", failed)
			}
			if !strings.Contains(err.Error(), tc.fail+": 1 rows (e.g. 7:x)") {
				t.Errorf("error %q does not name %s", err, tc.fail)
			}
		})
	}
}

// metaHashes are the hashes RefreshMeta computes for the shipped code tables.
func metaHashes(t *testing.T) map[string]string {
	t.Helper()
	ct, err := codes.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range metaTables(ct) {
		_, h, err := m.ndjson()
		if err != nil {
			t.Fatal(err)
		}
		out[m.name] = h
	}
	return out
}

// versionsResult answers the meta.versions query with hashes.
func versionsResult(hashes map[string]string) fakeResult {
	res := fakeResult{fields: []string{"table_name", "hash", "rows", "loaded_at"},
		types: []string{"STRING", "STRING", "INTEGER", "TIMESTAMP"}}
	for name, h := range hashes {
		res.rows = append(res.rows, []any{name, h, 1, "1714557600000000"})
	}
	return res
}

// metaLoads returns the meta load jobs: table -> (load config, uploaded data).
func metaLoads(f *fakeBQ) map[string]request {
	out := map[string]request{}
	for _, r := range f.recorded("POST", "/jobs") {
		cfg, _ := r.Body["configuration"].(map[string]any)
		l, ok := cfg["load"].(map[string]any)
		if !ok {
			continue
		}
		dst := l["destinationTable"].(map[string]any)
		if dst["datasetId"] == "meta" {
			out[dst["tableId"].(string)] = r
		}
	}
	return out
}

func TestEnsureLoadsMeta(t *testing.T) {
	ctx := context.Background()
	hashes := metaHashes(t)
	wantTables := []string{"close_types", "education", "experiences", "industries", "industry_categories",
		"job_codes", "job_mid", "job_types", "location", "salary", "versions"}

	t.Run("first time", func(t *testing.T) {
		f := newFakeBQ(t)
		w := f.open(t)
		if err := w.Ensure(ctx); err != nil {
			t.Fatalf("Ensure: %v", err)
		}
		loads := metaLoads(f)
		var names []string
		for name, r := range loads {
			names = append(names, name)
			l := r.Body["configuration"].(map[string]any)["load"].(map[string]any)
			if l["writeDisposition"] != "WRITE_TRUNCATE" || l["sourceFormat"] != "NEWLINE_DELIMITED_JSON" {
				t.Errorf("meta.%s: write %v, format %v", name, l["writeDisposition"], l["sourceFormat"])
			}
			if l["sourceUris"] != nil || len(r.Media) == 0 {
				t.Errorf("meta.%s: not loaded from an upload (uris %v, %d bytes)", name, l["sourceUris"], len(r.Media))
			}
			if len(fieldsOf(l["schema"])) == 0 {
				t.Errorf("meta.%s: no schema", name)
			}
			for _, line := range bytes.Split(bytes.TrimSpace(r.Media), []byte("\n")) {
				var row map[string]any
				if err := json.Unmarshal(line, &row); err != nil {
					t.Fatalf("meta.%s: line %q: %v", name, line, err)
				}
				if name == "versions" && row["hash"] != hashes[row["table_name"].(string)] {
					t.Errorf("versions row %v; want hash %s", row, hashes[row["table_name"].(string)])
				}
				if name == "location" && (row["code"] == nil || row["full_name"] == nil) {
					t.Errorf("location row %v", row)
				}
			}
		}
		slices.Sort(names)
		if !slices.Equal(names, wantTables) {
			t.Errorf("meta loads %v; want %v", names, wantTables)
		}
		if n := len(f.jobConfigs("query")); n != 1 {
			t.Errorf("%d query jobs; want the versions query only", n)
		}
	})

	t.Run("unchanged", func(t *testing.T) {
		f := newFakeBQ(t)
		f.rows["FROM `meta.versions`"] = versionsResult(hashes)
		if err := f.open(t).Ensure(ctx); err != nil {
			t.Fatalf("Ensure: %v", err)
		}
		if loads := metaLoads(f); len(loads) != 0 {
			t.Errorf("%d meta load jobs with the same hashes; want none", len(loads))
		}
	})

	t.Run("one changed", func(t *testing.T) {
		f := newFakeBQ(t)
		old := map[string]string{}
		for k, v := range hashes {
			old[k] = v
		}
		old["job_types"] = "stale"
		f.rows["FROM `meta.versions`"] = versionsResult(old)
		if err := f.open(t).Ensure(ctx); err != nil {
			t.Fatalf("Ensure: %v", err)
		}
		var names []string
		for name := range metaLoads(f) {
			names = append(names, name)
		}
		slices.Sort(names)
		if want := []string{"job_types", "versions"}; !slices.Equal(names, want) {
			t.Errorf("meta loads %v; want %v", names, want)
		}
	})
}

func TestCheckAll(t *testing.T) {
	f := newFakeBQ(t)
	typed := func(rows ...[]any) fakeResult {
		return fakeResult{fields: []string{"name", "failed", "example"}, types: []string{"STRING", "INTEGER", "STRING"}, rows: rows}
	}
	f.rows["'freshness'"] = typed([]any{"freshness", 1, "2024-05-01 10:00:00+00"},
		[]any{"external_in_staging", 0, nil}, []any{"external_is_newest", 0, nil})
	f.rows["'core_matches_external'"] = typed([]any{"core_matches_external", 0, nil},
		[]any{"core_ids_unique", 0, nil}, []any{"external_ids_unique", 2, "7"}, []any{"datajob_in_recruit", 0, nil})
	w := f.open(t)
	now := time.Date(2024, 5, 1, 14, 0, 0, 0, time.UTC)
	checks, err := w.CheckAll(context.Background(), now, 3*time.Hour)
	if err != nil {
		t.Fatalf("CheckAll: %v", err)
	}
	var names []string
	for _, c := range checks {
		names = append(names, c.Layer+"/"+c.Name)
	}
	want := []string{"warehouse/freshness", "warehouse/external_in_staging", "warehouse/external_is_newest",
		"core/core_matches_external", "core/core_ids_unique", "core/external_ids_unique", "core/datajob_in_recruit"}
	if !slices.Equal(names, want) {
		t.Errorf("checks %v; want %v", names, want)
	}
	if passed, failed := warehouse.Counts(checks); passed != 5 || failed != 2 {
		t.Errorf("passed %d failed %d; want 5, 2", passed, failed)
	}
	if checks[5].Failed != 2 || checks[5].Example != "7" {
		t.Errorf("external_ids_unique = %+v", checks[5])
	}

	queries := f.jobConfigs("query")
	if len(queries) != 2 {
		t.Fatalf("%d query jobs; want 2", len(queries))
	}
	sql := queries[0]["query"].(string)
	for _, s := range []string{"FROM `staging.recruit_loads`", "WHERE loaded_at >= TIMESTAMP", "@max_age_seconds", "@now"} {
		if !strings.Contains(sql, s) {
			t.Errorf("checks_all lacks %q", s)
		}
	}
	params := map[string]any{}
	for _, p := range queries[0]["queryParameters"].([]any) {
		pm := p.(map[string]any)
		params[pm["name"].(string)] = pm["parameterValue"].(map[string]any)["value"]
	}
	if params["max_age_seconds"] != "10800" || !strings.HasPrefix(params["now"].(string), "2024-05-01 14:00:00") {
		t.Errorf("parameters %v", params)
	}
}

// TestEnsureWithoutDatasetCreation: the loader may use the datasets
// Terraform made but not create any; BigQuery then answers 403 even for a
// dataset that exists, so Ensure looks before it creates.
func TestEnsureWithoutDatasetCreation(t *testing.T) {
	ctx := context.Background()
	f := newFakeBQ(t)
	f.forbidDatasets = true
	for _, ds := range Datasets {
		f.created["datasets/"+ds] = true
	}
	w := f.open(t)
	if err := w.Ensure(ctx); err != nil {
		t.Fatalf("Ensure over existing datasets without the right to create them: %v", err)
	}
	// A dataset that is missing still cannot be made, and the error says so.
	delete(f.created, "datasets/ops")
	err := w.Ensure(ctx)
	if err == nil || !strings.Contains(err.Error(), "dataset ops") || !strings.Contains(err.Error(), "datasets.create") {
		t.Fatalf("Ensure with ops missing: %v; want the 403 naming the dataset", err)
	}
}
