package duckdb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"jobpulse/pkg/saramin/codes"
	"jobpulse/pkg/warehouse"
)

// metaTable is one meta table with its from_json shape.
type metaTable struct {
	name  string
	shape map[string]string
	rows  []map[string]any
}

// metaTables gives the meta tables' rows (warehouse.MetaTables) with
// DuckDB types.
func metaTables(t *codes.Tables) []metaTable {
	types := map[string]string{"": "VARCHAR", "bool": "BOOLEAN", "int": "BIGINT"}
	var out []metaTable
	for _, m := range warehouse.MetaTables(t) {
		shape := map[string]string{}
		for _, c := range m.Columns {
			shape[c] = types[m.Kinds[c]]
		}
		out = append(out, metaTable{name: m.Name, shape: shape, rows: m.Rows})
	}
	return out
}

// RefreshMeta loads the code tables shipped in the binary into the meta
// tables. A table is replaced (delete and full insert) only when the sha256
// of its rows differs from the one meta.versions recorded; when any table
// changed, core is rebuilt from external so names follow the new codes.
// The tables are replaced in one transaction, core is rebuilt a chunk of
// postings at a time (rebuildAll), and the new versions are recorded only
// after it: a rebuild cut short (a crash, a failure) leaves the versions
// unrecorded, so the next RefreshMeta or Ensure replaces the tables and
// rebuilds again. Ensure calls it.
func (w *Warehouse) RefreshMeta(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.refreshMeta(ctx, false); err != nil {
		return fmt.Errorf("duckdb.RefreshMeta: %w", err)
	}
	return nil
}

// refreshMeta replaces the changed meta tables and rebuilds core when any
// changed or when rebuild is set (Ensure added a column: every version is
// then forgotten first, so that a rebuild cut short is done again).
func (w *Warehouse) refreshMeta(ctx context.Context, rebuild bool) error {
	t, err := codes.Load()
	if err != nil {
		return err
	}
	var versions []metaVersion
	err = w.inTxErr(ctx, func(tx *sql.Tx) error {
		if rebuild {
			if _, err := tx.ExecContext(ctx, `DELETE FROM meta.versions`); err != nil {
				return fmt.Errorf("forget versions: %w", err)
			}
		}
		for _, m := range metaTables(t) {
			v, err := w.replaceMeta(ctx, tx, m)
			if err != nil {
				return fmt.Errorf("meta.%s: %w", m.name, err)
			}
			if v != nil {
				versions = append(versions, *v)
			}
		}
		return nil
	})
	if err != nil || len(versions) == 0 {
		return err
	}
	if err := w.rebuildAll(ctx); err != nil {
		return fmt.Errorf("rebuild core: %w", err)
	}
	return w.inTxErr(ctx, func(tx *sql.Tx) error {
		for _, v := range versions {
			if _, err := tx.ExecContext(ctx, recordMetaVersionSQL, sql.Named("table", v.table), sql.Named("hash", v.hash),
				sql.Named("rows", v.rows), sql.Named("loaded_at", w.now().UTC())); err != nil {
				return fmt.Errorf("record version of meta.%s: %w", v.table, err)
			}
		}
		return nil
	})
}

// metaVersion is a meta table's content hash, recorded in meta.versions.
type metaVersion struct {
	table, hash string
	rows        int64
}

// replaceMeta replaces one meta table when its rows changed, returning
// the version to record then (nil when unchanged).
func (w *Warehouse) replaceMeta(ctx context.Context, tx *sql.Tx, m metaTable) (*metaVersion, error) {
	rows, err := json.Marshal(m.rows) // maps marshal with sorted keys: a stable hash
	if err != nil {
		return nil, err
	}
	shape, err := json.Marshal([]map[string]string{m.shape})
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append(append(shape, '\n'), rows...))
	hash := hex.EncodeToString(sum[:])
	var old string
	err = tx.QueryRowContext(ctx, metaVersionSQL, sql.Named("table", m.name)).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read version: %w", err)
	}
	if old == hash {
		return nil, nil
	}
	if _, err := tx.ExecContext(ctx, strings.ReplaceAll(deleteMetaSQL, "{{table}}", m.name)); err != nil {
		return nil, fmt.Errorf("delete: %w", err)
	}
	if len(m.rows) > 0 {
		if _, err := tx.ExecContext(ctx, strings.ReplaceAll(replaceMetaSQL, "{{table}}", m.name),
			sql.Named("rows", string(rows)), sql.Named("shape", string(shape))); err != nil {
			return nil, fmt.Errorf("insert: %w", err)
		}
	}
	return &metaVersion{table: m.name, hash: hash, rows: int64(len(m.rows))}, nil
}
