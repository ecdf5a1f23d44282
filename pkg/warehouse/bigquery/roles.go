package bigquery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	bq "cloud.google.com/go/bigquery"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/warehouse"
)

// rolesSchema is the per-load roles table: the Go classifier's role of each
// batch id's newest version, keyed by (id, modified_at) so the script can
// tell whether that version is the one external keeps.
var rolesSchema = cols("id STRING!, modified_at TIMESTAMP!, role STRING, it_group STRING")

// roleRow is one line of the roles upload.
type roleRow struct {
	ID         string    `json:"id"`
	ModifiedAt time.Time `json:"modified_at"`
	Role       *string   `json:"role"`     // null: no data role
	Group      *string   `json:"it_group"` // null: a data role, or not IT work
}

// batchRoles reads the batch's objects through src, one posting at a time,
// and classifies the newest version of each id: the one merge_recruit.sql
// keeps from the batch (newest modified_at, then the greatest object name,
// then the last line; BigQuery breaks the last tie by a fingerprint, see
// DIFFERENCES.md). It returns the roles as NDJSON, in first-seen id order.
func (w *Warehouse) batchRoles(ctx context.Context, b warehouse.Batch, src warehouse.Opener) ([]byte, int, error) {
	type kept struct {
		obj string
		p   saramin.Posting
	}
	newest := map[string]*kept{}
	var order []string
	for _, obj := range b.Objects {
		if err := eachPosting(ctx, src, obj, func(p saramin.Posting) {
			if p.ID == "" {
				return // the script rejects the batch (ErrInvalidRow)
			}
			k, ok := newest[p.ID]
			if !ok {
				newest[p.ID] = &kept{obj, p}
				order = append(order, p.ID)
				return
			}
			if p.ModifiedAt.After(k.p.ModifiedAt) || (p.ModifiedAt.Equal(k.p.ModifiedAt) && obj >= k.obj) {
				k.obj, k.p = obj, p
			}
		}); err != nil {
			return nil, 0, err
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, id := range order {
		p := newest[id].p
		row := roleRow{ID: id, ModifiedAt: p.ModifiedAt}
		r, g := w.classify(p.Title, p.JobCodes, p.JobCodeNames, p.Keywords, p.JobMidCodes)
		if r != "" {
			row.Role = &r
		}
		if g != "" {
			row.Group = &g
		}
		if err := enc.Encode(row); err != nil {
			return nil, 0, fmt.Errorf("roles: %w", err)
		}
	}
	return buf.Bytes(), len(order), nil
}

// eachPosting decodes obj's NDJSON postings one by one.
func eachPosting(ctx context.Context, src warehouse.Opener, obj string, fn func(saramin.Posting)) (err error) {
	rc, err := src.Open(ctx, obj)
	if err != nil {
		return fmt.Errorf("roles: open %s: %w", obj, err)
	}
	defer func() {
		if cerr := rc.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("roles: close %s: %w", obj, cerr)
		}
	}()
	dec := json.NewDecoder(rc)
	for n := 1; ; n++ {
		var p saramin.Posting
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("roles: %s posting %d: %w", obj, n, err)
		}
		fn(p)
	}
}

// loadRoles classifies the batch in Go and loads the roles into the
// per-load table, by one load job from an in-memory NDJSON reader (a
// multipart upload: no GCS object, no row-by-row inserts). A batch without
// postings loads nothing: the table stays empty.
func (w *Warehouse) loadRoles(ctx context.Context, b warehouse.Batch, src warehouse.Opener, table string) error {
	data, n, err := w.batchRoles(ctx, b, src)
	if err != nil || n == 0 {
		return err
	}
	rs := bq.NewReaderSource(bytes.NewReader(data))
	rs.SourceFormat = bq.JSON
	rs.Schema = rolesSchema
	rs.MaxBadRecords = 0
	l := w.client.Dataset("staging").Table(table).LoaderFrom(rs)
	l.Location = w.location
	l.CreateDisposition = bq.CreateNever
	l.WriteDisposition = bq.WriteAppend
	l.JobIDConfig = bq.JobIDConfig{JobID: "jobpulse_roles_" + ident(b.RunID), AddJobIDSuffix: true}
	l.Labels = map[string]string{"app": "jobpulse", "step": "roles"}
	job, err := l.Run(ctx)
	if err != nil {
		return fmt.Errorf("roles: start load job: %w", err)
	}
	st, err := job.Wait(ctx)
	if err == nil {
		err = st.Err()
	}
	if err != nil {
		return fmt.Errorf("roles: load job %s: %w", job.ID(), err)
	}
	return nil
}
