package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// KeywordShare is one followed keyword's search interest over a period.
type KeywordShare struct {
	Keyword string `json:"keyword"`
	// Mean is the keyword's mean anchor-scaled interest over the weeks
	// counted (percent of the anchor's average over its request's window);
	// null when it has no week in the period.
	Mean *float64 `json:"mean"`
	// Share is Mean over the sum of every keyword's Mean: its share of
	// the summed search interest.
	Share *float64 `json:"share"`
}

// SearchShare is each followed keyword's share of the summed mean search
// interest over the whole weeks of a period, as the seed's Looker dashboards'
// "share of average search volume". Interest is relative: every request
// was scaled on one anchor keyword, so a share compares keywords within
// that scaling only, not absolute numbers of searches.
type SearchShare struct {
	Keywords []KeywordShare `json:"keywords"` // largest share first; those without data last
	// Weeks counts the weeks counted: Google Trends weeks (Sunday to
	// Saturday) wholly inside the dates, complete (not partial), that every
	// keyword with data in the period has, so that each mean is over the
	// same weeks. First and Last are the first and last of them (Sundays).
	Weeks int    `json:"weeks"`
	First string `json:"first,omitempty"`
	Last  string `json:"last,omitempty"`
	// Anchors are the keywords the counted weeks were scaled on (one,
	// unless the anchor changed).
	Anchors []string `json:"anchors"`
	// Highlight is the role's own keyword when it is followed.
	Highlight string `json:"highlight"`
}

// SearchShare reads each keyword's share of the summed mean interest over
// the weeks of from..to, highlighting role's keyword.
func (s *Store) SearchShare(ctx context.Context, role string, from, to time.Time) (SearchShare, error) {
	snap, err := s.current()
	if err != nil {
		return SearchShare{}, fmt.Errorf("search share: %w", err)
	}
	lo, hi := dayOf(from), dayOf(to)
	out := SearchShare{Keywords: []KeywordShare{}, Anchors: []string{}}
	keywords := make([]string, 0, len(snap.trends))
	for k := range snap.trends {
		keywords = append(keywords, k)
	}
	slices.Sort(keywords)
	if k := roleKeyword[role]; slices.Contains(keywords, k) {
		out.Highlight = k
	}
	// Each keyword's weeks in the dates, and the weeks all with data share.
	inside := map[string]map[int32]trendWeek{}
	var common map[int32]bool
	for _, k := range keywords {
		weeks := map[int32]trendWeek{}
		for _, t := range snap.trends[k] {
			if t.day >= lo && t.day+6 <= hi {
				weeks[t.day] = t
			}
		}
		inside[k] = weeks
		if len(weeks) == 0 {
			continue
		}
		if common == nil {
			common = map[int32]bool{}
			for d := range weeks {
				common[d] = true
			}
			continue
		}
		for d := range common {
			if _, ok := weeks[d]; !ok {
				delete(common, d)
			}
		}
	}
	days := make([]int32, 0, len(common))
	for d := range common {
		days = append(days, d)
	}
	slices.Sort(days)
	out.Weeks = len(days)
	if len(days) > 0 {
		out.First, out.Last = dateOf(days[0]).Format(time.DateOnly), dateOf(days[len(days)-1]).Format(time.DateOnly)
	}
	var sum float64
	means := map[string]float64{}
	for _, k := range keywords {
		if len(days) == 0 || len(inside[k]) == 0 {
			continue
		}
		var t float64
		for _, d := range days {
			w := inside[k][d]
			t += w.interest
			if w.anchor != "" && !slices.Contains(out.Anchors, w.anchor) {
				out.Anchors = append(out.Anchors, w.anchor)
			}
		}
		means[k] = t / float64(len(days))
		sum += means[k]
	}
	slices.Sort(out.Anchors)
	for _, k := range keywords {
		ks := KeywordShare{Keyword: k}
		if v, ok := means[k]; ok {
			ks.Mean = &v
			if sum > 0 {
				sh := v / sum
				ks.Share = &sh
			}
		}
		out.Keywords = append(out.Keywords, ks)
	}
	slices.SortStableFunc(out.Keywords, func(a, b KeywordShare) int {
		switch {
		case a.Mean == nil || b.Mean == nil:
			return boolOrder(a.Mean == nil, b.Mean == nil)
		case *a.Mean != *b.Mean:
			if *a.Mean > *b.Mean {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, nil
}

// boolOrder sorts false before true.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// searchShare answers GET /api/search-share: each keyword's share of the
// summed search interest over the dates, the role's keyword highlighted.
func (s *Server) searchShare(r *http.Request, q url.Values) (any, error) {
	if err := only(q, "role", "from", "to"); err != nil {
		return nil, err
	}
	f, err := s.filter(r, q, nil)
	if err != nil {
		return nil, err
	}
	sh, err := s.store.SearchShare(r.Context(), f.Role, f.From, f.To)
	return struct {
		Filter map[string]string `json:"filter"`
		SearchShare
	}{map[string]string{"role": f.Role, "from": f.From.Format(time.DateOnly), "to": f.To.Format(time.DateOnly)}, sh}, err
}
