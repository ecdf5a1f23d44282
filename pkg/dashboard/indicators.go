package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"jobpulse/pkg/warehouse"
)

// Week is one week (Monday, KST) of the two weekly indicators.
type Week struct {
	Week     string   `json:"week"`
	Postings *int64   `json:"postings"` // new postings under the filters; null outside the warehouse's postings
	Interest *float64 `json:"interest"` // Google search interest, anchor-scaled; null when missing
	// Partial marks a week the dates or the edges of the postings cut:
	// drawn faded and left out of every comparison.
	Partial bool `json:"partial"`
}

// CertStage is one stage of an exam in one year, summed over the year's
// rounds, with the counts named as the source (Q-Net) names them.
type CertStage struct {
	Year  int    `json:"year"`
	Stage string `json:"stage"` // 필기 (written), 실기 (practical) or 전체 (the exam has one stage)
	// Applicants (접수자: registered), examinees (응시자: sat the exam)
	// and passers (합격자); null when a round did not publish it.
	Applicants *int64 `json:"applicants"`
	Examinees  *int64 `json:"examinees"`
	Passers    *int64 `json:"passers"`
	// PassRate (합격률) is passers per 100 examinees: the warehouse's
	// figure for a year of one round, the rounds' sums otherwise.
	PassRate  *float64 `json:"pass_rate"`
	Rounds    int      `json:"rounds"`
	Sources   []string `json:"sources"` // where the figures were published
	Quality   string   `json:"quality"` // official, or unverified when any round is
	Synthetic bool     `json:"synthetic"`
}

// Indicators puts a role's weekly postings under the filters and a
// keyword's search interest on one time axis: by default the weeks both
// cover (the weeks their comparison uses), every week of the dates with
// Span "all". With them: whether one leads the other, an outlook of the
// postings, and an exam's yearly statistics by stage.
type Indicators struct {
	Keyword string `json:"keyword"`
	Exam    string `json:"exam"`
	Span    string `json:"span"` // overlap or all
	Weeks   []Week `json:"weeks"`
	// Overlap is the weeks both series cover, which every comparison
	// uses; null when they share none.
	Overlap *Overlap `json:"overlap"`
	// InterestIgnores names the filters search interest cannot follow: it
	// is national and the same for every posting.
	InterestIgnores []string    `json:"interest_ignores"`
	Correlations    []Lag       `json:"correlations"` // at the latest cut-off
	LeadLag         LeadLag     `json:"lead_lag"`
	Outlook         Outlook     `json:"outlook"`
	Certs           []CertStage `json:"certs"`
	// Complete is the last whole week the outlook starts after.
	Complete string `json:"complete"`
}

// Overlap is a run of weeks, named by their Mondays.
type Overlap struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Weeks int    `json:"weeks"`
}

// roleKeyword and roleExam are the defaults each role is shown against.
var (
	roleKeyword = map[string]string{"data_engineer": "데이터 엔지니어", "data_analyst": "데이터 분석", "data_scientist": "데이터 사이언티스트", "ml_engineer": "파이썬"}
	roleExam    = map[string]string{"data_engineer": "정보처리기사", "data_analyst": "ADsP", "data_scientist": "빅데이터분석기사", "ml_engineer": "빅데이터분석기사"}
)

// defaultKeyword is the keyword a role is read against: its own when it
// is followed, else the first followed (the anchor for the whole market).
func defaultKeyword(role string, followed []string) string {
	k := cmp.Or(roleKeyword[role], "데이터 분석")
	if !slices.Contains(followed, k) && len(followed) > 0 {
		return followed[0]
	}
	return k
}

// defaultExam is the exam a role is shown against.
func defaultExam(role string) string { return cmp.Or(roleExam[role], "정보처리기사") }

// Indicators answers f against keyword and exam over f's dates: only the
// weeks both the postings and the interest cover unless all is true.
func (s *Store) Indicators(ctx context.Context, f Filter, keyword, exam string, all bool) (Indicators, error) {
	in := Indicators{Keyword: keyword, Exam: exam, Span: "overlap", InterestIgnores: []string{}}
	if all {
		in.Span = "all"
	}
	snap, err := s.current()
	if err != nil {
		return in, fmt.Errorf("indicators: %w", err)
	}
	for _, c := range []struct {
		name string
		set  bool
	}{{"entry", f.Entry}, {"experience", f.Experience != ""}, {"province", f.Province != ""}, {"industry", f.Industry != ""}} {
		if c.set {
			in.InterestIgnores = append(in.InterestIgnores, c.name)
		}
	}
	in.Certs = certStages(snap.certs[exam])
	m := snap.compile(f)

	// The weeks the postings cover: the warehouse's first to last day.
	// A week with no posting inside them counts 0; outside them nothing
	// is known.
	var firstDay, lastDay int32
	if c := snap.detail; len(c) > 0 {
		firstDay, lastDay = c[0].day, c[len(c)-1].day
	}
	firstDay, lastDay = max(firstDay, m.from), min(lastDay, m.to)
	posts := map[int32]int64{} // by week (its Monday)
	sel := span(snap.postings(m), detailDay, m.from, m.to)
	for i := range sel {
		if r := &sel[i]; m.counts(r) && m.ofRole(r.role) {
			posts[weekStart(r.day)]++
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
	firstI, lastI := int32(math.MaxInt32), int32(math.MinInt32)
	for k, v := range weekly {
		interest[k] = mean(v)
		firstI, lastI = min(firstI, k), max(lastI, k)
	}
	ovLo, ovHi := max(weekStart(firstDay), firstI), min(weekStart(lastDay), lastI)
	if firstDay > lastDay {
		ovLo, ovHi = 1, 0 // no postings in the dates
	}
	if ovLo <= ovHi {
		in.Overlap = &Overlap{From: dateOf(ovLo).Format(time.DateOnly), To: dateOf(ovHi).Format(time.DateOnly), Weeks: int(ovHi-ovLo)/7 + 1}
	}
	// Without an overlap, the postings' weeks (the reading says there is
	// nothing to compare).
	lo, hi := ovLo, ovHi
	switch {
	case all:
		lo, hi = weekStart(m.from), weekStart(m.to)
	case ovLo > ovHi && firstDay <= lastDay:
		lo, hi = weekStart(firstDay), weekStart(lastDay)
	case ovLo > ovHi:
		lo, hi = 1, 0
	}

	var names []string
	var lead, follow []float64 // the whole weeks of the overlap, in order
	for k := lo; k <= hi; k += 7 {
		wk := Week{Week: dateOf(k).Format(time.DateOnly)}
		// Cut by the dates or by the edges of the postings.
		wk.Partial = k < firstDay || k+6 > lastDay
		if k+6 >= firstDay && k <= lastDay {
			n := posts[k]
			wk.Postings = &n
		}
		x := math.NaN()
		if v, ok := interest[k]; ok {
			v := math.Round(v*10) / 10
			wk.Interest, x = &v, v
		}
		in.Weeks = append(in.Weeks, wk)
		if !wk.Partial && wk.Postings != nil && k >= ovLo && k <= ovHi {
			names = append(names, wk.Week)
			lead, follow = append(lead, x), append(follow, float64(*wk.Postings))
		}
	}
	in.Weeks = nonNil(in.Weeks)
	// Interest leads at positive lags. Week-to-week changes are compared,
	// not levels: two series that both grow correlate at every lag, and
	// the shared trend would hide which leads.
	in.LeadLag, in.Correlations = ReadLeadLag(names, lead, follow)
	in.Correlations = nonNil(in.Correlations)
	if len(names) > 0 {
		in.Complete = names[len(names)-1]
	}
	in.Outlook = Forecast(follow, 26, 8)
	in.Outlook.Points = nonNil(in.Outlook.Points)
	return in, nil
}

// stageOrder sorts an exam's stages as it is taken.
var stageOrder = map[string]int{"필기": 0, "실기": 1, "전체": 2}

// certStages sums each stage of an exam per year over its rounds. A count
// a round did not publish leaves the year's sum unknown (null) rather
// than short.
func certStages(rows []warehouse.CertRow) []CertStage {
	type key struct {
		year  int
		stage string
	}
	sums := map[key]*CertStage{}
	rates := map[key]*float64{}
	add := func(dst **int64, v *int64, first bool) {
		switch {
		case first && v != nil:
			n := *v
			*dst = &n
		case v == nil:
			*dst = nil
		case *dst != nil:
			**dst += *v
		}
	}
	for _, r := range rows {
		k := key{r.Year, r.Stage}
		c := sums[k]
		first := c == nil
		if first {
			c = &CertStage{Year: r.Year, Stage: r.Stage, Sources: []string{}, Quality: r.Quality}
			sums[k] = c
		}
		add(&c.Applicants, r.Applicants, first)
		add(&c.Examinees, r.Examinees, first)
		add(&c.Passers, r.Passers, first)
		c.Rounds++
		rates[k] = r.PassRate
		if r.Source != "" && !slices.Contains(c.Sources, r.Source) {
			c.Sources = append(c.Sources, r.Source)
		}
		if r.Quality != "official" {
			c.Quality = r.Quality
		}
		c.Synthetic = c.Synthetic || r.Synthetic
	}
	out := []CertStage{}
	for k, c := range sums {
		switch {
		case c.Rounds == 1:
			c.PassRate = rates[k]
		case c.Examinees != nil && c.Passers != nil && *c.Examinees > 0:
			r := math.Round(1000*float64(*c.Passers)/float64(*c.Examinees)) / 10
			c.PassRate = &r
		}
		slices.Sort(c.Sources)
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b CertStage) int {
		if c := cmp.Compare(a.Year, b.Year); c != 0 {
			return c
		}
		oa, ok := stageOrder[a.Stage]
		if !ok {
			oa = len(stageOrder)
		}
		ob, ok := stageOrder[b.Stage]
		if !ok {
			ob = len(stageOrder)
		}
		return cmp.Or(cmp.Compare(oa, ob), cmp.Compare(a.Stage, b.Stage))
	})
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
