package dashboard

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"
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
	args := append(f.args(), sql.Named("keyword", keyword), sql.Named("exam", exam))
	posts := map[string]int64{}
	rows, err := s.db.QueryContext(ctx, `SELECT strftime(date_trunc('week', date), '%Y-%m-%d'), sum(postings)
		FROM cube WHERE date BETWEEN $from::DATE AND $to::DATE AND ($role = 'all' OR role = $role) GROUP BY 1`, args...)
	if err != nil {
		return in, fmt.Errorf("indicators: %w", err)
	}
	for rows.Next() {
		var w string
		var n int64
		if err := rows.Scan(&w, &n); err != nil {
			rows.Close()
			return in, fmt.Errorf("indicators: %w", err)
		}
		posts[w] = n
	}
	rows.Close()
	interest := map[string]float64{}
	rows, err = s.db.QueryContext(ctx, `SELECT strftime(date_trunc('week', period + INTERVAL 1 DAY), '%Y-%m-%d'), avg(interest_scaled)
		FROM trend WHERE keyword = $keyword AND period BETWEEN $from::DATE - INTERVAL 7 DAY AND $to::DATE AND NOT is_partial GROUP BY 1`, args...)
	if err != nil {
		return in, fmt.Errorf("indicators: %w", err)
	}
	for rows.Next() {
		var w string
		var v sql.NullFloat64
		if err := rows.Scan(&w, &v); err != nil {
			rows.Close()
			return in, fmt.Errorf("indicators: %w", err)
		}
		if v.Valid {
			interest[w] = v.Float64
		}
	}
	rows.Close()

	// Every week of the span, postings or not.
	start := f.From.AddDate(0, 0, -int((f.From.Weekday()+6)%7))
	var lead, follow []float64
	for w := start; !w.After(f.To); w = w.AddDate(0, 0, 7) {
		k := w.Format(time.DateOnly)
		wk := Week{Week: k, Postings: posts[k]}
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

	rows, err = s.db.QueryContext(ctx, `SELECT year,
		coalesce(sum(applicants) FILTER (WHERE stage = '필기'), sum(applicants) FILTER (WHERE stage = '전체')),
		coalesce(sum(passers) FILTER (WHERE stage = '실기'), sum(passers) FILTER (WHERE stage = '전체'), sum(passers) FILTER (WHERE stage = '필기'))
		FROM cert WHERE exam = $exam GROUP BY year ORDER BY year`, args...)
	if err != nil {
		return in, fmt.Errorf("indicators: certifications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var y Year
		if err := rows.Scan(&y.Year, &y.Applicants, &y.Passers); err != nil {
			return in, fmt.Errorf("indicators: certifications: %w", err)
		}
		in.Years = append(in.Years, y)
	}
	in.Years = nonNil(in.Years)
	return in, rows.Err()
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
