package dashboard

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"

	"jobpulse/pkg/role"
	"jobpulse/pkg/warehouse"
)

// snapshot is a warehouse.Snapshot laid out for answering: the text of
// every dimension as a small integer code, days as numbers, rows ordered
// by day so a date range is two binary searches, and two cubes without
// district and industry detail, for the views that need neither: cube
// counts each posting once, at its first region; listed counts it once in
// each province it lists.
type snapshot struct {
	names []string          // code → text
	codes map[string]uint32 // text → code

	cube   []detailRow // district and detail are 0; each posting once
	listed []detailRow // district and detail are 0; each posting once per province listed
	detail []detailRow // each posting once per region listed (primary and provFirst say which)
	skills []skillRow
	open   map[string][]openDay   // role ("all", "other" included) → open postings, every day of the market
	life   []lifeRow              // postings by days open and how they ended (lifetime.go)
	trends map[string][]trendWeek // keyword → periods
	certs  map[string][]warehouse.CertRow
	meta   Meta
}

type detailRow struct {
	day                      int32
	role, province, industry uint32
	district, industryDetail uint32
	experience               uint32
	entry                    bool
	primary                  bool // the posting's first region
	provFirst                bool // the posting's first region in this province
	postings                 int64
}

type skillRow struct {
	day                             int32
	role, province, industry, skill uint32
	experience                      uint32
	entry                           bool
	postings                        int64
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

// code is s's code, assigned on first sight; 0 is "".
func (s *snapshot) code(v string) uint32 {
	if c, ok := s.codes[v]; ok {
		return c
	}
	c := uint32(len(s.names))
	s.names = append(s.names, v)
	s.codes[v] = c
	return c
}

// lookup is v's code; ok is false for text the snapshot does not hold.
func (s *snapshot) lookup(v string) (uint32, bool) {
	c, ok := s.codes[v]
	return c, ok
}

func newSnapshot(w *warehouse.Snapshot, taken time.Time) *snapshot {
	s := &snapshot{codes: map[string]uint32{}, open: map[string][]openDay{}, trends: map[string][]trendWeek{}, certs: map[string][]warehouse.CertRow{}}
	s.code("")
	type cubeKey struct {
		day                                  int32
		role, province, industry, experience uint32
		entry                                bool
	}
	cube, listed := map[cubeKey]int64{}, map[cubeKey]int64{}
	s.detail = make([]detailRow, 0, len(w.Detail))
	for _, d := range w.Detail {
		r := detailRow{day: dayOf(d.Date), role: s.code(d.Role), province: s.code(d.Province), industry: s.code(d.Industry),
			district: s.code(d.District), industryDetail: s.code(d.IndustryDetail), experience: s.code(d.Experience), entry: d.Entry,
			primary: d.Primary, provFirst: d.ProvinceFirst, postings: d.Postings}
		s.detail = append(s.detail, r)
		k := cubeKey{r.day, r.role, r.province, r.industry, r.experience, r.entry}
		if r.primary {
			cube[k] += r.postings
		}
		if r.provFirst {
			listed[k] += r.postings
		}
	}
	flat := func(m map[cubeKey]int64, primary bool) []detailRow {
		out := make([]detailRow, 0, len(m))
		for k, n := range m {
			out = append(out, detailRow{day: k.day, role: k.role, province: k.province, industry: k.industry, experience: k.experience, entry: k.entry,
				primary: primary, provFirst: true, postings: n})
		}
		return out
	}
	s.cube, s.listed = flat(cube, true), flat(listed, false)
	byDay := func(a, b detailRow) int { return cmp.Compare(a.day, b.day) }
	slices.SortStableFunc(s.detail, byDay)
	slices.SortFunc(s.cube, byDay)
	slices.SortFunc(s.listed, byDay)
	for _, k := range w.Skills {
		s.skills = append(s.skills, skillRow{day: dayOf(k.Date), role: s.code(k.Role), province: s.code(k.Province),
			industry: s.code(k.Industry), skill: s.code(k.Skill), experience: s.code(k.Experience), entry: k.Entry, postings: k.Postings})
	}
	slices.SortStableFunc(s.skills, func(a, b skillRow) int { return cmp.Compare(a.day, b.day) })
	s.openDaily(w.Open, slices.ContainsFunc(role.Groups(), func(g role.Group) bool { _, ok := s.codes[string(g)]; return ok }))
	s.lifetimeRows(w.Lifetime)
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
	lo := sort.Search(len(rows), func(i int) bool { return day(rows[i]) >= from })
	hi := sort.Search(len(rows), func(i int) bool { return day(rows[i]) > to })
	return rows[lo:hi]
}

func detailDay(r detailRow) int32 { return r.day }

// postings is the cube that counts each posting under m once: with a
// province chosen, the postings listing a region in it (a posting listing
// several provinces counts under each), else every posting at its first
// region.
func (s *snapshot) postings(m match) []detailRow {
	if m.anyProvince {
		return s.cube
	}
	return s.listed
}
func skillDay(r skillRow) int32 { return r.day }

// match is a Filter compiled against a snapshot's codes. A value the
// snapshot does not hold matches no row.
type match struct {
	from, to                                int32
	anyRole                                 bool
	role, province, industry, experience    uint32
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
// or with a province chosen its first region there. Cube rows always do.
func (m match) once(r *detailRow) bool {
	if m.anyProvince {
		return r.primary
	}
	return r.provFirst
}

func (m match) ofRole(role uint32) bool { return m.anyRole || (!m.noRole && role == m.role) }

// readMeta gathers the snapshot's facts.
func (s *snapshot) readMeta(w *warehouse.Snapshot, taken time.Time) Meta {
	m := Meta{Postings: w.Postings, Synthetic: w.Synthetic, Snapshot: taken, Keywords: []string{}, Exams: []string{},
		Experience: warehouse.ExperienceLevels()}
	roles, provinces, industries := map[uint32]int64{}, map[uint32]int64{}, map[uint32]int64{}
	months := map[int32]int64{}
	for _, r := range s.cube {
		roles[r.role] += r.postings
		industries[r.industry] += r.postings
		months[period(r.day, "month")] += r.postings
	}
	// Every province a posting lists, most listed first.
	for _, r := range s.listed {
		provinces[r.province] += r.postings
	}
	m.Roles, m.Groups = splitRoles(s.largest(roles))
	m.Provinces, m.Industries = s.largest(provinces), s.largest(industries)
	if len(s.cube) > 0 {
		m.First, m.Last = dateOf(s.cube[0].day).Format(time.DateOnly), dateOf(s.cube[len(s.cube)-1].day).Format(time.DateOnly)
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
		name string
		dst  **time.Time
	}{{"saramin", &m.Loaded.Saramin}, {"trends", &m.Loaded.Trends}, {"cert", &m.Loaded.Cert}} {
		if t, ok := w.Loaded[src.name]; ok {
			t := t.UTC()
			*src.dst = &t
		}
	}
	if !w.Clock.IsZero() {
		c := w.Clock.UTC()
		m.Clock = &c
	}
	cov := coverageOf(s.cube, m.Loaded.Saramin)
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
func (s *snapshot) largest(n map[uint32]int64) []string {
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
