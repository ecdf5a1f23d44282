package dashboard

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"jobpulse/pkg/warehouse"
)

// Week is one week (Monday, KST) of the three indicators.
type Week struct {
	Week     string   `json:"week"`
	Postings int64    `json:"postings"`
	Interest *float64 `json:"interest"` // Google search interest, anchor-scaled; null when missing
}

// Year is one year of a certification exam: applicants of its first stage
// and passers of its last.
type Year struct {
	Year       int    `json:"year"`
	Applicants *int64 `json:"applicants"` // null: not published
	Passers    *int64 `json:"passers"`
}

// Indicators puts a role's weekly postings, a keyword's search interest and
// an exam's yearly applicants and passers on one time axis, with the lagged
// correlations of interest and postings and an outlook of the postings.
type Indicators struct {
	Keyword      string  `json:"keyword"`
	Exam         string  `json:"exam"`
	Weeks        []Week  `json:"weeks"`
	Years        []Year  `json:"years"`
	Correlations []Lag   `json:"correlations"`
	Strongest    Lag     `json:"strongest"`
	Outlook      Outlook `json:"outlook"`
	// Complete is the last complete week the outlook starts after.
	Complete string `json:"complete"`
}

// roleKeyword and roleExam are the defaults each role is shown against.
var (
	roleKeyword = map[string]string{"data_engineer": "데이터 엔지니어", "data_analyst": "데이터 분석", "data_scientist": "데이터 사이언티스트", "ml_engineer": "파이썬"}
	roleExam    = map[string]string{"data_engineer": "정보처리기사", "data_analyst": "ADsP", "data_scientist": "빅데이터분석기사", "ml_engineer": "빅데이터분석기사"}
)

// Indicators answers f.Role against keyword and exam over f's dates.
func (s *Store) Indicators(ctx context.Context, f Filter, keyword, exam string) (Indicators, error) {
	in := Indicators{Keyword: keyword, Exam: exam}
	snap, err := s.current()
	if err != nil {
		return in, fmt.Errorf("indicators: %w", err)
	}
	m := snap.compile(Filter{Role: f.Role, From: f.From, To: f.To})
	posts := map[int32]int64{} // by week (its Monday)
	sel := span(snap.cube, detailDay, m.from, m.to)
	for i := range sel {
		if r := &sel[i]; m.ofRole(r.role) {
			posts[weekStart(r.day)] += r.postings
		}
	}
	// A Google Trends week starts on Sunday: it is compared with the
	// postings week starting the Monday after.
	weekly := map[int32][]float64{}
	for _, t := range snap.trends[keyword] {
		if t.day >= m.from-7 && t.day <= m.to {
			weekly[t.week] = append(weekly[t.week], t.interest)
		}
	}
	interest := map[int32]float64{}
	for k, v := range weekly {
		interest[k] = mean(v)
	}

	// Every week of the span, postings or not.
	var lead, follow []float64
	for w := periodStart(f.From, "week"); !w.After(f.To); w = nextPeriod(w, "week") {
		k := dayOf(w)
		wk := Week{Week: w.Format(time.DateOnly), Postings: posts[k]}
		x := math.NaN()
		if v, ok := interest[k]; ok {
			v := math.Round(v*10) / 10
			wk.Interest, x = &v, v
		}
		in.Weeks = append(in.Weeks, wk)
		lead, follow = append(lead, x), append(follow, float64(wk.Postings))
	}
	// Only whole weeks are compared: a week the dates cut would look like a
	// drop. The first is whole when f.From is a Monday, the last when f.To
	// is a Sunday.
	lo, hi := 0, len(follow)
	if f.From.Weekday() != time.Monday && hi > lo {
		lo++
	}
	if f.To.Weekday() != time.Sunday && hi > lo {
		hi--
	}
	// Correlate the week-to-week changes, not the levels: two series that
	// both grow correlate at every lag, and the shared trend would hide
	// which leads.
	in.Correlations = nonNil(LaggedCorrelations(diff(lead[lo:hi]), diff(follow[lo:hi]), 8))
	in.Strongest = Strongest(in.Correlations)
	if hi > lo {
		in.Complete = in.Weeks[hi-1].Week
	}
	in.Outlook = Forecast(follow[lo:hi], 26, 8)
	in.Outlook.Points = nonNil(in.Outlook.Points)

	in.Years = certYears(snap.certs[exam])
	return in, nil
}

// certYears gives each year of an exam the applicants of its first stage
// (필기, or 전체 where the stages are not told apart) and the passers of
// its last (실기, else 전체, else 필기), summed over the year's rounds.
func certYears(rows []warehouse.CertRow) []Year {
	type sums struct{ applicants, passers map[string]*int64 }
	years := map[int]*sums{}
	add := func(m map[string]*int64, stage string, v *int64) {
		if v == nil {
			return
		}
		if m[stage] == nil {
			m[stage] = new(int64)
		}
		*m[stage] += *v
	}
	for _, r := range rows {
		y := years[r.Year]
		if y == nil {
			y = &sums{map[string]*int64{}, map[string]*int64{}}
			years[r.Year] = y
		}
		add(y.applicants, r.Stage, r.Applicants)
		add(y.passers, r.Stage, r.Passers)
	}
	first := func(m map[string]*int64, stages ...string) *int64 {
		for _, s := range stages {
			if m[s] != nil {
				return m[s]
			}
		}
		return nil
	}
	out := []Year{}
	for _, year := range slices.Sorted(maps.Keys(years)) {
		y := years[year]
		out = append(out, Year{Year: year, Applicants: first(y.applicants, "필기", "전체"), Passers: first(y.passers, "실기", "전체", "필기")})
	}
	return out
}

// diff is the series of changes from one week to the next (NaN where
// either week is missing).
func diff(xs []float64) []float64 {
	out := make([]float64, 0, len(xs))
	for i := 1; i < len(xs); i++ {
		out = append(out, xs[i]-xs[i-1])
	}
	return out
}
