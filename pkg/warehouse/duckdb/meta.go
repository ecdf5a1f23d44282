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
// changed, core is rebuilt from external so names follow the new codes. All
// of it is one transaction. Ensure calls it.
func (w *Warehouse) RefreshMeta(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.refreshMeta(ctx, false); err != nil {
		return fmt.Errorf("duckdb.RefreshMeta: %w", err)
	}
	return nil
}

// refreshMeta replaces the changed meta tables and rebuilds core when any
// changed or when rebuild is set (Ensure added a column).
func (w *Warehouse) refreshMeta(ctx context.Context, rebuild bool) (err error) {
	t, err := codes.Load()
	if err != nil {
		return err
	}
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	changed := rebuild
	for _, m := range metaTables(t) {
		c, err := w.replaceMeta(ctx, tx, m)
		if err != nil {
			return fmt.Errorf("meta.%s: %w", m.name, err)
		}
		changed = changed || c
	}
	if changed {
		if err := w.rebuildAll(ctx, tx); err != nil {
			return fmt.Errorf("rebuild core: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// replaceMeta replaces one meta table when its rows changed and reports
// whether it did.
func (w *Warehouse) replaceMeta(ctx context.Context, tx *sql.Tx, m metaTable) (bool, error) {
	rows, err := json.Marshal(m.rows) // maps marshal with sorted keys: a stable hash
	if err != nil {
		return false, err
	}
	shape, err := json.Marshal([]map[string]string{m.shape})
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(append(append(shape, '\n'), rows...))
	hash := hex.EncodeToString(sum[:])
	var old string
	err = tx.QueryRowContext(ctx, metaVersionSQL, sql.Named("table", m.name)).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("read version: %w", err)
	}
	if old == hash {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, strings.ReplaceAll(deleteMetaSQL, "{{table}}", m.name)); err != nil {
		return false, fmt.Errorf("delete: %w", err)
	}
	if len(m.rows) > 0 {
		if _, err := tx.ExecContext(ctx, strings.ReplaceAll(replaceMetaSQL, "{{table}}", m.name),
			sql.Named("rows", string(rows)), sql.Named("shape", string(shape))); err != nil {
			return false, fmt.Errorf("insert: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, recordMetaVersionSQL, sql.Named("table", m.name), sql.Named("hash", hash),
		sql.Named("rows", int64(len(m.rows))), sql.Named("loaded_at", w.now().UTC())); err != nil {
		return false, fmt.Errorf("record version: %w", err)
	}
	return true, nil
}
