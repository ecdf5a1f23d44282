package duckdb_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// A batch that fails a check changes nothing, and says which check failed;
// the next good batch loads.
func TestChecksStopBadBatches(t *testing.T) {
	t.Parallel()
	base := warehousetest.Base
	window := warehouse.Batch{Source: source.Saramin, WindowFrom: base.Add(-time.Hour), WindowTo: base.Add(time.Hour)}
	tests := []struct {
		name   string
		check  string
		break_ func(p *saramin.Posting)
	}{
		{"unknown region", "location_known", func(p *saramin.Posting) { p.LocationCodes = []string{"101010", "999999"} }},
		{"unknown industry", "industry_known", func(p *saramin.Posting) { p.IndustryCode = "9999" }},
		{"unknown experience", "experience_known", func(p *saramin.Posting) { c := int64(7); p.ExperienceCode = &c }},
		{"unknown education", "education_known", func(p *saramin.Posting) { p.EducationCode = "77" }},
		{"unknown job type", "job_type_known", func(p *saramin.Posting) { p.JobTypeCodes = []string{"1", "404"} }},
		{"posted in the future", "time_not_future", func(p *saramin.Posting) { p.PostedAt = base.Add(48 * time.Hour) }},
		{"expires before posting", "expiry_after_posting", func(p *saramin.Posting) { e := p.PostedAt.Add(-time.Hour); p.ExpiresAt = &e }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := ensured(t)
			good := warehousetest.Posting("1", "데이터 엔지니어", base, "r1")
			bad := warehousetest.Posting("2", "데이터 분석가", base, "r2")
			tt.break_(&bad)
			lake := warehousetest.Lake{
				"bad.ndjson":  warehousetest.NDJSON(good, bad),
				"good.ndjson": warehousetest.NDJSON(good),
			}
			b := window
			b.RunID, b.Objects = "r-bad", []string{"bad.ndjson"}
			_, err := w.LoadRecruit(ctx, b, lake)
			var cerr *warehouse.CheckError
			if !errors.As(err, &cerr) || !errors.Is(err, warehouse.ErrCheckFailed) {
				t.Fatalf("err = %v, want a CheckError", err)
			}
			failed := map[string]bool{}
			for _, c := range cerr.Checks {
				if !c.Passed() {
					failed[c.Name] = true
				}
			}
			if len(failed) != 1 || !failed[tt.check] {
				t.Fatalf("failed checks %v, want only %s", failed, tt.check)
			}
			if n, _ := w.CountRecruit(ctx); n != 0 {
				t.Fatalf("a stopped batch left %d rows", n)
			}
			if got := queryInt(t, w, `SELECT count(*) FROM staging.recruit`); got != 0 {
				t.Fatalf("a stopped batch left %d staged rows", got)
			}
			b.RunID, b.Objects = "r-good", []string{"good.ndjson"}
			res, err := w.LoadRecruit(ctx, b, lake)
			if err != nil || res.Inserted != 1 {
				t.Fatalf("good batch after a bad one: %+v %v", res, err)
			}
			if p, f := warehouse.Counts(res.Checks); f != 0 || p < 10 {
				t.Fatalf("good batch checks: %d passed, %d failed", p, f)
			}
		})
	}
}

func TestCheckAll(t *testing.T) {
	t.Parallel()
	w := ensured(t)
	base := warehousetest.Base
	lake := warehousetest.Lake{"a.ndjson": warehousetest.NDJSON(warehousetest.Posting("1", "데이터 엔지니어", base, "r1"))}
	_, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"a.ndjson"}, WindowTo: base.Add(time.Hour)}, lake)
	if err != nil {
		t.Fatal(err)
	}
	failed := func(now time.Time) map[string]bool {
		checks, err := w.CheckAll(ctx, now, 3*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, c := range checks {
			if !c.Passed() {
				out[c.Name] = true
			}
		}
		return out
	}
	if f := failed(time.Now()); len(f) != 0 {
		t.Fatalf("fresh warehouse failed %v", f)
	}
	if f := failed(time.Now().Add(4 * time.Hour)); len(f) != 1 || !f["freshness"] {
		t.Fatalf("stale warehouse: failed %v, want freshness", f)
	}
	if _, err := w.DB().ExecContext(ctx, `DELETE FROM core.recruit`); err != nil {
		t.Fatal(err)
	}
	if f := failed(time.Now()); !f["core_matches_external"] {
		t.Fatalf("core emptied: failed %v", f)
	}
}

// A database file left by an older layout is named as such, with what to do.
func TestEnsureNamesAnOldLayout(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	w, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB().ExecContext(ctx, `CREATE SCHEMA core; CREATE TABLE core.recruit (id VARCHAR PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	err = w.Ensure(ctx)
	w.Close()
	if err == nil || !strings.Contains(err.Error(), "older version") || !strings.Contains(err.Error(), "delete it") {
		t.Fatalf("Ensure on an old layout: %v", err)
	}
}
