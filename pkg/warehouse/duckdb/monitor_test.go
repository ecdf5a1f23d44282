package duckdb_test

import (
	"testing"
	"time"

	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/warehousetest"
)

func TestMonitor(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	opt, set := clock(t0)
	w := ensured(t, opt)

	got, err := w.LastLoads(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("empty warehouse: LastLoads = %v, %v; want no source", got, err)
	}
	lake, batches := history(t)
	for i, b := range batches {
		set(t0.Add(time.Duration(i) * time.Hour))
		if _, err := w.LoadRecruit(ctx, b, lake); err != nil {
			t.Fatalf("LoadRecruit %s: %v", b.RunID, err)
		}
	}
	lake["trend.ndjson"] = warehousetest.NDJSON(warehousetest.TrendRow("SQL", "2026-11-01", "2021-11-20 2026-11-19", 40, 2))
	set(t0.Add(10 * time.Hour))
	if _, err := w.LoadTrends(ctx, warehouse.Batch{Source: source.Trends, RunID: "t1", Objects: []string{"trend.ndjson"}, Rows: 1}, lake); err != nil {
		t.Fatalf("LoadTrends: %v", err)
	}
	got, err = w.LastLoads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[source.Source]time.Time{source.Saramin: t0.Add(3 * time.Hour), source.Trends: t0.Add(10 * time.Hour)}
	if len(got) != len(want) {
		t.Fatalf("LastLoads = %v; want %v", got, want)
	}
	for src, at := range want {
		if !got[src].Equal(at) {
			t.Errorf("LastLoads[%s] = %v; want %v", src, got[src], at)
		}
	}

	tests := []struct {
		run               string
		closed, dataRoles int
	}{
		// h0 carried 1 (data engineer), 2 (data analyst, expired since),
		// 3 (backend, closed by h2) and 4 (data scientist).
		{"h0", 2, 3},
		{"h2", 1, 0},
		{"unknown-run", 0, 0},
	}
	for _, tc := range tests {
		closed, roles, err := w.RunPostings(ctx, tc.run)
		if err != nil || closed != tc.closed || roles != tc.dataRoles {
			t.Errorf("RunPostings(%s) = %d closed, %d data roles, %v; want %d, %d", tc.run, closed, roles, err, tc.closed, tc.dataRoles)
		}
	}
}
