package bigquery

import (
	"context"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/source"
)

// TestMonitor reads the answers of the monitor's queries through the real
// client library, and checks the queries read the tables that hold them.
func TestMonitor(t *testing.T) {
	f := newFakeBQ(t)
	f.rows["The newest load of each source"] = fakeResult{fields: []string{"source", "loaded_at"}, types: []string{"STRING", "TIMESTAMP"},
		rows: [][]any{{"saramin", "1764032400000000"}, {"trends", "1764028800000000"}, {"trends", "1764036000000000"}}}
	f.rows["Of the postings a run carried"] = fakeResult{fields: []string{"closed", "data_roles"}, types: []string{"INTEGER", "INTEGER"}, rows: [][]any{{3, 14}}}
	w := f.open(t)
	ctx := context.Background()
	loads, err := w.LastLoads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[source.Source]time.Time{source.Saramin: time.UnixMicro(1764032400000000).UTC(), source.Trends: time.UnixMicro(1764036000000000).UTC()}
	if len(loads) != 2 || !loads[source.Saramin].Equal(want[source.Saramin]) || !loads[source.Trends].Equal(want[source.Trends]) {
		t.Errorf("LastLoads = %v; want %v (the newest per source)", loads, want)
	}
	closed, roles, err := w.RunPostings(ctx, "saramin-r1")
	if err != nil || closed != 3 || roles != 14 {
		t.Errorf("RunPostings = %d, %d, %v; want 3, 14", closed, roles, err)
	}
	for _, table := range []string{"`staging.recruit_loads`", "`staging.indicator_loads`"} {
		if !strings.Contains(lastLoadsSQL, table) {
			t.Errorf("last_loads.sql does not read %s", table)
		}
	}
	// staging.recruit requires a filter on its partition column.
	if !strings.Contains(runPostingsSQL, "DATE(loaded_at) = DATE(run_loaded_at) AND loaded_at = run_loaded_at") {
		t.Error("run_postings.sql reads staging.recruit without a partition filter")
	}
}
