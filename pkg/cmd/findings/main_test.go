package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/dashboard/dashboardtest"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// fixture is a synthetic warehouse of 60 weeks in which search interest
// in 데이터 엔지니어 repeats the data engineers' weekly postings four weeks
// later, and 정보처리기사 has one year of statistics.
func fixture(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	end := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	if err := dashboardtest.Generate(ctx, path, 20_000, 420, end, 0.3); err != nil {
		t.Fatal(err)
	}
	w, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.DB().QueryContext(ctx, `SELECT date_trunc('week', posted_date)::DATE, count(*) FROM core.recruit
		WHERE role = 'data_engineer' GROUP BY 1 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[time.Time]int{}
	var first, last time.Time
	for rows.Next() {
		var week time.Time
		var n int
		if err := rows.Scan(&week, &n); err != nil {
			t.Fatal(err)
		}
		counts[week] = n
		if first.IsZero() {
			first = week
		}
		last = week
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	// A Trends week starts the Sunday before the postings week it is
	// compared with.
	window := first.AddDate(0, 0, -1).Format(time.DateOnly) + " " + last.Format(time.DateOnly)
	var trends []any
	for i, week := 0, first.AddDate(0, 0, 28); !week.After(last); i, week = i+1, week.AddDate(0, 0, 7) {
		interest := 10*counts[week.AddDate(0, 0, -28)] + i%3
		trends = append(trends, warehousetest.TrendRow("데이터 엔지니어", week.AddDate(0, 0, -1).Format(time.DateOnly), window, interest, 1))
	}
	lake := warehousetest.Lake{"trend": warehousetest.NDJSON(trends...),
		"cert": warehousetest.NDJSON(warehousetest.Stat("정보처리기사", 2025, 1000, 300))}
	if _, err := w.LoadTrends(ctx, warehouse.Batch{Source: source.Trends, RunID: "t1", Objects: []string{"trend"}, Rows: len(trends)}, lake); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c1", Objects: []string{"cert"}, Rows: 1, WindowTo: end}, lake); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFindings: the command writes into the README's block exactly what
// the dashboard's Store renders from the warehouse, touches nothing
// else, and -check tells a stale block from a current one.
func TestFindings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := fixture(t)
	readme := filepath.Join(t.TempDir(), "README.md")
	before, after := "# Title\n\nText before.\n\n", "\nText after.\n"
	if err := os.WriteFile(readme, []byte(before+dashboard.FindingsBlock.Begin()+"\n- old, by hand\n"+dashboard.FindingsBlock.End()+"\n"+after), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-warehouse", path, "-readme", readme}
	var out bytes.Buffer
	if err := realMain(ctx, args, &out); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	store := dashboard.NewStore(duckdb.NewFileSnapshotter(path), slog.New(slog.DiscardHandler))
	if _, err := store.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	want, err := store.Findings(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if string(written) != before+want+after {
		t.Errorf("README written\n%s\nwant\n%s", written, before+want+after)
	}
	t.Logf("findings:\n%s", want)
	for _, s := range []string{
		"**synthetic**",
		"- **Data engineers** against search interest in 데이터 엔지니어: over the ",
		"postings moving 4 weeks ahead of interest (r=",
		"the same at each of the last 4 weekly cut-offs.",
		"- **Data analysts** against search interest in 데이터 엔지니어",
		"- **Regions**: postings list ",
		"- **정보처리기사 in 2025**: written (필기) stage 1,010 applicants (접수자), 1,000 examinees (응시자), 300 passers (합격자), pass rate 30.0%.",
	} {
		if !strings.Contains(want, s) {
			t.Errorf("the findings lack %q", s)
		}
	}

	// Again: nothing changes; -check agrees.
	out.Reset()
	if err := realMain(ctx, args, &out); err != nil || !strings.Contains(out.String(), "already") {
		t.Errorf("second run: %v, %q", err, out.String())
	}
	if err := realMain(ctx, append(args, "-check"), &out); err != nil {
		t.Errorf("-check over a current README: %v", err)
	}
	// A block edited by hand is stale, and -check leaves it alone.
	stale := bytes.Replace(written, []byte("**Data engineers**"), []byte("**Data engineers (edited)**"), 1)
	if err := os.WriteFile(readme, stale, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := realMain(ctx, append(args, "-check"), &out); !errors.Is(err, errStale) {
		t.Errorf("-check over an edited block: %v; want errStale", err)
	}
	if got, _ := os.ReadFile(readme); !bytes.Equal(got, stale) {
		t.Error("-check rewrote the README")
	}
	// A README without the markers is an error, not a silent no-op.
	if err := os.WriteFile(readme, []byte("# Title\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := realMain(ctx, args, &out); err == nil || !strings.Contains(err.Error(), "findings:begin") {
		t.Errorf("README without markers: %v", err)
	}
}
