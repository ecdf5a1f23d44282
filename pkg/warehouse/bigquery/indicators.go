package bigquery

import (
	"context"
	"errors"

	"jobpulse/pkg/warehouse"
)

// LoadTrends is not implemented on BigQuery yet.
func (w *Warehouse) LoadTrends(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	return warehouse.Result{}, errors.New("bigquery.LoadTrends: not implemented")
}

// ReplaceCertifications is not implemented on BigQuery yet.
func (w *Warehouse) ReplaceCertifications(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	return warehouse.Result{}, errors.New("bigquery.ReplaceCertifications: not implemented")
}
