package dashboard

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"jobpulse/pkg/role"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

// snapshot is a warehouse's snapshot laid out for answering: the text of
// every dimension as a small integer code, days as numbers, and rows
// ordered by day so a date range is two binary searches. detail has a row
// per posting and region it lists, for the views of postings (each
// posting once: at its first region, or with a province chosen at its
// first region there; or once in each province or region it lists);
// posts has a row per posting, for the skills and lifetime views.
type snapshot struct {
	names    []string        // code → text
	codes    map[string]code // text → code
	overflow bool            // more texts than a code numbers: the snapshot is refused

	detail []detailRow
	posts  []postRow
	skills []code // the skills each posting asks, from posts[i].skills to posts[i+1].skills

	open   map[string][]openDay   // role ("all", "other" included) → open postings, every day of the market
	trends map[string][]trendWeek // keyword → periods
	certs  map[string][]warehouse.CertRow
	meta   Meta
}

// code is a text's number in a snapshot: names[c]; 0 is "".
type code uint16

// detailRow is one posting and one region it lists (each distinct region
// once; one row, its province, when it lists none).
type detailRow struct {
	day                                  int32
	role, province, industry, experience code
	district, industryDetail             code
	entry                                bool
	primary                              bool // the posting's first region
	provFirst                            bool // the posting's first region in this province
}

// postRow is one posting, its province the first it lists (core.recruit's
// province): the skills it asks, how long it stayed open and how it ended
// (an index in warehouse.Ends()).
type postRow struct {
	day                                  int32
	role, province, industry, experience code
	days                                 uint16
	end                                  uint8
	entry                                bool
	skills                               uint32 // its first skill in snapshot.skills
}

type openDay struct {
	day  int32
	open int64
}

type trendWeek struct {
	week     int32 // the Monday after the period's Sunday start: the week it is compared with
	day      int32 // the period
	interest float64
	anchor   string // the keyword its request was scaled on
}

// dayOf is t's date as days since 1970-01-01.
func dayOf(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dateOf(day int32) time.Time { return time.Unix(int64(day)*86400, 0).UTC() }

// weekStart is the Monday of day's week (1970-01-01 was a Thursday).
func weekStart(day int32) int32 { return day - (day+3)%7 }

// period is the first day of day's period in grain (day, week or month).
func period(day int32, grain string) int32 {
	switch grain {
	case "week":
		return weekStart(day)
	case "month":
		t := dateOf(day)
		return day - int32(t.Day()) + 1
	}
	return day
}

// code is v's code, assigned on first sight; 0 is "". Past the codes
// there are, it answers 0 and marks the snapshot overflowing.
func (s *snapshot) code(v string) code {
	if c, ok := s.codes[v]; ok {
		return c
	}
	if len(s.names) > math.MaxUint16 {
		s.overflow = true
		return 0
	}
	c := code(len(s.names))
	v = strings.Clone(v) // not the reader's row
	s.names = append(s.names, v)
	s.codes[v] = c
	return c
}

// lookup is v's code; ok is false for text the snapshot does not hold.
func (s *snapshot) lookup(v string) (code, bool) {
	c, ok := s.codes[v]
	return c, ok
}

// newSnapshot is an empty snapshot to add the warehouse's postings to,
// then finish.
func newSnapshot() *snapshot {
	s := &snapshot{codes: map[string]code{}, open: map[string][]openDay{}, trends: map[string][]trendWeek{}, certs: map[string][]warehouse.CertRow{}}
	s.code("")
	return s
}

// Expect makes room for the postings coming (warehouse.PostingSink).
func (s *snapshot) Expect(postings, regions, skills int) {
	s.detail = slices.Grow(s.detail, regions)
	s.posts = slices.Grow(s.posts, postings)
	s.skills = slices.Grow(s.skills, skills)
}

// Posting lays out one posting of the warehouse's, read in order of day
// (warehouse.PostingSink).
func (s *snapshot) Posting(p *warehouse.SnapshotPosting) error {
	day := dayOf(p.Date)
	if n := len(s.posts); n > 0 && day < s.posts[n-1].day {
		return fmt.Errorf("snapshot: postings out of order: %s after %s", p.Date.Format(time.DateOnly), dateOf(s.posts[n-1].day).Format(time.DateOnly))
	}
	role, industry, experience := s.code(p.Role), s.code(p.Industry), s.code(p.Experience)
	detail := s.code(p.IndustryDetail)
	first := len(s.detail)
	for i, r := range p.Regions {
		prov := s.code(r.Province)
		// The first of the posting's rows in this province.
		provFirst := !slices.ContainsFunc(s.detail[first:], func(d detailRow) bool { return d.province == prov })
		s.detail = append(s.detail, detailRow{day: day, role: role, province: prov, industry: industry, experience: experience,
			district: s.code(r.District), industryDetail: detail, entry: p.Entry, primary: i == 0, provFirst: provFirst})
	}
	end := slices.Index(warehouse.Ends(), p.Ended)
	if end < 0 {
		end = int(endClosed) // closed, how unknown
	}
	s.posts = append(s.posts, postRow{day: day, role: role, province: s.code(p.Province), industry: industry, experience: experience,
		days: uint16(min(max(p.Days, 0), math.MaxUint16)), end: uint8(end), entry: p.Entry, skills: uint32(len(s.skills))})
	for _, k := range p.Skills {
		s.skills = append(s.skills, s.code(k))
	}
	if s.overflow {
		return fmt.Errorf("snapshot: more than %d distinct texts (roles, regions, industries, skills)", math.MaxUint16+1)
	}
	return nil
}

// postSkills are the skills posts[i] asks.
func (s *snapshot) postSkills(i int) []code {
	end := len(s.skills)
	if i+1 < len(s.posts) {
		end = int(s.posts[i+1].skills)
	}
	return s.skills[s.posts[i].skills:end]
}

// finish completes a snapshot of the postings added with the rest of w.
func (s *snapshot) finish(w *warehouse.Snapshot, taken time.Time) *snapshot {
	s.openDaily(w.Open, slices.ContainsFunc(role.Groups(), func(g role.Group) bool { _, ok := s.codes[string(g)]; return ok }))
	for _, t := range w.Trends {
		if t.Partial || t.Interest == nil {
			continue
		}
		d := dayOf(t.Period)
		s.trends[t.Keyword] = append(s.trends[t.Keyword], trendWeek{week: weekStart(d + 1), day: d, interest: *t.Interest, anchor: t.Anchor})
	}
	for _, c := range w.Certs {
		s.certs[c.Exam] = append(s.certs[c.Exam], c)
	}
	s.meta = s.readMeta(w, taken)
	return s
}

// openDaily fills open: every day the market has a count ("all"), each
// data role's count (0 where the warehouse holds no row) and the rest of
// the market's ("other": the market less the roles). The warehouse counts
// open postings by data role only: when the postings carry comparison
// groups, "other" (outside IT) is not the market less the roles, and it
// has no open postings, like the groups.
func (s *snapshot) openDaily(rows []warehouse.OpenRow, groups bool) {
	all := map[int32]int64{}
	byRole := map[string]map[int32]int64{}
	for _, o := range rows {
		d := dayOf(o.Date)
		switch o.Role {
		case "all":
			all[d] = o.Open
			continue
		case "other":
			continue // the difference, below
		}
		if byRole[o.Role] == nil {
			byRole[o.Role] = map[int32]int64{}
		}
		byRole[o.Role][d] = o.Open
	}
	days := make([]int32, 0, len(all))
	for d := range all {
		days = append(days, d)
	}
	slices.Sort(days)
	for _, d := range days {
		other := all[d]
		for role, m := range byRole {
			s.open[role] = append(s.open[role], openDay{d, m[d]})
			other -= m[d]
		}
		s.open["all"] = append(s.open["all"], openDay{d, all[d]})
		if !groups {
			s.open["other"] = append(s.open["other"], openDay{d, other})
		}
	}
}

// span is the rows of days from..to (rows ordered by day).
func span[T any](rows []T, day func(T) int32, from, to int32) []T {
	lo, hi := spanIndex(rows, day, from, to)
	return rows[lo:hi]
}

// spanIndex is span as indexes: rows[lo:hi].
func spanIndex[T any](rows []T, day func(T) int32, from, to int32) (lo, hi int) {
	lo = sort.Search(len(rows), func(i int) bool { return day(rows[i]) >= from })
	hi = sort.Search(len(rows), func(i int) bool { return day(rows[i]) > to })
	return lo, hi
}

func detailDay(r detailRow) int32 { return r.day }

// postings are the rows that count each posting under m once (counts).
func (s *snapshot) postings(match) []detailRow { return s.detail }

func postDay(r postRow) int32 { return r.day }

// match is a Filter compiled against a snapshot's codes. A value the
// snapshot does not hold matches no row.
type match struct {
	from, to                                int32
	anyRole                                 bool
	role, province, industry, experience    code
	anyProvince, anyIndustry, anyExperience bool
	entry                                   bool
	none                                    bool // a province or industry the snapshot lacks: no row passes
	noRole                                  bool // a role the snapshot lacks: no posting is of it (the market still counts)
}

func (s *snapshot) compile(f Filter) match {
	m := match{from: dayOf(f.From), to: dayOf(f.To), entry: f.Entry, anyRole: f.Role == "all",
		anyProvince: f.Province == "", anyIndustry: f.Industry == "", anyExperience: f.Experience == ""}
	var ok bool
	if !m.anyRole {
		if m.role, ok = s.lookup(f.Role); !ok {
			m.noRole = true
		}
	}
	if !m.anyProvince {
		if m.province, ok = s.lookup(f.Province); !ok {
			m.none = true
		}
	}
	if !m.anyIndustry {
		if m.industry, ok = s.lookup(f.Industry); !ok {
			m.none = true
		}
	}
	if !m.anyExperience {
		if m.experience, ok = s.lookup(f.Experience); !ok {
			m.none = true
		}
	}
	return m
}

// where reports whether r passes the filter's entry, experience, province
// and industry (not its role: the views count the market too).
func (m match) where(r *detailRow) bool {
	return !m.none && (!m.entry || r.entry) && (m.anyProvince || r.province == m.province) &&
		(m.anyIndustry || r.industry == m.industry) && (m.anyExperience || r.experience == m.experience)
}

// once reports whether a posting's row counts it once: its first region,
// or with a province chosen its first region there.
func (m match) once(r *detailRow) bool {
	if m.anyProvince {
		return r.primary
	}
	return r.provFirst
}

// counts reports whether r passes the filter (as where) and is the row
// that counts its posting once (as once).
func (m match) counts(r *detailRow) bool { return m.where(r) && m.once(r) }

// whereFacts is where for a posting's row of posts.
func (m match) whereFacts(r *postRow) bool {
	return !m.none && (!m.entry || r.entry) && (m.anyProvince || r.province == m.province) &&
		(m.anyIndustry || r.industry == m.industry) && (m.anyExperience || r.experience == m.experience)
}

func (m match) ofRole(role code) bool { return m.anyRole || (!m.noRole && role == m.role) }

// readMeta gathers the snapshot's facts.
func (s *snapshot) readMeta(w *warehouse.Snapshot, taken time.Time) Meta {
	m := Meta{Postings: w.Postings, Synthetic: w.Synthetic, Snapshot: taken, Keywords: []string{}, Exams: []string{},
		Experience: warehouse.ExperienceLevels()}
	roles, provinces, industries := map[code]int64{}, map[code]int64{}, map[code]int64{}
	months := map[int32]int64{}
	for i := range s.detail {
		r := &s.detail[i]
		if r.primary {
			roles[r.role]++
			industries[r.industry]++
			months[period(r.day, "month")]++
		}
		// Every province a posting lists, most listed first.
		if r.provFirst {
			provinces[r.province]++
		}
	}
	m.Roles, m.Groups = splitRoles(s.largest(roles))
	m.Provinces, m.Industries = s.largest(provinces), s.largest(industries)
	if len(s.detail) > 0 {
		m.First, m.Last = dateOf(s.detail[0].day).Format(time.DateOnly), dateOf(s.detail[len(s.detail)-1].day).Format(time.DateOnly)
	}
	keywords := map[string]bool{}
	for _, t := range w.Trends {
		keywords[t.Keyword] = true
	}
	for k := range keywords {
		m.Keywords = append(m.Keywords, k)
	}
	for e := range s.certs {
		m.Exams = append(m.Exams, e)
	}
	slices.Sort(m.Keywords)
	slices.Sort(m.Exams)
	for _, src := range []struct {
		name source.Source
		dst  **time.Time
	}{{source.Saramin, &m.Loaded.Saramin}, {source.Trends, &m.Loaded.Trends}, {source.Cert, &m.Loaded.Cert}} {
		if t, ok := w.Loaded[src.name]; ok {
			t := t.UTC()
			*src.dst = &t
		}
	}
	if !w.Clock.IsZero() {
		c := w.Clock.UTC()
		m.Clock = &c
	}
	cov := coverageOf(s.detail, m.Loaded.Saramin)
	if cov.ok {
		m.LastWhole = dateOf(cov.whole).Format(time.DateOnly)
	}
	m.Coverage = cov.months(months, m.Postings)
	m.EN = englishNames(m.Provinces, m.Industries)
	return m
}

// splitRoles parts the snapshot's role values (most postings first) into
// the roles a view lists, data roles first, and the comparison groups, in
// display order.
func splitRoles(values []string) (roles, groups []string) {
	var rest []string
	roles, groups = []string{}, []string{}
	for _, v := range values {
		if r, ok := role.Parse(v); ok && r != role.None {
			roles = append(roles, v)
		} else if _, ok := role.ParseGroup(v); !ok || v == "" {
			rest = append(rest, v)
		}
	}
	for _, g := range role.Groups() {
		if slices.Contains(values, string(g)) {
			groups = append(groups, string(g))
		}
	}
	return append(roles, rest...), groups
}

// largest names the codes with postings, most first (then by name), the
// empty text left out.
func (s *snapshot) largest(n map[code]int64) []string {
	out := []string{}
	for c := range n {
		if s.names[c] != "" {
			out = append(out, s.names[c])
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := cmp.Compare(n[s.codes[b]], n[s.codes[a]]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return out
}

// mean is the average of xs (NaN for none).
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var t float64
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}
