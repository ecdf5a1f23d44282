package duckdb_test

import (
	"path/filepath"
	"strings"
	"testing"

	"jobpulse/pkg/warehouse/duckdb"
)

// A file whose external.recruit_table predates the clean rows' skills is
// named as an older layout, with what to do, rather than failing at the
// first load.
func TestEnsureNamesALayoutWithoutSkills(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	w, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB().ExecContext(ctx, `CREATE SCHEMA external; CREATE TABLE external.recruit_table (id VARCHAR PRIMARY KEY, modified_at TIMESTAMPTZ)`); err != nil {
		t.Fatal(err)
	}
	err = w.Ensure(ctx)
	w.Close()
	if err == nil || !strings.Contains(err.Error(), "external.recruit_table has no skills column") || !strings.Contains(err.Error(), "delete it") {
		t.Fatalf("Ensure on a layout without skills: %v", err)
	}
}
