package duckdb_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/cert"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// TestSnapshotRegions: a posting listing several regions has each
// distinct region once, in the order listed, split into province and
// district; a posting without regions has one, its province.
// The certification rounds come with every count, the pass rate and the
// source.
func TestSnapshotRegions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, path := ensuredFile(t)
	day := time.Date(2026, 9, 7, 3, 0, 0, 0, time.UTC)
	regions := map[string][]string{
		"1": {"101010", "101020", "102010", "101010"}, // 서울 강남구, 강동구, 경기 가평군, 강남구 again
		"2": {"102010", "101010"},                     // 경기 first
		"3": nil,
	}
	var rows []saramin.Posting
	for _, id := range []string{"1", "2", "3"} {
		p := warehousetest.Posting(id, "데이터 엔지니어", day, "r1")
		p.LocationCodes, p.LocationNames = regions[id], nil
		rows = append(rows, p)
	}
	lake := warehousetest.Lake{"r1": warehousetest.NDJSON(rows...)}
	if _, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"r1"}, Rows: len(rows)}, lake); err != nil {
		t.Fatal(err)
	}
	written := warehousetest.Stat("정보처리기사", 2025, 1000, 300)
	practical := warehousetest.Stat("정보처리기사", 2025, 800, 200)
	practical.Stage, practical.Applicants, practical.PassRate = cert.StagePractical, 0, cert.Rate(200, 800)
	lake["cert"] = warehousetest.NDJSON(written, practical)
	if _, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c1", Objects: []string{"cert"}, Rows: 2, WindowTo: day}, lake); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	var got []string
	snap, err := duckdb.NewFileSnapshotter(path).Snapshot(ctx, warehouse.PostingFunc(func(p *warehouse.SnapshotPosting) error {
		got = append(got, fmt.Sprint(p.Regions))
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{
		"[{ }]", // 3: no region, its province (none)
		"[{경기 가평군} {서울 강남구}]",          // 2: 경기 first
		"[{서울 강남구} {서울 강동구} {경기 가평군}]", // 1: 강남구 once though listed twice
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("regions\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	if len(snap.Certs) != 2 {
		t.Fatalf("certs = %+v", snap.Certs)
	}
	slices.SortFunc(snap.Certs, func(a, b warehouse.CertRow) int { return strings.Compare(b.Stage, a.Stage) })
	w0, p0 := snap.Certs[0], snap.Certs[1]
	if w0.Stage != "필기" || w0.Applicants == nil || *w0.Applicants != 1010 || *w0.Examinees != 1000 || *w0.Passers != 300 ||
		w0.PassRate == nil || *w0.PassRate != 30 || w0.Source != "https://example.invalid" || w0.Quality != "official" || w0.Round != 0 {
		t.Errorf("written stage %+v", w0)
	}
	if p0.Stage != "실기" || p0.Applicants != nil || *p0.Examinees != 800 || *p0.Passers != 200 || *p0.PassRate != 25 {
		t.Errorf("practical stage %+v; want applicants unpublished (nil)", p0)
	}
}

// TestSnapshotPostingsInBatches: postings read in several batches reach
// the sink once each, by day; a sink that fails stops the read with its
// error, and the snapshot is not returned.
func TestSnapshotPostingsInBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, path := ensuredFile(t)
	const n = 5000 // several of the reader's batches
	base := time.Date(2026, 9, 7, 3, 0, 0, 0, time.UTC)
	var rows []saramin.Posting
	for i := range n {
		// Days in no order: the read orders them.
		rows = append(rows, warehousetest.Posting(fmt.Sprintf("%05d", i), "데이터 엔지니어", base.Add(time.Duration((i*37)%90)*24*time.Hour), "r1"))
	}
	lake := warehousetest.Lake{"r1": warehousetest.NDJSON(rows...)}
	if _, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"r1"}, Rows: n}, lake); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s := duckdb.NewFileSnapshotter(path)

	var days []time.Time
	if _, err := s.Snapshot(ctx, warehouse.PostingFunc(func(p *warehouse.SnapshotPosting) error {
		days = append(days, p.Date)
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	if len(days) != n {
		t.Fatalf("%d postings reached the sink, want %d", len(days), n)
	}
	if !slices.IsSortedFunc(days, time.Time.Compare) {
		t.Error("postings not by day")
	}

	for _, stop := range []int{1, 1500, n} {
		failed := errors.New("sink full")
		seen := 0
		snap, err := s.Snapshot(ctx, warehouse.PostingFunc(func(*warehouse.SnapshotPosting) error {
			if seen++; seen == stop {
				return failed
			}
			return nil
		}))
		if !errors.Is(err, failed) || snap != nil || seen != stop {
			t.Errorf("sink failing at posting %d: snapshot %v, error %v, %d postings passed; want its error, no snapshot, nothing after", stop, snap != nil, err, seen)
		}
	}
}
