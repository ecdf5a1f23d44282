package bigquery

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

// snapshotResults are the fake's answers to the snapshot's queries, keyed
// by their first lines.
func snapshotResults() map[string]fakeResult {
	return map[string]fakeResult{
		"-- Postings, one row each by posting day": {
			fields: []string{"date", "role", "entry", "province", "industry", "industry_detail", "experience", "regions", "skills", "days", "ended"},
			types:  []string{"DATE", "STRING", "BOOLEAN", "STRING", "STRING", "STRING", "STRING", "STRING[]", "STRING[]", "INTEGER", "STRING"},
			rows: [][]any{
				{"2026-11-20", "data_engineer", true, "서울", "IT·웹·통신", "솔루션·SI·ERP·CRM", "experienced_3_5",
					[]string{"서울 > 강남구", "서울 > 서초구", "서울 > 강남구", "경기 > 성남시 분당구"}, []string{"Spark", "Python"}, 12, "closed_early"},
				{"2026-11-21", "other", false, "부산", "", "", "", []string{}, []string{}, 0, "open"},
			}},
		"-- Open postings per day": {
			fields: []string{"date", "role", "open_postings"}, types: []string{"DATE", "STRING", "INTEGER"},
			rows: [][]any{{"2026-11-20", "all", 40}, {"2026-11-20", "data_engineer", 4}}},
		"-- Search interest": {
			fields: []string{"keyword", "period", "interest_scaled", "is_partial", "anchor"}, types: []string{"STRING", "DATE", "FLOAT", "BOOLEAN", "STRING"},
			rows: [][]any{{"데이터 엔지니어", "2026-11-15", 51.5, false, "데이터 분석"}, {"데이터 엔지니어", "2026-11-22", nil, true, "데이터 분석"}}},
		"-- Certification rounds": {
			fields: []string{"exam", "stage", "year", "round", "applicants", "examinees", "passers", "pass_rate", "quality", "source", "synthetic"},
			types:  []string{"STRING", "STRING", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "FLOAT", "STRING", "STRING", "BOOLEAN"},
			rows:   [][]any{{"ADsP", "전체", 2025, 0, nil, 12000, 4200, 35.0, "official", "https://example.invalid/adsp", false}}},
		"-- Snapshot facts": {
			fields: []string{"postings", "synthetic", "saramin", "trends", "cert"}, types: []string{"INTEGER", "BOOLEAN", "TIMESTAMP", "TIMESTAMP", "TIMESTAMP"},
			rows: [][]any{{9, true, "1764032400000000", nil, "1764028800000000"}}},
	}
}

// TestSnapshot reads the dashboard's aggregates through the real client
// library from a server answering as BigQuery does.
func TestSnapshot(t *testing.T) {
	f := newFakeBQ(t)
	f.rows = snapshotResults()
	w := f.open(t)
	var got []warehouse.SnapshotPosting
	snap, err := w.Snapshot(context.Background(), warehouse.PostingFunc(func(p *warehouse.SnapshotPosting) error {
		c := *p
		c.Regions, c.Skills = slices.Clone(p.Regions), slices.Clone(p.Skills)
		got = append(got, c)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	want := []warehouse.SnapshotPosting{
		{Date: day("2026-11-20"), Role: "data_engineer", Entry: true, Province: "서울", Industry: "IT·웹·통신", IndustryDetail: "솔루션·SI·ERP·CRM",
			Experience: "experienced_3_5", Regions: []warehouse.Region{{Province: "서울", District: "강남구"}, {Province: "서울", District: "서초구"},
				{Province: "경기", District: "성남시 분당구"}},
			Skills: []string{"Spark", "Python"}, Days: 12, Ended: warehouse.EndedEarly},
		// No region listed: its province.
		{Date: day("2026-11-21"), Role: "other", Province: "부산", Regions: []warehouse.Region{{Province: "부산"}}, Skills: []string{}, Ended: warehouse.EndedOpen},
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("postings\n%+v\nwant\n%+v", got, want)
	}
	if len(snap.Open) != 2 || snap.Open[0] != (warehouse.OpenRow{Date: day("2026-11-20"), Role: "all", Open: 40}) {
		t.Errorf("open = %+v", snap.Open)
	}
	if len(snap.Trends) != 2 || snap.Trends[0].Anchor != "데이터 분석" || snap.Trends[0].Interest == nil || *snap.Trends[0].Interest != 51.5 || snap.Trends[0].Partial ||
		snap.Trends[1].Interest != nil || !snap.Trends[1].Partial || !snap.Trends[1].Period.Equal(day("2026-11-22")) {
		t.Errorf("trends = %+v", snap.Trends)
	}
	if c := snap.Certs; len(c) != 1 || c[0].Applicants != nil || c[0].Examinees == nil || *c[0].Examinees != 12000 || c[0].Passers == nil || *c[0].Passers != 4200 ||
		c[0].PassRate == nil || *c[0].PassRate != 35 || c[0].Year != 2025 || c[0].Round != 0 || c[0].Quality != "official" || c[0].Source != "https://example.invalid/adsp" || c[0].Synthetic {
		t.Errorf("certs = %+v", c)
	}
	if snap.Postings != 9 || !snap.Synthetic || len(snap.Loaded) != 2 || !snap.Loaded[source.Saramin].Equal(time.UnixMicro(1764032400000000)) {
		t.Errorf("facts: postings %d synthetic %v loaded %v", snap.Postings, snap.Synthetic, snap.Loaded)
	}
	// The queries read the tables the DuckDB warehouse's read, in this
	// dialect.
	q := snapshotQueries
	for _, c := range []struct{ sql, want string }{
		{q.postings, "FROM `core.recruit`"}, {q.postings, "ORDER BY posted_date"}, {q.open, "`core.open_postings_daily`"},
		{q.postings, "`staging.recruit_loads`"}, {q.postings, "DATE_DIFF(COALESCE(closed_date"}, {q.trends, "`core.google_trend`"},
		{q.certs, "`core.certification`"}, {q.facts, "`staging.recruit_loads`"}, {q.facts, "`staging.indicator_loads`"},
	} {
		if !strings.Contains(c.sql, c.want) {
			t.Errorf("query lacks %q:\n%s", c.want, c.sql)
		}
	}
}

// TestSnapshotDrift: a column of another type than the query gives fails
// the read with the column named, rather than showing zeros.
func TestSnapshotDrift(t *testing.T) {
	for _, c := range []struct{ query, field, typ, want string }{
		{"-- Open postings per day", "open_postings", "STRING", "column open_postings"},
		{"-- Postings, one row each by posting day", "date", "STRING", "column date"},
		{"-- Search interest", "is_partial", "STRING", "column is_partial"},
	} {
		t.Run(c.field, func(t *testing.T) {
			f := newFakeBQ(t)
			f.rows = snapshotResults()
			r := f.rows[c.query]
			for i, name := range r.fields {
				if name == c.field {
					r.types = append([]string(nil), r.types...)
					r.types[i] = c.typ
				}
			}
			f.rows[c.query] = r
			_, err := f.open(t).Snapshot(context.Background(), warehouse.PostingFunc(func(*warehouse.SnapshotPosting) error { return nil }))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Snapshot = %v; want an error naming %s", err, c.want)
			}
		})
	}
}

// TestVersion is the newest modification of the tables the snapshot
// reads, and an error names a table that is missing.
func TestVersion(t *testing.T) {
	f := newFakeBQ(t)
	w := f.open(t)
	for i, table := range SnapshotTables() {
		f.modified[table] = 1764032400000 + int64(i)*1000
	}
	f.modified["core.google_trend"] = 1764040000000
	v, err := w.Version(context.Background())
	if want := time.UnixMilli(1764040000000).UTC().Format(time.RFC3339Nano); err != nil || v != want {
		t.Errorf("Version = %q, %v; want %q", v, err, want)
	}
	delete(f.modified, "core.certification")
	if _, err := w.Version(context.Background()); err == nil || !strings.Contains(err.Error(), "core.certification") {
		t.Errorf("Version without core.certification = %v; want an error naming it", err)
	}
}
