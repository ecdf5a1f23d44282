package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"jobpulse/pkg/skills"
	"jobpulse/pkg/warehouse"
)

// Filter narrows the postings a view counts. The zero values mean "any".
type Filter struct {
	Role  string // "all", a data role, a comparison group of other IT work, or "other" (the rest of the market)
	Entry bool   // only postings open to newcomers (신입)
	// Experience is one level of experience asked (a key of
	// warehouse.ExperienceLevels); "" any.
	Experience string
	Province   string
	Industry   string
	From, To   time.Time // KST days, both included
	Grain      string    // day, week or month
}

// Point is one period of a series. A period the warehouse does not cover
// (before its first posting day or after its last) has null counts: it is
// a gap, not a zero.
type Point struct {
	Date     string   `json:"date"`
	Postings *int64   `json:"postings"`       // new postings of the role
	Market   *int64   `json:"market"`         // new postings of every role, same other filters
	Share    *float64 `json:"share"`          // postings / market; null without market
	Entry    *int64   `json:"entry"`          // of postings, those open to newcomers
	Open     *int64   `json:"open,omitempty"` // open postings of the role at the period's end
	EntryPct *float64 `json:"entry_pct"`      // entry / postings; null without postings
	// Covered: the period shares a day with the warehouse's coverage.
	Covered bool `json:"covered"`
	// Partial marks a covered period that is not whole (Why says how:
	// "dates", "coverage" or "unfinished"): its count is not comparable
	// with the whole periods'.
	Partial bool   `json:"partial"`
	Why     string `json:"why,omitempty"`
}

// Row is one bar of a breakdown.
type Row struct {
	Name     string  `json:"name"`
	Postings int64   `json:"postings"`
	Share    float64 `json:"share"` // of the postings under the filters (Breakdown.Postings)
}

// Volume is the series of new postings of f's role against the whole
// market under the same filters, with the entry-level count and, without
// province, industry or entry filters, the open postings. Every period of
// the span is there: those the warehouse does not cover with null counts,
// those it covers only in part marked partial.
func (s *Store) Volume(ctx context.Context, f Filter) ([]Point, error) {
	snap, err := s.current()
	if err != nil {
		return nil, fmt.Errorf("volume: %w", err)
	}
	m := snap.compile(f)
	type tally struct{ postings, market, entry int64 }
	counts := map[int32]tally{}
	sel := span(snap.postings(m), detailDay, m.from, m.to)
	for i := range sel {
		r := &sel[i]
		if !m.counts(r) {
			continue
		}
		k := period(r.day, f.Grain)
		p := counts[k]
		p.market++
		if m.ofRole(r.role) {
			p.postings++
			if r.entry {
				p.entry++
			}
		}
		counts[k] = p
	}
	cov := snap.coverage()
	var out []Point
	index := map[int32]int{}
	for start := periodStart(f.From, f.Grain); !start.After(f.To); start = nextPeriod(start, f.Grain) {
		k := dayOf(start)
		p := Point{Date: start.Format(time.DateOnly)}
		p.Covered, p.Partial, p.Why = cov.judge(k, dayOf(nextPeriod(start, f.Grain))-1, m.from, m.to)
		if p.Covered {
			c := counts[k]
			p.Postings, p.Market, p.Entry = &c.postings, &c.market, &c.entry
			if c.market > 0 {
				share := float64(c.postings) / float64(c.market)
				p.Share = &share
			}
			if c.postings > 0 {
				pct := float64(c.entry) / float64(c.postings)
				p.EntryPct = &pct
			}
			index[k] = len(out)
		}
		out = append(out, p)
	}
	if f.Entry || f.Experience != "" || f.Province != "" || f.Industry != "" {
		return out, nil
	}
	// Open postings at the end of each covered period (the warehouse has
	// them by role only): the period's last day with a count.
	for _, o := range span(snap.open[cmp.Or(f.Role, "all")], func(o openDay) int32 { return o.day }, m.from, m.to) {
		if i, ok := index[period(o.day, f.Grain)]; ok {
			n := o.open
			out[i].Open = &n
		}
	}
	return out, nil
}

// periodStart is the first day of t's period: t, its week's Monday, or
// its month's first day (as DuckDB's date_trunc counts them).
func periodStart(t time.Time, grain string) time.Time {
	switch grain {
	case "week":
		return t.AddDate(0, 0, -int((t.Weekday()+6)%7))
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

func nextPeriod(start time.Time, grain string) time.Time {
	switch grain {
	case "week":
		return start.AddDate(0, 0, 7)
	case "month":
		return start.AddDate(0, 1, 0)
	}
	return start.AddDate(0, 0, 1)
}

// breakdowns are the dimensions a breakdown may group by: whether it
// counts a posting in each region it lists (each) or once, the rows that
// count (a posting's rows, one per region it lists: in each province once,
// in each region, or once), and its code in a row.
var breakdowns = map[string]struct {
	each bool
	row  func(match, *detailRow) bool
	col  func(*detailRow) code
}{
	"province":        {true, func(_ match, r *detailRow) bool { return r.provFirst }, func(r *detailRow) code { return r.province }},
	"district":        {true, func(match, *detailRow) bool { return true }, func(r *detailRow) code { return r.district }},
	"industry":        {false, match.once, func(r *detailRow) code { return r.industry }},
	"industry_detail": {false, match.once, func(r *detailRow) code { return r.industryDetail }},
	"experience":      {false, match.once, func(r *detailRow) code { return r.experience }},
}

// Breakdown is a view's postings by one dimension.
type Breakdown struct {
	Rows []Row `json:"rows"`
	// Postings counts the postings under the filters once each; a row's
	// share is of them. By province or district (EachRegion) a posting
	// listing several regions counts in each, so the rows may add up to
	// more than Postings and the shares to more than 1.
	Postings   int64 `json:"postings"`
	EachRegion bool  `json:"each_region"`
}

// Breakdown counts f's postings by province, industry, district or
// industry detail, largest first, or by experience level: every level of
// warehouse.ExperienceLevels in its order, those without postings at 0
// (postings whose level is unknown count in Postings only).
func (s *Store) Breakdown(ctx context.Context, by string, f Filter) (Breakdown, error) {
	b, ok := breakdowns[by]
	if !ok {
		return Breakdown{}, fmt.Errorf("breakdown: unknown dimension %q", by)
	}
	snap, err := s.current()
	if err != nil {
		return Breakdown{}, fmt.Errorf("breakdown: %w", err)
	}
	m := snap.compile(f)
	out := Breakdown{Rows: []Row{}, EachRegion: b.each}
	sel := span(snap.postings(m), detailDay, m.from, m.to)
	counts := map[code]int64{}
	for i := range sel {
		r := &sel[i]
		if !m.where(r) || !m.ofRole(r.role) {
			continue
		}
		if m.once(r) {
			out.Postings++
		}
		// A posting's rows, one per region it lists: counted in each
		// province or region, or once (at its first region, or its first
		// in the province chosen).
		if !b.row(m, r) {
			continue
		}
		if c := b.col(r); c != 0 {
			counts[c]++
		}
	}
	names := snap.largest(counts)
	if by == "experience" {
		// Every level, in the order of experience asked, none left out.
		names = names[:0]
		for _, l := range warehouse.ExperienceLevels() {
			names = append(names, l.Key)
		}
	}
	for _, name := range names {
		var n int64
		if c, ok := snap.lookup(name); ok {
			n = counts[c]
		}
		r := Row{Name: name, Postings: n}
		if out.Postings > 0 {
			r.Share = float64(n) / float64(out.Postings)
		}
		out.Rows = append(out.Rows, r)
	}
	return out, nil
}

// Skill is one skill's demand: the share of the filtered postings asking
// for it, in the period and in the period of the same length before. Its
// names and category are the dictionary's (package skills).
type Skill struct {
	Name     string   `json:"name"` // canonical, as core.recruit.skills holds it
	Ko       string   `json:"ko"`   // display names
	En       string   `json:"en"`
	Category string   `json:"category"` // language, storage, processing, cloud, bi or ml
	Postings int64    `json:"postings"`
	Share    float64  `json:"share"`
	Before   *float64 `json:"before"` // null when the earlier period is not (fully) in the warehouse
}

// SkillDemand is what the skills view shows: the postings counted and the
// skills most asked of them.
type SkillDemand struct {
	Postings int64   `json:"postings"` // postings of f's role and filters in its days
	Skills   []Skill `json:"skills"`
}

// Skills lists the 15 skills most asked of f's postings (its role, entry
// level, province and industry, in its days), of one category unless
// category is empty, with their share in as many days just before (null
// when the warehouse does not reach that far back, or holds no posting of
// the filters then). Only the dictionary's skills are listed: a name the
// warehouse holds that the dictionary does not know is left out.
func (s *Store) Skills(ctx context.Context, f Filter, category skills.Category) (SkillDemand, error) {
	snap, err := s.current()
	if err != nil {
		return SkillDemand{}, fmt.Errorf("skills: %w", err)
	}
	days := int(f.To.Sub(f.From).Hours()/24) + 1
	prevFrom := f.From.AddDate(0, 0, -days)
	wide := f
	wide.From = prevFrom
	m := snap.compile(wide)
	cur := dayOf(f.From)
	// Postings of the filters in each period, and of each skill.
	// (At their first region: with a province chosen, the postings whose
	// first region is in it.)
	var total, totalPrev int64
	sel := span(snap.detail, detailDay, m.from, m.to)
	for i := range sel {
		r := &sel[i]
		if !r.primary || !m.where(r) || !m.ofRole(r.role) {
			continue
		}
		if r.day >= cur {
			total++
		} else {
			totalPrev++
		}
	}
	n, prev := map[code]int64{}, map[code]int64{}
	lo, hi := spanIndex(snap.posts, postDay, m.from, m.to)
	for i := lo; i < hi; i++ {
		r := &snap.posts[i]
		if !m.whereFacts(r) || !m.ofRole(r.role) {
			continue
		}
		count := n
		if r.day < cur {
			count = prev
		}
		for _, k := range snap.postSkills(i) {
			count[k]++
		}
	}
	// The earlier period is covered when the warehouse's first day is not
	// after its start.
	covered := len(snap.detail) > 0 && snap.detail[0].day <= dayOf(prevFrom)
	dict := skills.Default()
	out := SkillDemand{Postings: total, Skills: []Skill{}}
	for _, name := range snap.largest(n) {
		if len(out.Skills) == 15 {
			break
		}
		sk, ok := dict.Lookup(name)
		if !ok || (category != "" && sk.Category != category) {
			continue
		}
		c := snap.codes[name]
		k := Skill{Name: name, Ko: sk.Ko, En: sk.En, Category: string(sk.Category), Postings: n[c], Share: float64(n[c]) / float64(total)}
		if covered && totalPrev > 0 {
			b := float64(prev[c]) / float64(totalPrev)
			k.Before = &b
		}
		out.Skills = append(out.Skills, k)
	}
	return out, nil
}

// Meta is what the page needs before it can ask anything: the values each
// filter takes, the history the warehouse holds and how fresh it is.
type Meta struct {
	// Roles are the data roles the warehouse holds, most postings first,
	// then the rest ("other": outside the data roles and, when Groups is
	// not empty, outside IT).
	Roles []string `json:"roles"`
	// Groups are the comparison groups of other IT work the warehouse
	// holds (package role), in display order; a view takes one as a role.
	Groups []string `json:"groups"`
	// Experience lists the levels of experience a posting may ask, in
	// order, with their names: the experience filter takes their keys.
	Experience []warehouse.ExperienceLevel `json:"experience"`
	Provinces  []string                    `json:"provinces"`
	Industries []string                    `json:"industries"`
	Keywords   []string                    `json:"keywords"` // followed in Google Trends
	Exams      []string                    `json:"exams"`
	First      string                      `json:"first"` // first and last posting day
	Last       string                      `json:"last"`
	// LastWhole is the last day the warehouse holds whole: Last, or the
	// day before when the newest load ran during Last.
	LastWhole string  `json:"last_whole"`
	Postings  int64   `json:"postings"`
	Coverage  []Month `json:"coverage"` // every month from First to Last
	// EN names the provinces and industries in English (Korean name →
	// English); a name without one is shown as it is.
	EN        map[string]string `json:"en"`
	Synthetic bool              `json:"synthetic"`
	Loaded    LoadedTimes       `json:"loaded"`
	// Clock is the warehouse's clock (warehouse.Snapshot.Clock): the
	// moment open postings are judged open at; null before any load.
	Clock    *time.Time `json:"clock"`
	Snapshot time.Time  `json:"snapshot"`
}

// LoadedTimes are each source's newest load.
type LoadedTimes struct {
	Saramin *time.Time `json:"saramin"`
	Trends  *time.Time `json:"trends"`
	Cert    *time.Time `json:"cert"`
}

// Meta returns the snapshot's facts: every request checks its filters
// against them.
func (s *Store) Meta(ctx context.Context) (Meta, error) {
	snap, err := s.current()
	if err != nil {
		return Meta{}, fmt.Errorf("meta: %w", err)
	}
	return snap.meta, nil
}
