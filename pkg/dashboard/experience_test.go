package dashboard_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/saramin"
)

// fixtureExperience gives each fixture posting an experience code and
// minimum years as the API sends them; wantLevel is the level a person
// reads from each (the code table's name, 경력 by the years asked).
var fixtureExperience = map[string]struct {
	code, min int64
	wantLevel string
}{
	"1": {1, 0, "entry"},                // 신입
	"2": {3, 0, "entry_or_experienced"}, // 신입/경력
	"3": {2, 3, "experienced_3_5"},      // 경력 3년↑
	"4": {2, 7, "experienced_5_10"},     // 경력 7년↑
	"5": {2, 1, "experienced_lt3"},      // 경력 1년↑
	"6": {0, 0, "any"},                  // 경력무관
	"7": {2, 12, "experienced_10"},      // 경력 12년↑
}

func withExperience(p *saramin.Posting) {
	e := fixtureExperience[p.ID]
	code, lo := e.code, e.min
	p.ExperienceCode, p.ExperienceMin, p.ExperienceName = &code, &lo, ""
}

// TestExperienceBreakdown: every level of the code table is a row, in the
// order of experience asked, each posting counted once at its level, and
// the level combines with every other filter (and they with it).
func TestExperienceBreakdown(t *testing.T) {
	t.Parallel()
	srv := serve(t, warehouseFile(t, withExperience, "정보처리기사"))
	dates := "&from=2026-09-01&to=2026-09-30"
	order := []string{"entry", "entry_or_experienced", "experienced_lt3", "experienced_3_5", "experienced_5_10", "experienced_10", "any"}
	// The rows expected for the postings of ids: the count of each level.
	expect := func(ids ...string) string {
		n := map[string]int{}
		for _, id := range ids {
			n[fixtureExperience[id].wantLevel]++
		}
		var out []string
		for _, l := range order {
			out = append(out, fmt.Sprintf("%s %d", l, n[l]))
		}
		return strings.Join(out, ", ")
	}
	seoul := url.QueryEscape("서울")
	it := url.QueryEscape("IT·웹·통신")
	tests := []struct {
		query string
		ids   []string // the postings the filters keep
	}{
		{"role=all", []string{"1", "2", "3", "4", "5", "6", "7"}},
		{"role=data_engineer", []string{"1", "5"}},
		{"role=data_analyst", []string{"2", "7"}},
		{"role=all&province=" + seoul, []string{"1", "3", "6", "7"}},
		{"role=all&industry=" + it, []string{"1", "3", "5", "7"}},
		// 신입 가능: 신입, 신입/경력 and 경력무관 without minimum years.
		{"role=all&entry=1", []string{"1", "2", "6"}},
		{"role=all&entry=1&province=" + seoul, []string{"1", "6"}},
		{"role=data_analyst&province=" + seoul + "&industry=" + it, []string{"7"}},
		{"role=all&experience=experienced_3_5", []string{"3"}},
		{"role=all&experience=entry&entry=1&province=" + seoul, []string{"1"}},
		{"role=all&from=2026-09-09&to=2026-09-30", []string{"3", "4", "5", "6", "7"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			var b breakdown
			q := tt.query
			if !strings.Contains(q, "from=") {
				q += dates
			}
			if code := get(t, srv, "/api/breakdown?by=experience&"+q, &b); code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			var got []string
			for _, r := range b.Rows {
				got = append(got, fmt.Sprintf("%s %d", r.Name, r.Postings))
			}
			if g, w := strings.Join(got, ", "), expect(tt.ids...); g != w {
				t.Errorf("rows\n got %s\nwant %s", g, w)
			}
			if b.Postings != int64(len(tt.ids)) || b.EachRegion {
				t.Errorf("postings %d each_region %v, want %d false", b.Postings, b.EachRegion, len(tt.ids))
			}
		})
	}
}

// TestExperienceFilter: the level filters every view the others do, and
// a level the code table does not hold is refused with the levels there
// are.
func TestExperienceFilter(t *testing.T) {
	t.Parallel()
	srv := serve(t, warehouseFile(t, withExperience, "정보처리기사"))
	var vol struct {
		Points []dashboard.Point `json:"points"`
	}
	sum := func(q string) (postings, market int64) {
		t.Helper()
		if code := get(t, srv, "/api/volume?grain=month&from=2026-09-01&to=2026-09-30&"+q, &vol); code != http.StatusOK {
			t.Fatalf("%s: status %d", q, code)
		}
		for _, p := range vol.Points {
			if p.Postings != nil {
				postings += *p.Postings
				market += *p.Market
			}
			if p.Open != nil {
				t.Errorf("%s: open postings shown, though they cannot be filtered by experience", q)
			}
		}
		return postings, market
	}
	tests := []struct {
		query            string
		postings, market int64
	}{
		{"role=data_engineer&experience=entry", 1, 1},
		{"role=data_engineer&experience=experienced_lt3", 1, 1},
		{"role=data_analyst&experience=experienced_10", 1, 1},
		{"role=data_analyst&experience=any", 0, 1},
		{"role=all&experience=experienced_5_10", 1, 1},
	}
	for _, tt := range tests {
		if p, m := sum(tt.query); p != tt.postings || m != tt.market {
			t.Errorf("%s: postings %d market %d, want %d %d", tt.query, p, m, tt.postings, tt.market)
		}
	}
	var b breakdown
	if code := get(t, srv, "/api/breakdown?by=province&role=all&experience=any&from=2026-09-01&to=2026-09-30", &b); code != http.StatusOK ||
		b.Postings != 1 || len(b.Rows) != 1 || b.Rows[0].Name != "서울" {
		t.Errorf("provinces of 경력무관: %d %+v", code, b)
	}
	var bad struct{ Error string }
	if code := get(t, srv, "/api/volume?experience=senior", &bad); code != http.StatusBadRequest ||
		!strings.Contains(bad.Error, "experienced_3_5") {
		t.Errorf("experience=senior: %d %q", code, bad.Error)
	}
	var m dashboard.Meta
	get(t, srv, "/api/meta", &m)
	if len(m.Experience) != 7 || m.Experience[0].Key != "entry" || m.Experience[6].Ko != "경력무관" {
		t.Errorf("meta experience = %+v", m.Experience)
	}
}
