package warehousetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

// Inspect reads a warehouse's tables in its own dialect, for the contract's
// indicator cases. Tables are named dataset.table; conditions are written
// in SQL both dialects read alike (=, IS NOT NULL, AND, DATE and TIMESTAMP
// literals).
type Inspect struct {
	// Count returns how many rows of table match where ("" for all).
	Count func(t *testing.T, w warehouse.Warehouse, table, where string) int64
	// Fingerprint sums up the tables' contents, so that equal contents
	// give equal strings whatever the row order.
	Fingerprint func(t *testing.T, w warehouse.Warehouse, tables ...string) string
}

// runIndicators is the contract of the trends and certification loads.
func runIndicators(t *testing.T, ensure func(t *testing.T) warehouse.Warehouse, in Inspect) {
	ctx := context.Background()
	// The objects carry the test's name: a real bucket is shared.
	obj := func(t *testing.T, name string) string {
		return "jobpulse-test/" + strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + "/" + name
	}

	// Trend rows merge by request, keyword and period; core keeps the
	// newest window per keyword and period; a replay changes nothing; a
	// failed load changes nothing.
	t.Run("LoadTrends", func(t *testing.T) {
		w := ensure(t)
		const older, newer = "2021-11-20 2026-11-19", "2021-11-21 2026-11-20"
		a, b, bad := obj(t, "a.ndjson"), obj(t, "b.ndjson"), obj(t, "bad.ndjson")
		lake := Lake{
			a: NDJSON(TrendRow("SQL", "2026-11-01", older, 40, 2), TrendRow("SQL", "2026-11-08", older, 50, 2)),
			b: NDJSON(TrendRow("SQL", "2026-11-08", newer, 51, 2), TrendRow("SQL", "2026-11-15", newer, 60, 2)),
		}
		first := warehouse.Batch{Source: source.Trends, RunID: "ra", Objects: []string{a}, Rows: 2}
		res, err := w.LoadTrends(ctx, first, lake)
		if err != nil || res.Inserted != 2 || res.Staged != 2 {
			t.Fatalf("first load: %+v %v", res, err)
		}
		res, err = w.LoadTrends(ctx, warehouse.Batch{Source: source.Trends, RunID: "rb", Objects: []string{b}, Rows: 2}, lake)
		if err != nil || res.Inserted != 2 {
			t.Fatalf("second load: %+v %v", res, err)
		}
		if n := in.Count(t, w, "external.google_trend", ""); n != 4 {
			t.Errorf("external holds %d rows, want every request's 4", n)
		}
		if n := in.Count(t, w, "core.google_trend", ""); n != 3 {
			t.Errorf("core holds %d rows, want one per keyword and period (3)", n)
		}
		if n := in.Count(t, w, "core.google_trend", "period = DATE '2026-11-08' AND interest = 51"); n != 1 {
			t.Errorf("core 2026-11-08: %d rows of interest 51, want the newer window's one", n)
		}
		staged := func() int64 {
			return in.Count(t, w, "staging.google_trend", "loaded_at >= TIMESTAMP '1970-01-01 00:00:00+00'")
		}
		before := in.Fingerprint(t, w, "external.google_trend", "core.google_trend")
		res, err = w.LoadTrends(ctx, first, lake) // a replay of the older batch
		if err != nil || res.Unchanged != 2 || res.Inserted+res.Updated != 0 {
			t.Fatalf("replay: %+v %v", res, err)
		}
		if after := in.Fingerprint(t, w, "external.google_trend", "core.google_trend"); after != before {
			t.Errorf("a replay changed the tables")
		}
		if n := staged(); n != 4 {
			t.Errorf("staging holds %d rows after a replay; want 4 (an object's rows replaced)", n)
		}
		// A row without a key, and a row count that differs from the
		// message, change nothing.
		lake[bad] = []byte(`{"keyword":"SQL","period":"2026-11-22","interest":1}` + "\n")
		if _, err := w.LoadTrends(ctx, warehouse.Batch{RunID: "rc", Objects: []string{bad}}, lake); !errors.Is(err, warehouse.ErrInvalidRow) {
			t.Errorf("row without a request id: %v, want ErrInvalidRow", err)
		}
		if _, err := w.LoadTrends(ctx, warehouse.Batch{RunID: "rd", Objects: []string{b}, Rows: 3}, lake); !errors.Is(err, warehouse.ErrRowCount) {
			t.Errorf("row count: %v, want ErrRowCount", err)
		}
		if after := in.Fingerprint(t, w, "external.google_trend", "core.google_trend"); after != before {
			t.Errorf("a failed load changed the tables")
		}
		if n := staged(); n != 4 {
			t.Errorf("staging holds %d rows after failed loads; want 4", n)
		}
	})

	// The certification set is replaced whole; a load failing halfway, a
	// set failing a check or an older run leave the loaded set as it was.
	t.Run("ReplaceCertifications", func(t *testing.T) {
		w := ensure(t)
		week1 := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
		week2 := week1.AddDate(0, 0, 7)
		set1, set2, bad, gone := obj(t, "set1.ndjson"), obj(t, "set2.ndjson"), obj(t, "bad.ndjson"), obj(t, "gone.ndjson")
		lake := Lake{
			set1: NDJSON(Stat("ADsP", 2024, 100, 40), Stat("SQLD", 2024, 200, 90)),
			set2: NDJSON(Stat("ADsP", 2024, 100, 40), Stat("ADsP", 2025, 120, 50)),
			bad:  NDJSON(Stat("ADsP", 2025, 100, 140)),
		}
		tables := []string{"external.certification", "core.certification"}
		res, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c1", Objects: []string{set1}, Rows: 2, WindowTo: week1}, lake)
		if err != nil || res.Inserted != 2 {
			t.Fatalf("first set: %+v %v", res, err)
		}
		first := in.Fingerprint(t, w, tables...)
		// Halfway: the second object is missing from the lake.
		if _, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c2", Objects: []string{set2, gone}, WindowTo: week2}, lake); err == nil {
			t.Fatal("a set with a missing object loaded")
		}
		if in.Fingerprint(t, w, tables...) != first {
			t.Fatal("a load that failed halfway changed the loaded set")
		}
		// A set failing a check (more passers than examinees) is refused.
		_, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c3", Objects: []string{bad}, WindowTo: week2}, lake)
		if !errors.Is(err, warehouse.ErrCheckFailed) || in.Fingerprint(t, w, tables...) != first {
			t.Fatalf("bad set: %v; want ErrCheckFailed and the set unchanged", err)
		}
		res, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c2", Objects: []string{set2}, Rows: 2, WindowTo: week2}, lake)
		if err != nil || res.Inserted != 1 || res.Unchanged != 1 || len(res.Checks) != 3 {
			t.Fatalf("second set: %+v %v; want 1 inserted, 1 unchanged, 3 checks", res, err)
		}
		if n := in.Count(t, w, "core.certification", "exam = 'SQLD'"); n != 0 {
			t.Errorf("SQLD left from the replaced set: %d rows", n)
		}
		if n := in.Count(t, w, "core.certification", "stage = '필기' AND pass_rate IS NOT NULL"); n != 2 {
			t.Errorf("core rows with a pass rate: %d, want 2", n)
		}
		second := in.Fingerprint(t, w, tables...)
		// The same run again changes nothing, not even the load time.
		res, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c2", Objects: []string{set2}, Rows: 2, WindowTo: week2}, lake)
		if err != nil || res.Unchanged != 2 || in.Fingerprint(t, w, tables...) != second {
			t.Fatalf("same run again: %+v %v; want nothing changed", res, err)
		}
		// A replay of the older run keeps the newer set.
		res, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c1", Objects: []string{set1}, Rows: 2, WindowTo: week1}, lake)
		if err != nil || res.Unchanged != 2 || in.Fingerprint(t, w, tables...) != second {
			t.Fatalf("older replay: %+v %v; want the newer set kept", res, err)
		}
		if n := in.Count(t, w, "staging.indicator_loads", "source = 'cert'"); n != 2 {
			t.Errorf("%d certification loads recorded; want 2 (the older replay records none)", n)
		}
	})
}
