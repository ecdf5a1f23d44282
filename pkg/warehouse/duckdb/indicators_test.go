package duckdb_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/warehousetest"
)

// Trend rows merge by request, keyword and period; core keeps the newest
// window per keyword and period; a replay changes nothing.
func TestLoadTrends(t *testing.T) {
	t.Parallel()
	w := newMemory(t)
	if err := w.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	const older, newer = "2021-11-20 2026-11-19", "2021-11-21 2026-11-20"
	lake := warehousetest.Lake{
		"a.ndjson": warehousetest.NDJSON(warehousetest.TrendRow("SQL", "2026-11-01", older, 40, 2), warehousetest.TrendRow("SQL", "2026-11-08", older, 50, 2)),
		"b.ndjson": warehousetest.NDJSON(warehousetest.TrendRow("SQL", "2026-11-08", newer, 51, 2), warehousetest.TrendRow("SQL", "2026-11-15", newer, 60, 2)),
	}
	a := warehouse.Batch{Source: "trends", RunID: "ra", Objects: []string{"a.ndjson"}, Rows: 2}
	res, err := w.LoadTrends(ctx, a, lake)
	if err != nil || res.Inserted != 2 || res.Staged != 2 {
		t.Fatalf("first load: %+v %v", res, err)
	}
	res, err = w.LoadTrends(ctx, warehouse.Batch{Source: "trends", RunID: "rb", Objects: []string{"b.ndjson"}, Rows: 2}, lake)
	if err != nil || res.Inserted != 2 {
		t.Fatalf("second load: %+v %v", res, err)
	}
	if n := queryInt(t, w, `SELECT count(*) FROM external.google_trend`); n != 4 {
		t.Errorf("external holds %d rows, want every request's 4", n)
	}
	if n := queryInt(t, w, `SELECT count(*) FROM core.google_trend`); n != 3 {
		t.Errorf("core holds %d rows, want one per keyword and period (3)", n)
	}
	if n := queryInt(t, w, `SELECT interest FROM core.google_trend WHERE period = DATE '2026-11-08'`); n != 51 {
		t.Errorf("core 2026-11-08 interest %d, want 51 from the newer window", n)
	}
	before := tableHash(t, w, "external.google_trend", "core.google_trend")
	res, err = w.LoadTrends(ctx, a, lake) // a replay of the older batch
	if err != nil || res.Unchanged != 2 || res.Inserted+res.Updated != 0 {
		t.Fatalf("replay: %+v %v", res, err)
	}
	if after := tableHash(t, w, "external.google_trend", "core.google_trend"); after != before {
		t.Errorf("a replay changed the tables")
	}
	// A row count that differs from the message, and a row without a key,
	// change nothing.
	lake["bad.ndjson"] = []byte(`{"keyword":"SQL","period":"2026-11-22","interest":1}` + "\n")
	if _, err := w.LoadTrends(ctx, warehouse.Batch{RunID: "rc", Objects: []string{"bad.ndjson"}}, lake); !errors.Is(err, warehouse.ErrInvalidRow) {
		t.Errorf("row without a request id: %v, want ErrInvalidRow", err)
	}
	if _, err := w.LoadTrends(ctx, warehouse.Batch{RunID: "rd", Objects: []string{"b.ndjson"}, Rows: 3}, lake); !errors.Is(err, warehouse.ErrRowCount) {
		t.Errorf("row count: %v, want ErrRowCount", err)
	}
	if after := tableHash(t, w, "external.google_trend", "core.google_trend"); after != before {
		t.Errorf("a failed load changed the tables")
	}
}

// The certification set is replaced whole; a load failing halfway, a set
// failing a check or an older run leave the loaded set as it was.
func TestReplaceCertifications(t *testing.T) {
	t.Parallel()
	w := newMemory(t)
	if err := w.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	week1 := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	week2 := week1.AddDate(0, 0, 7)
	lake := warehousetest.Lake{
		"set1.ndjson": warehousetest.NDJSON(warehousetest.Stat("ADsP", 2024, 100, 40), warehousetest.Stat("SQLD", 2024, 200, 90)),
		"set2.ndjson": warehousetest.NDJSON(warehousetest.Stat("ADsP", 2024, 100, 40), warehousetest.Stat("ADsP", 2025, 120, 50)),
		"bad.ndjson":  warehousetest.NDJSON(warehousetest.Stat("ADsP", 2025, 100, 140)),
	}
	res, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c1", Objects: []string{"set1.ndjson"}, Rows: 2, WindowTo: week1}, lake)
	if err != nil || res.Inserted != 2 {
		t.Fatalf("first set: %+v %v", res, err)
	}
	set1 := tableHash(t, w, "external.certification", "core.certification")

	// Halfway: the second object is missing from the lake.
	half := warehouse.Batch{Source: "cert", RunID: "c2", Objects: []string{"set2.ndjson", "gone.ndjson"}, WindowTo: week2}
	if _, err := w.ReplaceCertifications(ctx, half, lake); err == nil {
		t.Fatal("a set with a missing object loaded")
	}
	if tableHash(t, w, "external.certification", "core.certification") != set1 {
		t.Fatal("a load that failed halfway changed the loaded set")
	}
	// A set failing a check (more passers than examinees) is refused.
	_, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c3", Objects: []string{"bad.ndjson"}, WindowTo: week2}, lake)
	if !errors.Is(err, warehouse.ErrCheckFailed) || tableHash(t, w, "external.certification", "core.certification") != set1 {
		t.Fatalf("bad set: %v; want ErrCheckFailed and the set unchanged", err)
	}

	res, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c2", Objects: []string{"set2.ndjson"}, Rows: 2, WindowTo: week2}, lake)
	if err != nil || res.Inserted != 1 || res.Unchanged != 1 {
		t.Fatalf("second set: %+v %v", res, err)
	}
	if n := queryInt(t, w, `SELECT count(*) FROM core.certification WHERE exam = 'SQLD'`); n != 0 {
		t.Errorf("SQLD left from the replaced set: %d rows", n)
	}
	if n := queryInt(t, w, `SELECT count(*) FROM core.certification WHERE stage = '필기' AND pass_rate IS NOT NULL`); n != 2 {
		t.Errorf("core rows with a pass rate: %d, want 2", n)
	}
	set2 := tableHash(t, w, "external.certification", "core.certification")
	// The same run again changes nothing, not even the load time.
	res, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c2", Objects: []string{"set2.ndjson"}, Rows: 2, WindowTo: week2}, lake)
	if err != nil || res.Unchanged != 2 || tableHash(t, w, "external.certification", "core.certification") != set2 {
		t.Fatalf("same run again: %+v %v; want nothing changed", res, err)
	}
	// A replay of the older run keeps the newer set.
	res, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c1", Objects: []string{"set1.ndjson"}, Rows: 2, WindowTo: week1}, lake)
	if err != nil || res.Unchanged != 2 || tableHash(t, w, "external.certification", "core.certification") != set2 {
		t.Fatalf("older replay: %+v %v; want the newer set kept", res, err)
	}
}

func tableHash(t *testing.T, w interface{ DB() *sqlDB }, tables ...string) string {
	t.Helper()
	var out []string
	for _, table := range tables {
		var n int
		var h string
		q := `SELECT count(*), coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)), '') FROM ` + table + ` x`
		if err := w.DB().QueryRowContext(ctx, q).Scan(&n, &h); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, table+":"+h)
	}
	return strings.Join(out, ",")
}

type sqlDB = sql.DB
