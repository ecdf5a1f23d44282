package bigquery

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bq "cloud.google.com/go/bigquery"

	"jobpulse/pkg/saramin/codes"
	"jobpulse/pkg/warehouse"
)

var metaVersionsSQL = statements.Get("meta_versions")

// metaTable is one meta table's rows (warehouse.MetaTables).
type metaTable struct {
	name string
	rows []map[string]any
}

func metaTables(t *codes.Tables) []metaTable {
	var out []metaTable
	for _, m := range warehouse.MetaTables(t) {
		out = append(out, metaTable{name: m.Name, rows: m.Rows})
	}
	return out
}

// metaSchema is the schema Ensure gives the meta table name.
func metaSchema(name string) bq.Schema {
	for _, t := range tables() {
		if t.dataset == "meta" && t.name == name {
			return t.schema
		}
	}
	panic("bigquery: no meta table " + name)
}

// ndjson encodes the rows one JSON object a line (maps marshal with sorted
// keys) and hashes them with the table's schema, so a changed column type
// loads the table again too.
func (m metaTable) ndjson() (data []byte, hash string, err error) {
	var buf bytes.Buffer
	for _, r := range m.rows {
		b, err := json.Marshal(r)
		if err != nil {
			return nil, "", err
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	schema, err := metaSchema(m.name).ToJSONFields()
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(append(append(schema, '\n'), buf.Bytes()...))
	return buf.Bytes(), hex.EncodeToString(sum[:]), nil
}

// metaVersion is one row of meta.versions.
type metaVersion struct {
	Table    string    `bigquery:"table_name"`
	Hash     string    `bigquery:"hash"`
	Rows     int64     `bigquery:"rows"`
	LoadedAt time.Time `bigquery:"loaded_at"`
}

// RefreshMeta loads the code tables shipped in the binary into the meta
// tables. A table is replaced only when the sha256 of its rows (and
// schema) differs from the one meta.versions holds: one load job per
// changed table from an in-memory NDJSON reader, WRITE_TRUNCATE, so each
// table is replaced atomically (never row by row). meta.versions is then
// rewritten the same way. Ensure calls it.
//
// Unlike DuckDB, the tables are not replaced in one transaction with each
// other (load jobs cannot join one), and core is not rebuilt when a code
// table changes: names in core follow the new codes for postings loaded
// after the change (README.md).
func (w *Warehouse) RefreshMeta(ctx context.Context) error {
	if err := w.refreshMeta(ctx); err != nil {
		return fmt.Errorf("bigquery.RefreshMeta: %w", err)
	}
	return nil
}

func (w *Warehouse) refreshMeta(ctx context.Context) error {
	t, err := codes.Load()
	if err != nil {
		return err
	}
	rows, err := read[metaVersion](ctx, w, "meta_versions", metaVersionsSQL, nil)
	if err != nil {
		return fmt.Errorf("read meta.versions: %w", err)
	}
	old := map[string]metaVersion{}
	for _, v := range rows {
		old[v.Table] = v
	}
	now := w.now().UTC().Truncate(time.Microsecond)
	var versions bytes.Buffer
	changed := false
	for _, m := range metaTables(t) {
		data, hash, err := m.ndjson()
		if err != nil {
			return fmt.Errorf("meta.%s: %w", m.name, err)
		}
		v := old[m.name]
		if v.Hash != hash {
			if err := w.loadMeta(ctx, m.name, metaSchema(m.name), data); err != nil {
				return err
			}
			v = metaVersion{Table: m.name, Hash: hash, Rows: int64(len(m.rows)), LoadedAt: now}
			changed = true
		}
		b, err := json.Marshal(map[string]any{"table_name": v.Table, "hash": v.Hash, "rows": v.Rows,
			"loaded_at": v.LoadedAt.UTC().Format("2006-01-02 15:04:05.000000 UTC")})
		if err != nil {
			return err
		}
		versions.Write(b)
		versions.WriteByte('\n')
	}
	if !changed {
		return nil
	}
	// Written last: a failure before leaves the old hashes, and the next
	// Ensure loads the tables again.
	return w.loadMeta(ctx, "versions", metaSchema("versions"), versions.Bytes())
}

// loadMeta replaces meta.<name> with data (NDJSON) by one load job.
func (w *Warehouse) loadMeta(ctx context.Context, name string, schema bq.Schema, data []byte) error {
	src := bq.NewReaderSource(bytes.NewReader(data))
	src.SourceFormat = bq.JSON
	src.Schema = schema
	src.MaxBadRecords = 0
	l := w.client.Dataset("meta").Table(name).LoaderFrom(src)
	l.Location = w.location
	l.CreateDisposition = bq.CreateNever
	l.WriteDisposition = bq.WriteTruncate
	l.JobIDConfig = bq.JobIDConfig{JobID: "jobpulse_meta_" + name, AddJobIDSuffix: true}
	l.Labels = map[string]string{"app": "jobpulse", "step": "meta"}
	job, err := l.Run(ctx)
	if err != nil {
		return fmt.Errorf("meta.%s: start load job: %w", name, err)
	}
	st, err := job.Wait(ctx)
	if err == nil {
		err = st.Err()
	}
	if err != nil {
		return fmt.Errorf("meta.%s: load job %s: %w", name, job.ID(), err)
	}
	return nil
}
