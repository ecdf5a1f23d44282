// Package bigquery is the production warehouse: warehouse.Warehouse on
// BigQuery, with the seed's datasets (staging, external, meta, core, ops)
// and the same table names as the DuckDB implementation, so dashboards
// find them. Batches arrive as load jobs from the clean NDJSON objects in
// GCS (never row by row) and move up the layers in one multi-statement
// transaction per batch (sql/load_recruit.sql; trends and certifications:
// sql/load_trend.sql, sql/load_certification.sql). README.md explains the
// partitioning and clustering; DIFFERENCES.md the dialect differences with
// the DuckDB SQL beside it.
package bigquery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"

	bq "cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"

	"jobpulse/pkg/warehouse"
)

var _ warehouse.Warehouse = (*Warehouse)(nil)

// Warehouse is a BigQuery project holding the warehouse datasets.
type Warehouse struct {
	client   *bq.Client
	project  string
	location string
	bucket   string
	now      func() time.Time
	copts    []option.ClientOption
	classify warehouse.Classifier
}

// Option configures Open.
type Option func(*Warehouse)

// WithBucket names the GCS bucket holding the clean lake objects; a
// Batch's object o is loaded from gs://bucket/o. Required by LoadRecruit.
func WithBucket(bucket string) Option { return func(w *Warehouse) { w.bucket = bucket } }

// WithClientOptions passes options to the BigQuery client (for tests:
// option.WithEndpoint and option.WithoutAuthentication).
func WithClientOptions(opts ...option.ClientOption) Option {
	return func(w *Warehouse) { w.copts = append(w.copts, opts...) }
}

// WithClassifier sets the role classifier (nil or none: warehouse.Classify, the
// rules of package role). LoadRecruit reads the batch's objects through its
// Opener, classifies each id's newest version in Go and loads the roles
// beside the postings.
func WithClassifier(c warehouse.Classifier) Option {
	return func(w *Warehouse) {
		if c != nil {
			w.classify = c
		}
	}
}

// WithClock sets the clock that stamps loaded_at (default time.Now).
func WithClock(now func() time.Time) Option { return func(w *Warehouse) { w.now = now } }

// Open connects to project; location (e.g. "asia-northeast3") is where
// datasets are created and jobs run. It creates nothing: call Ensure.
func Open(ctx context.Context, project, location string, opts ...Option) (*Warehouse, error) {
	if project == "" {
		return nil, errors.New("bigquery.Open: no project")
	}
	w := &Warehouse{project: project, location: location, now: time.Now, classify: warehouse.Classify}
	for _, o := range opts {
		o(w)
	}
	c, err := bq.NewClient(ctx, project, w.copts...)
	if err != nil {
		return nil, fmt.Errorf("bigquery.Open %s: %w", project, err)
	}
	c.Location = location
	w.client = c
	return w, nil
}

// Client exposes the BigQuery client (checks, dashboards' queries).
func (w *Warehouse) Client() *bq.Client { return w.client }

// Close closes the client.
func (w *Warehouse) Close() error { return w.client.Close() }

// Ensure creates the datasets and tables that are missing and fills the
// meta tables from the code tables (RefreshMeta: only the tables whose
// content changed). Existing tables are left as they are (a changed schema
// needs a migration). It is idempotent.
func (w *Warehouse) Ensure(ctx context.Context) error {
	for _, ds := range Datasets {
		// Look before creating: creating needs bigquery.datasets.create on
		// the project, which a loader given only its datasets lacks, and
		// BigQuery answers 403 rather than 409 then, even for a dataset
		// that exists.
		_, err := w.client.Dataset(ds).Metadata(ctx)
		if err == nil {
			continue
		}
		if httpCode(err) != http.StatusNotFound {
			return fmt.Errorf("bigquery.Ensure: dataset %s: %w", ds, err)
		}
		err = w.client.Dataset(ds).Create(ctx, &bq.DatasetMetadata{Location: w.location})
		if err != nil && !isConflict(err) {
			return fmt.Errorf("bigquery.Ensure: dataset %s: %w", ds, err)
		}
	}
	for _, t := range tables() {
		md := &bq.TableMetadata{
			Schema:                 t.schema,
			TimePartitioning:       t.partition,
			RequirePartitionFilter: t.requireFilter,
		}
		if len(t.cluster) > 0 {
			md.Clustering = &bq.Clustering{Fields: t.cluster}
		}
		err := w.client.Dataset(t.dataset).Table(t.name).Create(ctx, md)
		if err != nil && !isConflict(err) {
			return fmt.Errorf("bigquery.Ensure: table %s.%s: %w", t.dataset, t.name, err)
		}
	}
	if err := w.RefreshMeta(ctx); err != nil {
		return fmt.Errorf("bigquery.Ensure: %w", err)
	}
	return nil
}

var countRecruitSQL = statements.Get("count_recruit")

var recruitIDsSQL = statements.Get("recruit_ids")

// CountRecruit counts external.recruit_table.
func (w *Warehouse) CountRecruit(ctx context.Context) (int64, error) {
	rows, err := read[struct {
		N int64 `bigquery:"n"`
	}](ctx, w, "count", countRecruitSQL, nil)
	if err != nil {
		return 0, fmt.Errorf("bigquery.CountRecruit: %w", err)
	}
	if len(rows) != 1 {
		return 0, fmt.Errorf("bigquery.CountRecruit: %d rows", len(rows))
	}
	return rows[0].N, nil
}

// RecruitIDs lists external.recruit_table's ids, sorted.
func (w *Warehouse) RecruitIDs(ctx context.Context) ([]string, error) {
	rows, err := read[struct {
		ID string `bigquery:"id"`
	}](ctx, w, "ids", recruitIDsSQL, nil)
	if err != nil {
		return nil, fmt.Errorf("bigquery.RecruitIDs: %w", err)
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	return ids, nil
}

// query runs sql as a query job with named parameters and reads every row.
// kind labels the job id (jobpulse_<kind>_...), so jobs are easy to find in
// the project's job history.
func (w *Warehouse) query(ctx context.Context, kind, sql string, params map[string]any) ([]map[string]bq.Value, error) {
	var out []map[string]bq.Value
	err := w.each(ctx, kind, sql, params, func(row map[string]bq.Value) error {
		out = append(out, row)
		return nil
	})
	return out, err
}

// read runs sql like query and reads every row into a T, a struct whose
// fields (named by their `bigquery:"..."` tags) are the columns the query
// must return. A column the answer lacks, a column of another type, or
// NULL in a field that cannot hold it (bq.NullInt64 and the like are for
// the columns where NULL is an answer) is an error naming the column,
// never a zero read as a value.
func read[T any](ctx context.Context, w *Warehouse, kind, sql string, params map[string]any) ([]T, error) {
	it, id, err := w.run(ctx, kind, sql, params)
	if err != nil {
		return nil, err
	}
	var out []T
	for {
		var v T
		err := it.Next(&v)
		if errors.Is(err, iterator.Done) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("query job %s: read: %w", id, err)
		}
		if len(out) == 0 {
			// The client leaves a field without a column at its zero
			// value: a column missing from the answer must not read as 0.
			if err := covers(it.Schema, reflect.TypeFor[T]()); err != nil {
				return nil, fmt.Errorf("query job %s: %w", id, err)
			}
		}
		out = append(out, v)
	}
}

// covers checks that schema has a column for every field of struct type t,
// matched as the client matches them (the tag, else the field's name, in
// any case).
func covers(schema bq.Schema, t reflect.Type) error {
	have := map[string]bool{}
	for _, f := range schema {
		have[strings.ToLower(f.Name)] = true
	}
	for f := range t.Fields() {
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			// An embedded struct's fields are the row's, as the client
			// reads them.
			if err := covers(schema, f.Type); err != nil {
				return err
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("bigquery"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if !have[strings.ToLower(name)] {
			return fmt.Errorf("the answer has no column %s (%s)", name, f.Type)
		}
	}
	return nil
}

// run starts sql as a query job with named parameters and returns the
// iterator over its rows and the job's id.
func (w *Warehouse) run(ctx context.Context, kind, sql string, params map[string]any) (*bq.RowIterator, string, error) {
	q := w.client.Query(sql)
	q.Location = w.location
	q.JobIDConfig = bq.JobIDConfig{JobID: "jobpulse_" + kind, AddJobIDSuffix: true}
	q.Labels = map[string]string{"app": "jobpulse", "step": labelValue(kind)}
	for name, v := range params {
		q.Parameters = append(q.Parameters, bq.QueryParameter{Name: name, Value: v})
	}
	job, err := q.Run(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("start query job: %w", err)
	}
	it, err := job.Read(ctx)
	if err != nil {
		return nil, job.ID(), fmt.Errorf("query job %s: %w", job.ID(), err)
	}
	return it, job.ID(), nil
}

// each runs a query like query, handing each row to fn as it is read
// rather than holding them all (the dashboard's snapshot reads a row per
// posting).
func (w *Warehouse) each(ctx context.Context, kind, sql string, params map[string]any, fn func(map[string]bq.Value) error) error {
	it, id, err := w.run(ctx, kind, sql, params)
	if err != nil {
		return err
	}
	for {
		row := map[string]bq.Value{}
		err := it.Next(&row)
		if errors.Is(err, iterator.Done) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("query job %s: read: %w", id, err)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

func isConflict(err error) bool { return httpCode(err) == http.StatusConflict }

// httpCode is the HTTP status of an API error (0 for other errors).
func httpCode(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}

// nonce is a short random suffix for per-load table names.
func nonce() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// labelValue makes s a valid label value (lowercase letters, digits,
// underscores and dashes, at most 63 characters): a run id such as
// 2024-05-01T10 in a job kind has an upper-case T.
func labelValue(s string) string {
	s = strings.ToLower(ident(s))
	if len(s) > 63 {
		return s[:63]
	}
	return s
}

// ident makes s safe inside a table name (letters, digits, underscores).
func ident(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() > 60 {
		return b.String()[:60]
	}
	return b.String()
}
