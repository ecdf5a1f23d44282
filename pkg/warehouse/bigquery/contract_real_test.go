package bigquery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/storage"

	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/warehousetest"
)

// TestContractRealBigQuery runs the shared contract against a real
// project. It is skipped unless JOBPULSE_BQ_PROJECT and JOBPULSE_BQ_BUCKET
// are set (JOBPULSE_BQ_LOCATION defaults to asia-northeast3). It DROPS the
// five warehouse datasets before every case and overwrites objects in the
// bucket: use a throwaway project and bucket. See README.md.
func TestContractRealBigQuery(t *testing.T) {
	newWarehouse := realProject(t)
	warehousetest.RunContract(t, func(t *testing.T) warehouse.Warehouse { return newWarehouse(t) })
}

// realProject skips t unless JOBPULSE_BQ_PROJECT and JOBPULSE_BQ_BUCKET are
// set, and returns a function opening the warehouse of that project with
// the five datasets dropped, uploading the lake objects of each load.
func realProject(t *testing.T) func(t *testing.T) uploading {
	t.Helper()
	project, bucket := os.Getenv("JOBPULSE_BQ_PROJECT"), os.Getenv("JOBPULSE_BQ_BUCKET")
	if project == "" || bucket == "" {
		t.Skip("JOBPULSE_BQ_PROJECT and JOBPULSE_BQ_BUCKET not set")
	}
	location := os.Getenv("JOBPULSE_BQ_LOCATION")
	if location == "" {
		location = "asia-northeast3"
	}
	ctx := context.Background()
	gcs, err := storage.NewClient(ctx)
	if err != nil {
		t.Fatalf("storage: %v", err)
	}
	t.Cleanup(func() { _ = gcs.Close() })

	return func(t *testing.T) uploading {
		w, err := Open(ctx, project, location, WithBucket(bucket))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { _ = w.Close() })
		for _, ds := range Datasets {
			if err := w.client.Dataset(ds).DeleteWithContents(ctx); err != nil && !isNotFound(err) {
				t.Fatalf("drop dataset %s: %v", ds, err)
			}
		}
		return uploading{Warehouse: w, bucket: gcs.Bucket(bucket)}
	}
}

// uploading copies the contract's in-memory lake objects to the bucket, at
// the same names, before each load (deleting names the lake lacks, so a
// missing object stays missing).
type uploading struct {
	*Warehouse
	bucket *storage.BucketHandle
}

func (u uploading) LoadRecruit(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if err := u.upload(ctx, b, src); err != nil {
		return warehouse.Result{}, err
	}
	return u.Warehouse.LoadRecruit(ctx, b, src)
}

func (u uploading) LoadTrends(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if err := u.upload(ctx, b, src); err != nil {
		return warehouse.Result{}, err
	}
	return u.Warehouse.LoadTrends(ctx, b, src)
}

func (u uploading) ReplaceCertifications(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if err := u.upload(ctx, b, src); err != nil {
		return warehouse.Result{}, err
	}
	return u.Warehouse.ReplaceCertifications(ctx, b, src)
}

func (u uploading) upload(ctx context.Context, b warehouse.Batch, src warehouse.Opener) error {
	for _, obj := range b.Objects {
		rc, err := src.Open(ctx, obj)
		if err != nil {
			if err := u.bucket.Object(obj).Delete(ctx); err != nil && !errors.Is(err, storage.ErrObjectNotExist) {
				return fmt.Errorf("delete %s: %w", obj, err)
			}
			continue
		}
		wc := u.bucket.Object(obj).NewWriter(ctx)
		_, err = io.Copy(wc, rc)
		rc.Close()
		if err = errors.Join(err, wc.Close()); err != nil {
			return fmt.Errorf("upload %s: %w", obj, err)
		}
	}
	return nil
}

// TestIndicatorsRealBigQuery runs the DuckDB implementation's LoadTrends and
// ReplaceCertifications scenarios (../duckdb/indicators_test.go) against a
// real project, gated and destructive as TestContractRealBigQuery.
func TestIndicatorsRealBigQuery(t *testing.T) {
	newWarehouse := realProject(t)
	ctx := context.Background()
	open := func(t *testing.T) uploading {
		w := newWarehouse(t)
		if err := w.Ensure(ctx); err != nil {
			t.Fatalf("Ensure: %v", err)
		}
		return w
	}
	// The objects carry the test's name: the bucket is shared by the cases.
	obj := func(t *testing.T, name string) string { return "jobpulse-test/" + ident(t.Name()) + "/" + name }

	t.Run("LoadTrends", func(t *testing.T) {
		w := open(t)
		const older, newer = "2021-11-20 2026-11-19", "2021-11-21 2026-11-20"
		a, b, bad := obj(t, "a.ndjson"), obj(t, "b.ndjson"), obj(t, "bad.ndjson")
		lake := warehousetest.Lake{
			a: warehousetest.NDJSON(warehousetest.TrendRow("SQL", "2026-11-01", older, 40, 2), warehousetest.TrendRow("SQL", "2026-11-08", older, 50, 2)),
			b: warehousetest.NDJSON(warehousetest.TrendRow("SQL", "2026-11-08", newer, 51, 2), warehousetest.TrendRow("SQL", "2026-11-15", newer, 60, 2)),
		}
		first := warehouse.Batch{Source: "trends", RunID: "ra", Objects: []string{a}, Rows: 2}
		res, err := w.LoadTrends(ctx, first, lake)
		if err != nil || res.Inserted != 2 || res.Staged != 2 {
			t.Fatalf("first load: %+v %v", res, err)
		}
		res, err = w.LoadTrends(ctx, warehouse.Batch{Source: "trends", RunID: "rb", Objects: []string{b}, Rows: 2}, lake)
		if err != nil || res.Inserted != 2 {
			t.Fatalf("second load: %+v %v", res, err)
		}
		if n := realInt(t, w.Warehouse, "SELECT COUNT(*) AS n FROM `external.google_trend`"); n != 4 {
			t.Errorf("external holds %d rows, want every request's 4", n)
		}
		if n := realInt(t, w.Warehouse, "SELECT COUNT(*) AS n FROM `core.google_trend`"); n != 3 {
			t.Errorf("core holds %d rows, want one per keyword and period (3)", n)
		}
		if n := realInt(t, w.Warehouse, "SELECT interest AS n FROM `core.google_trend` WHERE period = DATE '2026-11-08'"); n != 51 {
			t.Errorf("core 2026-11-08 interest %d, want 51 from the newer window", n)
		}
		staged := "SELECT COUNT(*) AS n FROM `staging.google_trend` WHERE loaded_at >= TIMESTAMP '1970-01-01'"
		before := realHash(t, w.Warehouse, "external.google_trend", "core.google_trend")
		res, err = w.LoadTrends(ctx, first, lake) // a replay of the older batch
		if err != nil || res.Unchanged != 2 || res.Inserted+res.Updated != 0 {
			t.Fatalf("replay: %+v %v", res, err)
		}
		if after := realHash(t, w.Warehouse, "external.google_trend", "core.google_trend"); after != before {
			t.Errorf("a replay changed the tables")
		}
		if n := realInt(t, w.Warehouse, staged); n != 4 {
			t.Errorf("staging holds %d rows after a replay; want 4 (an object's rows replaced)", n)
		}
		lake[bad] = []byte(`{"keyword":"SQL","period":"2026-11-22","interest":1}` + "\n")
		if _, err := w.LoadTrends(ctx, warehouse.Batch{RunID: "rc", Objects: []string{bad}}, lake); !errors.Is(err, warehouse.ErrInvalidRow) {
			t.Errorf("row without a request id: %v, want ErrInvalidRow", err)
		}
		if _, err := w.LoadTrends(ctx, warehouse.Batch{RunID: "rd", Objects: []string{b}, Rows: 3}, lake); !errors.Is(err, warehouse.ErrRowCount) {
			t.Errorf("row count: %v, want ErrRowCount", err)
		}
		if after := realHash(t, w.Warehouse, "external.google_trend", "core.google_trend"); after != before {
			t.Errorf("a failed load changed the tables")
		}
		if n := realInt(t, w.Warehouse, staged); n != 4 {
			t.Errorf("staging holds %d rows after failed loads; want 4", n)
		}
	})

	t.Run("ReplaceCertifications", func(t *testing.T) {
		w := open(t)
		week1 := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
		week2 := week1.AddDate(0, 0, 7)
		set1, set2, bad, gone := obj(t, "set1.ndjson"), obj(t, "set2.ndjson"), obj(t, "bad.ndjson"), obj(t, "gone.ndjson")
		lake := warehousetest.Lake{
			set1: warehousetest.NDJSON(warehousetest.Stat("ADsP", 2024, 100, 40), warehousetest.Stat("SQLD", 2024, 200, 90)),
			set2: warehousetest.NDJSON(warehousetest.Stat("ADsP", 2024, 100, 40), warehousetest.Stat("ADsP", 2025, 120, 50)),
			bad:  warehousetest.NDJSON(warehousetest.Stat("ADsP", 2025, 100, 140)),
		}
		tables := []string{"external.certification", "core.certification"}
		res, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c1", Objects: []string{set1}, Rows: 2, WindowTo: week1}, lake)
		if err != nil || res.Inserted != 2 {
			t.Fatalf("first set: %+v %v", res, err)
		}
		first := realHash(t, w.Warehouse, tables...)
		if _, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c2", Objects: []string{set2, gone}, WindowTo: week2}, lake); err == nil {
			t.Fatal("a set with a missing object loaded")
		}
		if realHash(t, w.Warehouse, tables...) != first {
			t.Fatal("a load that failed halfway changed the loaded set")
		}
		_, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c3", Objects: []string{bad}, WindowTo: week2}, lake)
		if !errors.Is(err, warehouse.ErrCheckFailed) || realHash(t, w.Warehouse, tables...) != first {
			t.Fatalf("bad set: %v; want ErrCheckFailed and the set unchanged", err)
		}
		res, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c2", Objects: []string{set2}, Rows: 2, WindowTo: week2}, lake)
		if err != nil || res.Inserted != 1 || res.Unchanged != 1 || len(res.Checks) != 3 {
			t.Fatalf("second set: %+v %v", res, err)
		}
		if n := realInt(t, w.Warehouse, "SELECT COUNT(*) AS n FROM `core.certification` WHERE exam = 'SQLD'"); n != 0 {
			t.Errorf("SQLD left from the replaced set: %d rows", n)
		}
		if n := realInt(t, w.Warehouse, "SELECT COUNT(*) AS n FROM `core.certification` WHERE stage = '필기' AND pass_rate IS NOT NULL"); n != 2 {
			t.Errorf("core rows with a pass rate: %d, want 2", n)
		}
		second := realHash(t, w.Warehouse, tables...)
		res, err = w.ReplaceCertifications(ctx, warehouse.Batch{Source: "cert", RunID: "c1", Objects: []string{set1}, Rows: 2, WindowTo: week1}, lake)
		if err != nil || res.Unchanged != 2 || realHash(t, w.Warehouse, tables...) != second {
			t.Fatalf("older replay: %+v %v; want the newer set kept", res, err)
		}
		if n := realInt(t, w.Warehouse, "SELECT COUNT(*) AS n FROM `staging.indicator_loads`"); n != 2 {
			t.Errorf("%d loads recorded; want 2 (the older replay records none)", n)
		}
	})
}

// realInt runs a query answering one INT64 column n.
func realInt(t *testing.T, w *Warehouse, sql string) int64 {
	t.Helper()
	rows, err := w.query(context.Background(), "test", sql, nil)
	if err != nil || len(rows) != 1 {
		t.Fatalf("%s: %d rows, %v", sql, len(rows), err)
	}
	n, _ := rows[0]["n"].(int64)
	return n
}

// realHash fingerprints the tables' contents (order-independent).
func realHash(t *testing.T, w *Warehouse, tables ...string) string {
	t.Helper()
	var out []string
	for _, table := range tables {
		sql := "SELECT COUNT(*) AS n, COALESCE(BIT_XOR(FARM_FINGERPRINT(TO_JSON_STRING(x))), 0) AS h FROM `" + table + "` AS x"
		rows, err := w.query(context.Background(), "test", sql, nil)
		if err != nil || len(rows) != 1 {
			t.Fatalf("%s: %v", sql, err)
		}
		out = append(out, fmt.Sprint(table, ":", rows[0]["n"], ":", rows[0]["h"]))
	}
	return strings.Join(out, ",")
}

func isNotFound(err error) bool {
	return err != nil && (errors.Is(err, storage.ErrObjectNotExist) || httpCode(err) == 404)
}
