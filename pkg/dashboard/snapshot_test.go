package dashboard

import (
	"testing"
	"time"

	"jobpulse/pkg/warehouse"
)

// TestPeriods: the day-number periods agree with the calendar's
// (periodStart) on every day of a leap year and its neighbours.
func TestPeriods(t *testing.T) {
	t.Parallel()
	for d := time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2025; d = d.AddDate(0, 0, 1) {
		for _, grain := range []string{"day", "week", "month"} {
			if got, want := dateOf(period(dayOf(d), grain)), periodStart(d, grain); !got.Equal(want) {
				t.Fatalf("%s of %s = %s; want %s", grain, d.Format(time.DateOnly), got.Format(time.DateOnly), want.Format(time.DateOnly))
			}
		}
	}
}

// TestOpenDaily: each role has a count every day the market has one (0
// where the warehouse keeps no row), and "other" is the market less the
// data roles, whatever "other" rows the table holds.
func TestOpenDaily(t *testing.T) {
	t.Parallel()
	d1, d2 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	s := newSnapshot().finish(&warehouse.Snapshot{Open: []warehouse.OpenRow{
		{Date: d2, Role: "all", Open: 50}, {Date: d1, Role: "all", Open: 40},
		{Date: d1, Role: "data_engineer", Open: 4}, {Date: d2, Role: "data_engineer", Open: 5}, {Date: d2, Role: "data_analyst", Open: 3},
		{Date: d1, Role: "other", Open: 999},
	}}, time.Now())
	want := map[string][]int64{"all": {40, 50}, "data_engineer": {4, 5}, "data_analyst": {0, 3}, "other": {36, 42}}
	for role, counts := range want {
		got := s.open[role]
		if len(got) != 2 || got[0].day != dayOf(d1) || got[0].open != counts[0] || got[1].open != counts[1] {
			t.Errorf("open[%s] = %+v; want %v on 1 and 2 Nov", role, got, counts)
		}
	}
}

// TestMatch: a province or industry the snapshot lacks passes no row; a
// role it lacks has no postings, and the market under the other filters
// still counts.
func TestMatch(t *testing.T) {
	t.Parallel()
	d := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	s := newSnapshot()
	for _, p := range []warehouse.SnapshotPosting{
		{Date: d, Role: "data_engineer", Province: "서울", Industry: "IT", Regions: []warehouse.Region{{Province: "서울"}}},
		{Date: d, Role: "other", Province: "서울", Industry: "IT", Entry: true, Regions: []warehouse.Region{{Province: "서울"}}},
	} {
		if err := s.Posting(&p); err != nil {
			t.Fatal(err)
		}
	}
	s.finish(&warehouse.Snapshot{}, time.Now())
	// The data engineer's row (not open to newcomers).
	var r *detailRow
	for i := range s.detail {
		if s.names[s.detail[i].role] == "data_engineer" {
			r = &s.detail[i]
		}
	}
	if r == nil || len(s.detail) != 2 || !r.primary || !r.provFirst {
		t.Fatalf("detail %+v; want a row per posting, its first region", s.detail)
	}
	for _, c := range []struct {
		f            Filter
		where, ofRow bool
	}{
		{Filter{Role: "all"}, true, true},
		{Filter{Role: "data_engineer"}, true, true},
		{Filter{Role: "other"}, true, false},
		{Filter{Role: "nobody"}, true, false},
		{Filter{Role: "all", Province: "부산"}, false, true},
		{Filter{Role: "all", Industry: "nothing"}, false, true},
		{Filter{Role: "all", Province: "서울", Industry: "IT"}, true, true},
		{Filter{Role: "all", Entry: true}, false, true},
	} {
		c.f.From, c.f.To = d, d
		m := s.compile(c.f)
		if got := m.where(r); got != c.where {
			t.Errorf("%+v: where = %v; want %v", c.f, got, c.where)
		}
		if got := m.ofRole(r.role); got != c.ofRow {
			t.Errorf("%+v: ofRole = %v; want %v", c.f, got, c.ofRow)
		}
	}
}
