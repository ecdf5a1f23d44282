package dashboard

import (
	"fmt"
	"strings"
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

// TestSnapshotPostings: a posting's rows, one per region it lists, mark
// its first region and its first in each province; its skills follow it;
// postings out of order of day are refused.
func TestSnapshotPostings(t *testing.T) {
	t.Parallel()
	d1, d2 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	s := newSnapshot()
	s.Expect(2, 4, 3)
	for _, p := range []warehouse.SnapshotPosting{
		{Date: d1, Role: "data_engineer", Province: "서울", Skills: []string{"Python", "SQL"}, Ended: warehouse.EndedOpen,
			Regions: []warehouse.Region{{Province: "서울", District: "강남구"}, {Province: "경기", District: "성남시"}, {Province: "서울", District: "서초구"}}},
		{Date: d2, Role: "other", Skills: []string{"Python"}, Ended: "unknown", Days: 70000, Regions: []warehouse.Region{{}}},
	} {
		if err := s.Posting(&p); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, r := range s.detail {
		got = append(got, fmt.Sprintf("%s/%s primary=%v first=%v", s.names[r.province], s.names[r.district], r.primary, r.provFirst))
	}
	want := []string{"서울/강남구 primary=true first=true", "경기/성남시 primary=false first=true", "서울/서초구 primary=false first=false",
		"/ primary=true first=true"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("detail rows %q; want %q", got, want)
	}
	if k := s.postSkills(0); len(k) != 2 || s.names[k[0]] != "Python" || s.names[k[1]] != "SQL" {
		t.Errorf("skills of the first posting %v", k)
	}
	if k := s.postSkills(1); len(k) != 1 || s.names[k[0]] != "Python" {
		t.Errorf("skills of the second posting %v", k)
	}
	if p := s.posts[1]; p.end != endClosed || p.days != 65535 {
		t.Errorf("second posting ended %d after %d days; want closed (how unknown), days capped", p.end, p.days)
	}
	if err := s.Posting(&warehouse.SnapshotPosting{Date: d1, Regions: []warehouse.Region{{}}}); err == nil {
		t.Error("a posting of an earlier day was taken")
	}
}
