package warehousetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

// step is one LoadRecruit call and what it must return.
type step struct {
	batch   warehouse.Batch
	want    warehouse.Result
	wantErr error // nil: must succeed; errAny: any error
}

// errAny marks a step that must fail, for any reason.
var errAny = errors.New("any error")

// kept is what core must hold for one id after a case.
type kept struct {
	title, runID string
}

// RunContract runs the behaviour every warehouse.Warehouse must have:
// the postings loads, then the trends and certification loads (read back
// through in). newWarehouse returns an empty warehouse (tables may be
// missing) that the test owns; it should register its own cleanup.
func RunContract(t *testing.T, newWarehouse func(t *testing.T) warehouse.Warehouse, in Inspect) {
	t.Helper()
	ctx := context.Background()
	at := func(h int) time.Time { return Base.Add(time.Duration(h) * time.Hour) }
	p := func(id, title string, h int, run string) saramin.Posting { return Posting(id, title, at(h), run) }
	batch := func(run string, objects ...string) warehouse.Batch {
		return warehouse.Batch{Source: source.Saramin, RunID: run, Objects: objects, WindowFrom: at(-48), WindowTo: at(48)}
	}
	ensure := func(t *testing.T) warehouse.Warehouse {
		t.Helper()
		w := newWarehouse(t)
		if err := w.Ensure(ctx); err != nil {
			t.Fatalf("Ensure: %v", err)
		}
		return w
	}

	t.Run("EnsureTwice", func(t *testing.T) {
		w := newWarehouse(t)
		for i := range 2 {
			if err := w.Ensure(ctx); err != nil {
				t.Fatalf("Ensure #%d: %v", i+1, err)
			}
		}
		if n, err := w.CountRecruit(ctx); err != nil || n != 0 {
			t.Fatalf("CountRecruit = %d, %v; want 0", n, err)
		}
		if ids, err := w.RecruitIDs(ctx); err != nil || len(ids) != 0 {
			t.Fatalf("RecruitIDs = %v, %v; want none", ids, err)
		}
		if _, err := w.Recruit(ctx, "1"); !errors.Is(err, warehouse.ErrNotFound) {
			t.Fatalf("Recruit(missing) error = %v; want ErrNotFound", err)
		}
	})

	tests := []struct {
		name  string
		lake  Lake
		steps []step
		want  map[string]kept // exactly the ids core holds afterwards
	}{
		{
			name: "one batch",
			lake: Lake{"r1/0": NDJSON(p("1", "a", 0, "r1"), p("2", "b", 0, "r1"), p("3", "c", 0, "r1"))},
			steps: []step{
				{batch: batch("r1", "r1/0"), want: warehouse.Result{Staged: 3, Inserted: 3}},
			},
			want: map[string]kept{"1": {"a", "r1"}, "2": {"b", "r1"}, "3": {"c", "r1"}},
		},
		{
			name: "reload the same run",
			lake: Lake{
				"r1/0": NDJSON(p("1", "a", 0, "r1"), p("2", "b", 0, "r1")),
				"r1/1": NDJSON(p("3", "c", 0, "r1")),
			},
			steps: []step{
				{batch: batch("r1", "r1/0", "r1/1"), want: warehouse.Result{Staged: 3, Inserted: 3}},
				{batch: batch("r1", "r1/0", "r1/1"), want: warehouse.Result{Staged: 3, Unchanged: 3}},
				{batch: batch("r1", "r1/0", "r1/1"), want: warehouse.Result{Staged: 3, Unchanged: 3}},
			},
			want: map[string]kept{"1": {"a", "r1"}, "2": {"b", "r1"}, "3": {"c", "r1"}},
		},
		{
			name: "second batch updates some ids and adds others",
			lake: Lake{
				"r1/0": NDJSON(p("1", "a", 0, "r1"), p("2", "b", 0, "r1"), p("3", "c", 0, "r1")),
				"r2/0": NDJSON(p("2", "b2", 1, "r2"), p("3", "c-same-time", 0, "r2"), p("4", "d", 1, "r2")),
			},
			steps: []step{
				{batch: batch("r1", "r1/0"), want: warehouse.Result{Staged: 3, Inserted: 3}},
				{batch: batch("r2", "r2/0"), want: warehouse.Result{Staged: 3, Inserted: 1, Updated: 1, Unchanged: 1}},
			},
			want: map[string]kept{"1": {"a", "r1"}, "2": {"b2", "r2"}, "3": {"c", "r1"}, "4": {"d", "r2"}},
		},
		{
			name: "older version after newer never regresses",
			lake: Lake{
				"r1/0": NDJSON(p("1", "old", 0, "r1"), p("2", "b", 0, "r1")),
				"r2/0": NDJSON(p("1", "new", 2, "r2")),
			},
			steps: []step{
				{batch: batch("r2", "r2/0"), want: warehouse.Result{Staged: 1, Inserted: 1}},
				{batch: batch("r1", "r1/0"), want: warehouse.Result{Staged: 2, Inserted: 1, Unchanged: 1}},
				{batch: batch("r2", "r2/0"), want: warehouse.Result{Staged: 1, Unchanged: 1}},
				{batch: batch("r1", "r1/0"), want: warehouse.Result{Staged: 2, Unchanged: 2}},
			},
			want: map[string]kept{"1": {"new", "r2"}, "2": {"b", "r1"}},
		},
		{
			name: "duplicate ids within one batch keep the newest",
			lake: Lake{
				"r1/0": NDJSON(p("1", "mid", 1, "r1"), p("1", "newest", 3, "r1"), p("1", "oldest", 0, "r1"), p("2", "b-old", 0, "r1")),
				"r1/1": NDJSON(p("2", "b-new", 1, "r1"), p("1", "older", 2, "r1")),
			},
			steps: []step{
				{batch: batch("r1", "r1/0", "r1/1"), want: warehouse.Result{Staged: 6, Inserted: 2}},
			},
			want: map[string]kept{"1": {"newest", "r1"}, "2": {"b-new", "r1"}},
		},
		{
			name: "unknown keys are ignored, missing optional keys are null",
			lake: Lake{"r1/0": Lines(
				`{"id":"drift","title":"t","posted_at":"2024-05-01T08:00:00Z","modified_at":"2024-05-01T10:00:00Z","brand_new_key":{"nested":[1,2]},"another":42,"synthetic":true,"run_id":"r1"}`,
				`{"id":"sparse","title":"s","modified_at":"2024-05-01T10:00:00Z"}`,
			)},
			steps: []step{
				{batch: batch("r1", "r1/0"), want: warehouse.Result{Staged: 2, Inserted: 2}},
			},
			want: map[string]kept{"drift": {"t", "r1"}, "sparse": {"s", "r1"}},
		},
		{
			name: "empty object list",
			lake: Lake{"r1/0": NDJSON(p("1", "a", 0, "r1"))},
			steps: []step{
				{batch: batch("r1", "r1/0"), want: warehouse.Result{Staged: 1, Inserted: 1}},
				{batch: batch("r2"), want: warehouse.Result{}},
			},
			want: map[string]kept{"1": {"a", "r1"}},
		},
		{
			name: "malformed line fails and loads nothing",
			lake: Lake{
				"r1/0": NDJSON(p("1", "a", 0, "r1")),
				"r2/0": NDJSON(p("1", "a2", 1, "r2"), p("2", "b", 1, "r2")),
				"r2/1": Lines(`{"id":"3","title":"c","modified_at":"2024-05-01T11:00:00Z"}`, `{"id":"4","title":`),
			},
			steps: []step{
				{batch: batch("r1", "r1/0"), want: warehouse.Result{Staged: 1, Inserted: 1}},
				{batch: batch("r2", "r2/0", "r2/1"), wantErr: errAny},
				{batch: batch("r2", "r2/1"), wantErr: errAny},
			},
			want: map[string]kept{"1": {"a", "r1"}},
		},
		{
			name: "a line that is not an object fails",
			lake: Lake{"r1/0": Lines(`{"id":"1","title":"a","modified_at":"2024-05-01T10:00:00Z"}`, `["1","a"]`)},
			steps: []step{
				{batch: batch("r1", "r1/0"), wantErr: errAny},
			},
			want: map[string]kept{},
		},
		{
			name: "a value of the wrong type fails",
			lake: Lake{"r1/0": Lines(`{"id":"1","title":"a","modified_at":"yesterday"}`)},
			steps: []step{
				{batch: batch("r1", "r1/0"), wantErr: errAny},
			},
			want: map[string]kept{},
		},
		{
			name: "failed load leaves the run loadable",
			lake: Lake{
				"r1/0":  NDJSON(p("1", "a", 0, "r1")),
				"r1/ok": NDJSON(p("2", "b", 0, "r1")),
			},
			steps: []step{
				{batch: batch("r1", "r1/0", "r1/missing"), wantErr: errAny},
				{batch: batch("r1", "r1/0", "r1/ok"), want: warehouse.Result{Staged: 2, Inserted: 2}},
			},
			want: map[string]kept{"1": {"a", "r1"}, "2": {"b", "r1"}},
		},
		{
			name: "row without id or modified_at fails",
			lake: Lake{
				"r1/0": NDJSON(p("1", "a", 0, "r1")),
				"r1/1": Lines(`{"title":"no id","modified_at":"2024-05-01T10:00:00Z"}`),
				"r1/2": Lines(`{"id":"9","title":"no time"}`),
			},
			steps: []step{
				{batch: batch("r1", "r1/0", "r1/1"), wantErr: warehouse.ErrInvalidRow},
				{batch: batch("r1", "r1/0", "r1/2"), wantErr: warehouse.ErrInvalidRow},
			},
			want: map[string]kept{},
		},
		{
			name: "row count must match the batch",
			lake: Lake{"r1/0": NDJSON(p("1", "a", 0, "r1"), p("2", "b", 0, "r1"))},
			steps: []step{
				{batch: withRows(batch("r1", "r1/0"), 3), wantErr: warehouse.ErrRowCount},
				{batch: withRows(batch("r1", "r1/0"), 2), want: warehouse.Result{Staged: 2, Inserted: 2}},
			},
			want: map[string]kept{"1": {"a", "r1"}, "2": {"b", "r1"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := ensure(t)
			for i, s := range tc.steps {
				got, err := w.LoadRecruit(ctx, s.batch, tc.lake)
				switch {
				case s.wantErr == nil && err != nil:
					t.Fatalf("step %d: LoadRecruit: %v", i, err)
				case s.wantErr != nil && err == nil:
					t.Fatalf("step %d: LoadRecruit succeeded (%+v); want error", i, got)
				case s.wantErr != nil && s.wantErr != errAny && !errors.Is(err, s.wantErr):
					t.Fatalf("step %d: LoadRecruit error = %v; want %v", i, err, s.wantErr)
				case err == nil && !sameCounts(got, s.want):
					t.Fatalf("step %d: LoadRecruit = %+v; want %+v", i, got, s.want)
				case err == nil && len(got.Checks) == 0:
					t.Fatalf("step %d: LoadRecruit ran no data checks", i)
				}
			}
			checkKept(ctx, t, w, tc.want)
		})
	}

	t.Run("RoundTrip", func(t *testing.T) {
		w := ensure(t)
		full := p("full", "데이터 엔지니어 (신입)", 0, "r1")
		sparse := saramin.Posting{ID: "sparse", Title: "t", PostedAt: at(-1), ModifiedAt: at(0), RunID: "r1"}
		lake := Lake{"clean/r1/0.ndjson": NDJSON(full, sparse)}
		if _, err := w.LoadRecruit(ctx, batch("r1", "clean/r1/0.ndjson"), lake); err != nil {
			t.Fatalf("LoadRecruit: %v", err)
		}
		for _, want := range []saramin.Posting{full, sparse} {
			got, err := w.Recruit(ctx, want.ID)
			if err != nil {
				t.Fatalf("Recruit(%s): %v", want.ID, err)
			}
			if !sameJSON(got.Extra, want.Extra) {
				t.Errorf("Recruit(%s).Extra = %s; want %s", want.ID, got.Extra, want.Extra)
			}
			got.Extra, want.Extra = nil, nil
			if !reflect.DeepEqual(got.Posting, want) {
				t.Errorf("Recruit(%s).Posting =\n%+v\nwant\n%+v", want.ID, got.Posting, want)
			}
			if got.LoadedFrom != "clean/r1/0.ndjson" {
				t.Errorf("Recruit(%s).LoadedFrom = %q", want.ID, got.LoadedFrom)
			}
			if got.FirstSeenAt.IsZero() || got.LastSeenAt.Before(got.FirstSeenAt) {
				t.Errorf("Recruit(%s) seen %v .. %v", want.ID, got.FirstSeenAt, got.LastSeenAt)
			}
		}
	})

	t.Run("BatchRunIDWins", func(t *testing.T) {
		// The batch names the run; a row's own run_id is lineage only.
		w := ensure(t)
		lake := Lake{"o": NDJSON(p("1", "a", 0, "someone-else"))}
		if _, err := w.LoadRecruit(ctx, batch("r1", "o"), lake); err != nil {
			t.Fatalf("LoadRecruit: %v", err)
		}
		checkKept(ctx, t, w, map[string]kept{"1": {"a", "r1"}})
	})

	t.Run("NoRunID", func(t *testing.T) {
		w := ensure(t)
		if _, err := w.LoadRecruit(ctx, warehouse.Batch{}, Lake{}); err == nil {
			t.Fatal("LoadRecruit without run id succeeded")
		}
	})

	runSkills(t, ensure, in)
	runIndicators(t, ensure, in)
}

func withRows(b warehouse.Batch, rows int) warehouse.Batch {
	b.Rows = rows
	return b
}

// checkKept asserts core holds exactly the ids of want, with those titles
// and run ids.
func checkKept(ctx context.Context, t *testing.T, w warehouse.Warehouse, want map[string]kept) {
	t.Helper()
	wantIDs := make([]string, 0, len(want))
	for id := range want {
		wantIDs = append(wantIDs, id)
	}
	slices.Sort(wantIDs)
	ids, err := w.RecruitIDs(ctx)
	if err != nil {
		t.Fatalf("RecruitIDs: %v", err)
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("RecruitIDs = %v; want %v", ids, wantIDs)
	}
	if n, err := w.CountRecruit(ctx); err != nil || n != int64(len(want)) {
		t.Fatalf("CountRecruit = %d, %v; want %d", n, err, len(want))
	}
	for _, id := range wantIDs {
		r, err := w.Recruit(ctx, id)
		if err != nil {
			t.Fatalf("Recruit(%s): %v", id, err)
		}
		if got := (kept{r.Title, r.RunID}); got != want[id] {
			t.Errorf("Recruit(%s) = title %q run %q; want title %q run %q", id, r.Title, r.RunID, want[id].title, want[id].runID)
		}
	}
}

// sameJSON reports whether a and b are the same JSON value (both empty counts).
func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// sameCounts compares the counts of two results (their checks aside).
func sameCounts(a, b warehouse.Result) bool {
	return a.Staged == b.Staged && a.Inserted == b.Inserted && a.Updated == b.Updated && a.Unchanged == b.Unchanged
}
