package dashboardtest_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"jobpulse/pkg/dashboard/dashboardtest"
)

func TestGenerate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	end := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	if err := dashboardtest.Generate(ctx, path, 20000, 365, end, 0.42); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, roles, provinces, industries, open int
	var synthetic bool
	var first, last time.Time
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT role), count(DISTINCT province), count(DISTINCT industry_category),
		bool_and(synthetic), min(posted_date), max(posted_date) FROM core.recruit`).Scan(&n, &roles, &provinces, &industries, &synthetic, &first, &last); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT open_postings FROM core.open_postings_daily WHERE role = 'all' ORDER BY date DESC LIMIT 1`).Scan(&open); err != nil {
		t.Fatal(err)
	}
	var stillOpen int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM core.recruit WHERE is_open`).Scan(&stillOpen); err != nil {
		t.Fatal(err)
	}
	if n != 20000 || roles != 4 || provinces < 10 || industries < 5 || !synthetic {
		t.Errorf("%d postings, %d roles, %d provinces, %d industries, synthetic %v", n, roles, provinces, industries, synthetic)
	}
	if last.Sub(first) < 360*24*time.Hour || last.After(end.Add(9*time.Hour)) {
		t.Errorf("posted from %v to %v; want a year up to %v", first, last, end)
	}
	if open != stillOpen {
		t.Errorf("open postings on the last day %d; %d are open", open, stillOpen)
	}
}
