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
)

// metaTable is one meta table as the code tables give it: rows as JSON
// objects (keys = columns) and their from_json shape.
type metaTable struct {
	name  string
	shape map[string]string
	rows  []map[string]any
}

// metaTables turns the code tables into the meta tables' rows. Empty
// strings become NULL; salary bounds of 0 (the code tables' "none") too,
// except a band's lower bound of 0 (1,400 만원 이하).
func metaTables(t *codes.Tables) []metaTable {
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	entry := "code name source note"
	entries := func(name string, es []codes.Entry) metaTable {
		m := metaTable{name: name, shape: varchars(entry)}
		for _, e := range es {
			m.rows = append(m.rows, map[string]any{"code": e.Code, "name": str(e.Name), "source": str(e.Source), "note": str(e.Note)})
		}
		return m
	}
	loc := metaTable{name: "location", shape: varchars("code province_code province name full_name source note")}
	loc.shape["is_province"] = "BOOLEAN"
	for _, l := range t.Locations {
		loc.rows = append(loc.rows, map[string]any{"code": l.Code, "province_code": l.ProvinceCode, "province": l.Province,
			"name": l.Name, "full_name": l.FullName(), "is_province": l.IsProvince(), "source": str(l.Source), "note": str(l.Note)})
	}
	ind := metaTable{name: "industries", shape: varchars("code name category_code source note")}
	for _, in := range t.Industries {
		ind.rows = append(ind.rows, map[string]any{"code": in.Code, "name": str(in.Name), "category_code": str(in.CategoryCode),
			"source": str(in.Source), "note": str(in.Note)})
	}
	jobs := metaTable{name: "job_codes", shape: varchars("code name job_mid_code source note")}
	for _, j := range t.JobCodes {
		jobs.rows = append(jobs.rows, map[string]any{"code": j.Code, "name": str(j.Name), "job_mid_code": str(j.JobMidCode),
			"source": str(j.Source), "note": str(j.Note)})
	}
	sal := metaTable{name: "salary", shape: varchars("code name source note")}
	sal.shape["min_manwon"], sal.shape["max_manwon"] = "BIGINT", "BIGINT"
	for _, s := range t.Salaries {
		var lo, hi any
		if s.MaxManwon > 0 {
			lo, hi = s.MinManwon, s.MaxManwon
		} else if s.MinManwon > 0 {
			lo = s.MinManwon // open-ended band (1억원 이상)
		}
		sal.rows = append(sal.rows, map[string]any{"code": s.Code, "name": str(s.Name), "min_manwon": lo, "max_manwon": hi,
			"source": str(s.Source), "note": str(s.Note)})
	}
	return []metaTable{
		loc, ind,
		entries("industry_categories", t.IndustryCategories),
		entries("job_mid", t.JobMids),
		jobs,
		entries("experiences", t.Experiences),
		entries("education", t.Educations),
		entries("job_types", t.JobTypes),
		sal,
		entries("close_types", t.CloseTypes),
	}
}

func varchars(cols string) map[string]string {
	m := map[string]string{}
	for _, c := range strings.Fields(cols) {
		m[c] = "VARCHAR"
	}
	return m
}

// RefreshMeta loads the code tables shipped in the binary into the meta
// tables. A table is replaced (delete and full insert) only when the sha256
// of its rows differs from the one meta.versions recorded; when any table
// changed, core is rebuilt from external so names follow the new codes. All
// of it is one transaction. Ensure calls it.
func (w *Warehouse) RefreshMeta(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.refreshMeta(ctx); err != nil {
		return fmt.Errorf("duckdb.RefreshMeta: %w", err)
	}
	return nil
}

func (w *Warehouse) refreshMeta(ctx context.Context) (err error) {
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
	changed := false
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
