package dashboard

import "time"

// kstOffset is the offset of the clock the postings' days are counted in.
const kstOffset = 9 * time.Hour

// coverage is the stretch of days the warehouse holds postings for: from
// its first posting day to its last. whole is the last day it holds
// whole: the last day itself, or the day before it when the newest load
// of postings ran during that day (KST), so that the day was not over.
// Between first and last a day without postings is a real zero; outside
// them the warehouse knows nothing, and a view shows a gap.
type coverage struct {
	first, last, whole int32
	ok                 bool // the warehouse holds postings
}

func (s *snapshot) coverage() coverage { return coverageOf(s.detail, s.meta.Loaded.Saramin) }

// coverageOf is the coverage of rows (ordered by day) when the newest
// load of postings ran at loaded (nil: not known, the last day is taken
// as whole).
func coverageOf(rows []detailRow, loaded *time.Time) coverage {
	if len(rows) == 0 {
		return coverage{}
	}
	c := coverage{first: rows[0].day, last: rows[len(rows)-1].day, ok: true}
	c.whole = c.last
	if loaded != nil && dayOf(loaded.UTC().Add(kstOffset)) <= c.last {
		c.whole = c.last - 1
	}
	return c
}

// Why a period is partial: its count is not comparable with a whole
// period's.
const (
	partialDates      = "dates"      // the chosen dates cut it
	partialCoverage   = "coverage"   // it runs past the warehouse's first or last day
	partialUnfinished = "unfinished" // it holds a day that was not over at the newest load
)

// judge places the period of days start..end of a view over days
// from..to: covered when it shares a day with the warehouse's coverage,
// and then partial (with why) when it is not whole.
func (c coverage) judge(start, end, from, to int32) (covered, partial bool, why string) {
	if !c.ok || end < c.first || start > c.last {
		return false, false, ""
	}
	switch {
	case c.whole < c.last && start <= c.last && c.last <= end:
		return true, true, partialUnfinished
	case start < from || end > to:
		return true, true, partialDates
	case start < c.first || end > c.last:
		return true, true, partialCoverage
	}
	return true, false, ""
}

// Month is one month of the warehouse's history.
type Month struct {
	Name     string  `json:"name"` // YYYY-MM
	Postings int64   `json:"postings"`
	Share    float64 `json:"share"` // of every posting the warehouse holds
	// Partial: the coverage starts or ends inside the month (or its last
	// day was not over at the newest load).
	Partial bool `json:"partial"`
}

// months is every month from the warehouse's first posting day to
// its last, months without postings included (they are real zeros: the
// warehouse covers them), out of the postings per month (keyed by the
// month's first day) and the postings of the whole warehouse.
func (c coverage) months(postings map[int32]int64, total int64) []Month {
	out := []Month{}
	if !c.ok {
		return out
	}
	for start := dateOf(period(c.first, "month")); dayOf(start) <= c.last; start = start.AddDate(0, 1, 0) {
		k := dayOf(start)
		end := dayOf(start.AddDate(0, 1, 0)) - 1
		m := Month{Name: start.Format("2006-01"), Postings: postings[k], Partial: k < c.first || end > c.whole}
		if total > 0 {
			m.Share = float64(m.Postings) / float64(total)
		}
		out = append(out, m)
	}
	return out
}
