package duckdb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// TestSnapshotLifetime: each posting's days open and how it ended, loaded
// through the loader's own path, with the warehouse clock at the window's
// end ten days after the postings.
func TestSnapshotLifetime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, path := ensuredFile(t)
	posted := time.Date(2026, 9, 7, 3, 0, 0, 0, time.UTC) // 12:00 KST
	days := func(n int) time.Time { return posted.Add(time.Duration(n) * 24 * time.Hour) }
	placeholder := time.Date(2033, 1, 1, 0, 0, 0, 0, time.UTC)
	no := false
	type spec struct {
		id        string
		modified  int // days after posting of the version loaded
		closeType string
		expires   *time.Time
		inactive  bool
		expCode   int64
		expMin    int64
	}
	at := func(n int) *time.Time { t := days(n); return &t }
	specs := []spec{
		{"open", 1, "1", at(30), false, 1, 0},          // open at the clock: 10 days, censored
		{"expired", 1, "1", at(5), false, 2, 5},        // its deadline passed by the clock: closed at it
		{"early", 2, "1", at(30), true, 2, 1},          // closed by the API on day 2, deadline day 30
		{"hire", 3, "2", &placeholder, true, 0, 0},     // 채용시, closed on day 3: no deadline to compare
		{"rolling", 1, "3", &placeholder, false, 3, 0}, // 상시채용, still open
		{"nodeadline", 4, "", nil, true, 2, 12},        // no expiration at all, closed on day 4
	}
	var rows []saramin.Posting
	for _, s := range specs {
		p := warehousetest.Posting(s.id, "데이터 엔지니어", days(s.modified), "r1")
		p.PostedAt = posted
		p.CloseTypeCode, p.ExpiresAt = s.closeType, s.expires
		if s.inactive {
			p.Active = &no
		}
		c, m := s.expCode, s.expMin
		p.ExperienceCode, p.ExperienceMin = &c, &m
		rows = append(rows, p)
	}
	lake := warehousetest.Lake{"r1": warehousetest.NDJSON(rows...)}
	batch := warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"r1"}, Rows: len(rows), WindowFrom: posted, WindowTo: days(10)}
	if _, err := w.LoadRecruit(ctx, batch, lake); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got []string
	_, err := duckdb.NewFileSnapshotter(path).Snapshot(ctx, warehouse.PostingFunc(func(l *warehouse.SnapshotPosting) error {
		got = append(got, fmt.Sprintf("%s %s %s %d days %s ×1", l.Date.Format(time.DateOnly), l.Role, l.Experience, l.Days, l.Ended))
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{
		"2026-09-07 data_engineer any 3 days closed ×1",                   // hire: closed on day 3, placeholder expiration
		"2026-09-07 data_engineer entry 10 days open ×1",                  // open: the clock's day less the posting day
		"2026-09-07 data_engineer entry_or_experienced 10 days open ×1",   // rolling: open, placeholder expiration
		"2026-09-07 data_engineer experienced_10 4 days closed ×1",        // nodeadline
		"2026-09-07 data_engineer experienced_5_10 5 days expired ×1",     // expired at its deadline, day 5
		"2026-09-07 data_engineer experienced_lt3 2 days closed_early ×1", // early: closed on day 2 of 30
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lifetime rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
