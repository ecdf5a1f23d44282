package duckdb_test

import (
	"context"
	"database/sql"
	"testing"

	"jobpulse/pkg/warehouse"
)

// TestExperienceSQL: the SQL form of the experience levels gives what the
// Go form gives, for every code the table holds, codes it does not, and
// every boundary of the years asked.
func TestExperienceSQL(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := func(v int64) *int64 { return &v }
	tests := []struct {
		code, min *int64
		want      string
	}{
		{p(0), nil, "any"}, {p(0), p(3), "any"}, {p(1), nil, "entry"}, {p(3), p(2), "entry_or_experienced"},
		{p(2), nil, "experienced_lt3"}, {p(2), p(0), "experienced_lt3"}, {p(2), p(2), "experienced_lt3"},
		{p(2), p(3), "experienced_3_5"}, {p(2), p(4), "experienced_3_5"}, {p(2), p(5), "experienced_5_10"},
		{p(2), p(9), "experienced_5_10"}, {p(2), p(10), "experienced_10"}, {p(2), p(20), "experienced_10"},
		{p(4), nil, ""}, {nil, nil, ""}, {nil, p(3), ""},
	}
	for _, tt := range tests {
		var got string
		q := `SELECT ` + warehouse.ExperienceSQL + ` FROM (SELECT CAST(? AS BIGINT) AS experience_code, CAST(? AS BIGINT) AS experience_min)`
		if err := db.QueryRowContext(context.Background(), q, tt.code, tt.min).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if gofn := warehouse.Experience(tt.code, tt.min); got != tt.want || gofn != tt.want {
			t.Errorf("code %v min %v: SQL %q, Go %q, want %q", deref(tt.code), deref(tt.min), got, gofn, tt.want)
		}
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
