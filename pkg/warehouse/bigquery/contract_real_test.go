package bigquery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

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
	warehousetest.RunContract(t, func(t *testing.T) warehouse.Warehouse { return newWarehouse(t) }, warehousetest.Inspect{
		Count: func(t *testing.T, w warehouse.Warehouse, table, where string) int64 {
			q := "SELECT COUNT(*) AS n FROM `" + table + "`"
			if where != "" {
				q += " WHERE " + where
			}
			return realInt(t, w.(uploading).Warehouse, q)
		},
		Fingerprint: func(t *testing.T, w warehouse.Warehouse, tables ...string) string {
			return realHash(t, w.(uploading).Warehouse, tables...)
		},
	})
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

// realInt runs a query answering one INT64 column n.
func realInt(t *testing.T, w *Warehouse, sql string) int64 {
	t.Helper()
	rows, err := read[struct {
		N int64 `bigquery:"n"`
	}](context.Background(), w, "test", sql, nil)
	if err != nil || len(rows) != 1 {
		t.Fatalf("%s: %d rows, %v", sql, len(rows), err)
	}
	return rows[0].N
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
