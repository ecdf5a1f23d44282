package duckdb_test

import (
	"database/sql"
	"strings"
	"testing"
)

// The trends and certification loads are cases of the shared contract
// (warehousetest.RunContract, run by TestContract).

func tableHash(t *testing.T, w interface{ DB() *sqlDB }, tables ...string) string {
	t.Helper()
	var out []string
	for _, table := range tables {
		var n int
		var h string
		q := `SELECT count(*), coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)), '') FROM ` + table + ` x`
		if err := w.DB().QueryRowContext(ctx, q).Scan(&n, &h); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, table+":"+h)
	}
	return strings.Join(out, ",")
}

type sqlDB = sql.DB
