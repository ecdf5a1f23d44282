package duckdb

import (
	"context"
	"reflect"
	"testing"
	"time"

	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
)

func TestRecordRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, err := Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	t0 := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	first := ops.Run{Job: "extractor", Execution: "e1", RunID: "saramin-1", Source: source.Saramin, WindowFrom: t0.Add(-time.Hour), WindowTo: t0,
		CountOut: 12, Status: ops.StatusFailed, Error: "quota", StartedAt: t0, DurationMS: 1500}
	other := ops.Run{Job: "loader", Execution: "l1", Status: ops.StatusNoData, StartedAt: t0.Add(time.Minute)}
	if err := w.RecordRuns(ctx, []ops.Run{first, other}); err != nil {
		t.Fatal(err)
	}
	// The same execution recorded again replaces its row.
	first.Status, first.Error = ops.StatusSucceeded, ""
	if err := w.RecordRuns(ctx, []ops.Run{first}); err != nil {
		t.Fatal(err)
	}
	got, err := w.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !reflect.DeepEqual(got[0], first) || !reflect.DeepEqual(got[1], other) {
		t.Fatalf("runs:\n%+v\nwant\n%+v\n%+v", got, first, other)
	}
}
