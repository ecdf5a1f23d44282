package bigquery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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

	warehousetest.RunContract(t, func(t *testing.T) warehouse.Warehouse {
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
	})
}

// uploading copies the contract's in-memory lake objects to the bucket, at
// the same names, before each load (deleting names the lake lacks, so a
// missing object stays missing).
type uploading struct {
	*Warehouse
	bucket *storage.BucketHandle
}

func (u uploading) LoadRecruit(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	for _, obj := range b.Objects {
		rc, err := src.Open(ctx, obj)
		if err != nil {
			if err := u.bucket.Object(obj).Delete(ctx); err != nil && !errors.Is(err, storage.ErrObjectNotExist) {
				return warehouse.Result{}, fmt.Errorf("delete %s: %w", obj, err)
			}
			continue
		}
		wc := u.bucket.Object(obj).NewWriter(ctx)
		_, err = io.Copy(wc, rc)
		rc.Close()
		if err = errors.Join(err, wc.Close()); err != nil {
			return warehouse.Result{}, fmt.Errorf("upload %s: %w", obj, err)
		}
	}
	return u.Warehouse.LoadRecruit(ctx, b, src)
}

func isNotFound(err error) bool {
	return err != nil && (errors.Is(err, storage.ErrObjectNotExist) || httpCode(err) == 404)
}
