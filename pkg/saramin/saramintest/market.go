package saramintest

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"jobpulse/pkg/kst"
	"jobpulse/pkg/saramin/codes"
)

const (
	// idStride spaces posting ids by KST day: the id of the i-th posting of
	// day d is d*idStride + i, so ids grow with posting time as on Saramin.
	idStride = 5000
	// futureDays is how far past the clock the market is generated, so that
	// advancing the clock reveals new postings.
	futureDays = 60
	// never is a close time past any clock.
	never = math.MaxInt64
)

// epochDay is the KST day that day number 0 stands for.
var epochDay = time.Date(2000, 1, 1, 0, 0, 0, 0, kst.Zone)

// posting is one generated posting with its whole timeline; what is served
// is its state as of the emulator clock (see state).
type posting struct {
	id          int64
	posted      int64 // unix seconds
	opening     int64
	expiration  int64
	closeAt     int64   // when active becomes 0; never if it stays open
	mods        []int64 // modification times, ascending, posted < m < closeAt
	company     int32
	title       string
	industry    string
	locs        []string
	jobTypes    []string
	mids        []string
	jobCodes    []string
	keywords    []string
	names       string // job-code names as served: keywords, then one name per code
	search      string // lower-cased title, keywords and job-code names
	expCode     int8
	expMin      int8
	expMax      int8
	edu         string
	salary      string
	salaryAfter string // salary from the first modification on ("" = unchanged)
	closeType   string
	readRate    float32
	applyDiv    float32
}

// state is a posting as of a clock.
type state struct {
	active   bool
	modified int64
	version  int
}

func (p *posting) state(now int64) state {
	s := state{active: now < p.closeAt, modified: p.posted}
	for _, m := range p.mods {
		if m > now {
			break
		}
		s.modified = m
		s.version++
	}
	if !s.active && p.closeAt > s.modified {
		s.modified = p.closeAt
		s.version++
	}
	return s
}

// salaryAt is the salary code as of a state.
func (p *posting) salaryAt(s state) string {
	if s.version > 0 && p.salaryAfter != "" {
		return p.salaryAfter
	}
	return p.salary
}

// counts returns the view and applicant numbers as of a clock: they grow
// with the square root of the hours the posting has been open.
func (p *posting) counts(now int64) (reads, applies int) {
	end := min(now, p.closeAt)
	h := float64(end-p.posted) / 3600
	if h < 0 {
		h = 0
	}
	r := int(float64(p.readRate) * math.Sqrt(h))
	return r, int(float64(r) / float64(p.applyDiv))
}

type company struct {
	name     string
	csn      string
	industry string
	home     string // location code
	keywords []string
}

// event is one published, modified or closed instant of a posting.
type event struct {
	at  int64
	idx int32
}

// market is the generated posting universe.
type market struct {
	seed      uint64
	tables    *codes.Tables
	scale     float64
	start     time.Time // first KST day of the history
	anchor    time.Time // the clock the history ends at; data share grows until here
	genEnd    time.Time // first KST day not generated yet
	companies []company
	postings  []posting // ascending by posted (and id)
	events    []event   // ascending by at
	picks     picks
}

// picks holds the weighted choices the generator draws from.
type picks struct {
	provinces   weighted[string]
	districts   map[string]weighted[string]
	industries  weighted[string]
	mids        weighted[string]
	itMids      weighted[string]
	codesByMid  map[string][]codes.JobCode
	jobTypes    weighted[string]
	education   weighted[string]
	salaries    weighted[string]
	closeTypes  weighted[string]
	hours       weighted[int]
	keywordsFor map[string][]string
}

type weighted[T any] struct {
	items []T
	cum   []float64
}

// choice is an item and its weight among a weighted set's items.
type choice[T any] struct {
	item   T
	weight float64
}

func newWeighted[T any](choices []choice[T]) weighted[T] {
	var w weighted[T]
	for _, c := range choices {
		w.add(c.item, c.weight)
	}
	return w
}

func (w *weighted[T]) add(item T, weight float64) {
	total := weight
	if n := len(w.cum); n > 0 {
		total += w.cum[n-1]
	}
	w.items = append(w.items, item)
	w.cum = append(w.cum, total)
}

func (w weighted[T]) pick(r *rand.Rand) T {
	x := r.Float64() * w.cum[len(w.cum)-1]
	i, _ := slices.BinarySearch(w.cum, x)
	if i >= len(w.items) {
		i = len(w.items) - 1
	}
	return w.items[i]
}

func dayNumber(t time.Time) int64 {
	d := kst.Midnight(t)
	return int64(d.Sub(epochDay).Hours()+0.5) / 24
}

func newMarket(seed int64, tables *codes.Tables, scale float64, now time.Time, historyDays int) (*market, error) {
	m := &market{seed: uint64(seed), tables: tables, scale: scale}
	m.anchor = now
	m.start = kst.Midnight(now).AddDate(0, 0, -historyDays)
	m.genEnd = m.start
	if err := m.buildPicks(); err != nil {
		return nil, err
	}
	m.buildCompanies()
	m.extendTo(kst.Midnight(now).AddDate(0, 0, futureDays+1))
	return m, nil
}

// clone copies the market for another emulator. What generation made is
// never changed afterwards, so postings, companies and picks are shared;
// the copy's own extension appends to a postings slice clipped to its
// length (a fresh array then) and rebuilds an events slice of its own.
func (m *market) clone() *market {
	c := *m
	c.postings = slices.Clip(m.postings)
	c.events = slices.Clone(m.events)
	return &c
}

func (m *market) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(m.seed, stream*0x9E3779B97F4A7C15+0x5A5A))
}

func (m *market) buildPicks() error {
	t := m.tables
	p := &m.picks
	p.provinces = newWeighted([]choice[string]{{"101000", 48}, {"102000", 26}, {"108000", 5}, {"106000", 4}, {"104000", 2.5}, {"105000", 2.5},
		{"103000", 1.5}, {"107000", 1.2}, {"118000", 0.8}, {"109000", 1.0}, {"114000", 1.5}, {"115000", 2.0}, {"113000", 1.0},
		{"112000", 0.8}, {"111000", 1.5}, {"110000", 2.0}, {"116000", 0.7}})
	boost := map[string]float64{"101010": 7, "101150": 3, "101180": 3, "101200": 3, "101080": 2.5, "101070": 2.5,
		"101130": 2.5, "101240": 2, "101160": 2, "101230": 1.5, "102190": 5, "102220": 2, "102510": 2, "102410": 1.5,
		"102330": 1.5, "105040": 3, "106070": 2, "106160": 2, "108040": 2}
	p.districts = map[string]weighted[string]{}
	for _, prov := range p.provinces.items {
		var w weighted[string]
		ds := t.Districts(prov)
		if len(ds) == 0 {
			w.add(prov, 1)
		}
		for _, d := range ds {
			b := boost[d.Code]
			if b == 0 {
				b = 1
			}
			w.add(d.Code, b)
		}
		p.districts[prov] = w
	}
	indBoost := map[string]float64{"301": 10, "304": 5, "305": 4, "306": 3, "307": 2, "308": 1.5, "313": 2, "314": 2,
		"302": 1.5, "201": 4, "202": 4, "213": 3, "803": 4, "111": 3, "109": 3, "601": 2, "701": 3, "703": 2, "901": 4,
		"504": 2, "1005": 1.5, "406": 2, "401": 1.5, "804": 3}
	for _, in := range t.Industries {
		b := indBoost[in.Code]
		if b == 0 {
			b = 0.8
		}
		p.industries.add(in.Code, b)
	}
	p.codesByMid = map[string][]codes.JobCode{}
	for _, jc := range t.JobCodes {
		if jc.Name != "" && jc.JobMidCode != "" && !dataCodes[jc.Code] {
			p.codesByMid[jc.JobMidCode] = append(p.codesByMid[jc.JobMidCode], jc)
		}
	}
	midW := map[string]float64{"2": 14, "8": 12, "4": 8, "14": 8, "15": 7, "16": 6, "3": 6, "5": 4, "11": 8, "10": 6,
		"21": 4, "22": 5, "12": 3, "18": 3, "19": 3, "13": 3, "7": 3}
	for _, jm := range t.JobMids {
		if w := midW[jm.Code]; w > 0 && len(p.codesByMid[jm.Code]) > 0 {
			p.mids.add(jm.Code, w)
		}
	}
	if len(p.mids.items) == 0 {
		return fmt.Errorf("no job group has named job codes")
	}
	p.itMids = newWeighted([]choice[string]{{"2", 60}, {"15", 10}, {"16", 10}, {"14", 8}, {"8", 7}, {"21", 3}})
	p.jobTypes = newWeighted([]choice[string]{{"1", 70}, {"1,10,2", 6}, {"2", 6}, {"10,2", 3}, {"1,2", 3}, {"2,5,9", 1.5}, {"9", 2}, {"4", 1.5},
		{"11,4", 1.2}, {"12", 0.8}, {"2,6", 1}, {"6", 0.8}, {"16", 0.6}, {"10,16,17,2", 0.6}, {"1,10,16,17,2", 0.5}, {"2,9", 0.8}, {"5", 0.7}})
	p.education = newWeighted([]choice[string]{{"0", 50}, {"7", 20}, {"8", 18}, {"6", 10}, {"9", 2}})
	p.salaries = newWeighted([]choice[string]{{"99", 47}, {"0", 32}, {"8", 1.5}, {"9", 2}, {"10", 2}, {"11", 2.5}, {"12", 1.5}, {"13", 1},
		{"14", 1.5}, {"15", 1}, {"16", 1}, {"17", 1.5}, {"18", 0.8}, {"101", 3}, {"98", 1}, {"104", 1}})
	p.closeTypes = newWeighted([]choice[string]{{"1", 80}, {"2", 14}, {"3", 5}, {"4", 1}})
	p.hours = newWeighted([]choice[int]{{0, 0.3}, {7, 0.6}, {8, 2.5}, {9, 7}, {10, 9}, {11, 9}, {12, 4.5}, {13, 8}, {14, 9.5}, {15, 9.5}, {16, 8.5},
		{17, 7.5}, {18, 4}, {19, 2}, {20, 1.2}, {21, 0.9}, {22, 0.6}, {23, 0.4}})
	for _, code := range p.salaries.items {
		if _, ok := t.Salary(code); !ok {
			return fmt.Errorf("salary code %s is not in the code tables", code)
		}
	}
	for _, combo := range p.jobTypes.items {
		for _, c := range strings.Split(combo, ",") {
			if _, ok := t.JobType(c); !ok {
				return fmt.Errorf("job type %s is not in the code tables", c)
			}
		}
	}
	p.keywordsFor = map[string][]string{}
	for _, in := range t.Industries {
		kws := t.KeywordsOf(in.Code)
		if len(kws) == 0 {
			kws = strings.Split(in.Name, "·")
		}
		p.keywordsFor[in.Code] = kws
	}
	return nil
}

var (
	nameHeads = []string{"한빛", "누리", "새솔", "가온", "다온", "미르", "하람", "늘봄", "별빛", "푸른", "바른", "온새", "라온", "해든", "다솜",
		"아름", "한결", "세움", "이음", "모아", "단비", "나래", "초록", "은하", "태평", "대한", "동방", "서해", "남산", "북악"}
	nameTails = []string{"테크", "소프트", "시스템", "정보통신", "데이터", "랩스", "네트웍스", "솔루션", "산업", "상사", "물산", "디자인",
		"에듀", "메디컬", "푸드", "건설", "엔지니어링", "커머스", "미디어", "컴퍼니", "파트너스", "글로벌", "바이오", "로지스"}
	nameForms = []string{"(주)%s%s", "주식회사 %s%s", "%s%s(주)", "%s%s", "(유)%s%s"}
)

func (m *market) buildCompanies() {
	r := m.rng(1 << 40)
	n := 4000
	m.companies = make([]company, n)
	for i := range m.companies {
		ind := m.picks.industries.pick(r)
		prov := m.picks.provinces.pick(r)
		name := fmt.Sprintf(nameForms[r.IntN(len(nameForms))], nameHeads[r.IntN(len(nameHeads))], nameTails[r.IntN(len(nameTails))])
		if r.IntN(3) == 0 {
			name += " " + string(rune('A'+r.IntN(26)))
		}
		kws := m.picks.keywordsFor[ind]
		k := 1 + r.IntN(min(4, len(kws)))
		pick := slices.Clone(kws)
		r.Shuffle(len(pick), func(a, b int) { pick[a], pick[b] = pick[b], pick[a] })
		pick = pick[:k]
		slices.Sort(pick)
		m.companies[i] = company{
			name:     "(합성) " + name,
			csn:      fmt.Sprintf("%010d", 1000000000+r.Int64N(8999999999)),
			industry: ind,
			home:     m.picks.districts[prov].pick(r),
			keywords: pick,
		}
	}
}

// dataShare is the share of data roles among postings of a day: it grows
// linearly from 3% at the start of the history to 9% at its end.
func (m *market) dataShare(day time.Time) float64 {
	span := m.anchor.Sub(m.start).Hours()
	f := day.Sub(m.start).Hours() / span
	f = max(0, min(1, f))
	return 0.03 + 0.06*f
}

// extendTo generates every KST day before end not generated yet. Each day
// draws from its own random stream, so a day's postings depend only on the
// seed and the day.
func (m *market) extendTo(end time.Time) {
	if !end.After(m.genEnd) {
		return
	}
	for d := m.genEnd; d.Before(end); d = d.AddDate(0, 0, 1) {
		m.generateDay(d)
	}
	m.genEnd = end
	m.events = m.events[:0]
	for i := range m.postings {
		p := &m.postings[i]
		m.events = append(m.events, event{p.posted, int32(i)})
		for _, t := range p.mods {
			m.events = append(m.events, event{t, int32(i)})
		}
		if p.closeAt != never {
			m.events = append(m.events, event{p.closeAt, int32(i)})
		}
	}
	slices.SortFunc(m.events, func(a, b event) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.idx, b.idx))
	})
}

var weekdayFactor = [7]float64{time.Sunday: 0.12, time.Monday: 1.15, time.Tuesday: 1.1, time.Wednesday: 1.05,
	time.Thursday: 1.0, time.Friday: 0.9, time.Saturday: 0.2}

// meanPostings is the expected number of postings published on the KST
// day starting at day (generateDay draws within ±15% of it).
func (m *market) meanPostings(day time.Time) float64 {
	return 126 * weekdayFactor[day.Weekday()] * m.scale
}

func (m *market) generateDay(day time.Time) {
	dn := dayNumber(day)
	r := m.rng(uint64(dn))
	mean := m.meanPostings(day)
	n := int(math.Round(mean * (0.85 + 0.3*r.Float64())))
	n = min(n, idStride-1)
	times := make([]int64, n)
	for i := range times {
		h := m.picks.hours.pick(r)
		times[i] = day.Add(time.Duration(h)*time.Hour + time.Duration(r.IntN(3600))*time.Second).Unix()
	}
	slices.Sort(times)
	share := m.dataShare(day)
	for i, at := range times {
		m.postings = append(m.postings, m.generatePosting(r, dn*idStride+int64(i), at, share))
	}
}

// snapDaytime moves an instant inside the quiet night (01:00-07:00 KST) to
// a time between 07:00 and 10:00 of the same day.
func snapDaytime(r *rand.Rand, at int64) int64 {
	t := time.Unix(at, 0).In(kst.Zone)
	if h := t.Hour(); h >= 1 && h < 7 {
		d := time.Date(t.Year(), t.Month(), t.Day(), 7, 0, 0, 0, kst.Zone)
		return d.Add(time.Duration(r.IntN(3*3600)) * time.Second).Unix()
	}
	return at
}

// daytimeOn returns a random working-hours instant of the KST day of t.
func (m *market) daytimeOn(r *rand.Rand, t time.Time) int64 {
	d := kst.Midnight(t)
	h := m.picks.hours.pick(r)
	return d.Add(time.Duration(h)*time.Hour + time.Duration(r.IntN(3600))*time.Second).Unix()
}

func (m *market) generatePosting(r *rand.Rand, id, at int64, dataShare float64) posting {
	p := posting{id: id, posted: at}
	ci := int(float64(len(m.companies)) * math.Pow(r.Float64(), 1.6))
	c := &m.companies[ci]
	p.company = int32(ci)
	p.industry = c.industry
	p.keywords = c.keywords
	namesNoKW := r.IntN(100) < 3

	// Role and job codes.
	x := r.Float64()
	var role roleSpec
	switch {
	case x < dataShare:
		role = dataRoles[r.IntN(len(dataRoles))]
	case x < dataShare+0.012:
		role = lookAlikes[r.IntN(len(lookAlikes))]
	}
	var chosen []string
	if role.title != nil {
		chosen = pickSome(r, role.codes, 3+r.IntN(len(role.codes)-2))
	} else {
		mid := m.picks.mids.pick(r)
		if cat, _ := m.tables.CategoryOf(c.industry); cat.Code == "3" {
			mid = m.picks.itMids.pick(r)
		}
		pool := m.picks.codesByMid[mid]
		k := 1 + r.IntN(min(len(pool), 6))
		if mid == "2" {
			k = 2 + r.IntN(min(len(pool)-1, 10))
		}
		chosen = pickSome(r, codeList(pool), k)
		if r.IntN(4) == 0 {
			for range 1 + r.IntN(3) {
				other := m.picks.mids.pick(r)
				op := m.picks.codesByMid[other]
				chosen = append(chosen, pickSome(r, codeList(op), 1+r.IntN(min(len(op), 3)))...)
			}
		}
		role = roleSpec{title: rolesByMid[mid]}
	}
	p.jobCodes = sortNumeric(dedupe(chosen))
	var mids []string
	for _, jc := range p.jobCodes {
		j, _ := m.tables.JobCode(jc)
		mids = append(mids, j.JobMidCode)
	}
	p.mids = sortNumeric(dedupe(mids))

	// Experience.
	switch e := r.IntN(100); {
	case e < 45:
		p.expCode = 0
	case e < 55:
		p.expCode = 1
	case e < 90:
		p.expCode = 2
		p.expMin = int8(1 + r.IntN(10))
		if r.IntN(2) == 0 {
			p.expMax = p.expMin + int8(1+r.IntN(10))
		}
	default:
		p.expCode = 3
		p.expMin = int8(r.IntN(3))
		if r.IntN(2) == 0 {
			p.expMax = p.expMin + int8(2+r.IntN(4))
		}
	}
	p.title = makeTitle(r, role.title, c, p.expCode, p.expMin)
	var names []string
	if !namesNoKW {
		names = append(names, p.keywords...)
	}
	for _, code := range p.jobCodes {
		j, _ := m.tables.JobCode(code)
		if !slices.Contains(names, j.Name) {
			names = append(names, j.Name)
		}
	}
	p.names = strings.Join(names, ",")
	p.search = strings.ToLower(p.title + " " + strings.Join(p.keywords, " ") + " " + p.names)

	// Locations.
	p.locs = []string{c.home}
	if r.IntN(100) >= 85 {
		p.locs = []string{m.picks.districts[m.picks.provinces.pick(r)].pick(r)}
	}
	if r.IntN(100) < 12 {
		prov := p.locs[0][:3] + "000"
		extra := 1 + r.IntN(8)
		for range extra {
			p.locs = append(p.locs, m.picks.districts[prov].pick(r))
		}
		if r.IntN(2) == 0 {
			p.locs = append(p.locs, prov)
		}
		if r.IntN(3) == 0 {
			p.locs = append(p.locs, m.picks.districts[m.picks.provinces.pick(r)].pick(r))
		}
		p.locs = sortNumeric(dedupe(p.locs))
	}

	p.jobTypes = strings.Split(m.picks.jobTypes.pick(r), ",")
	p.edu = m.picks.education.pick(r)
	p.salary = m.picks.salaries.pick(r)
	if (p.salary == "99" || p.salary == "0") && r.IntN(10) == 0 {
		p.salaryAfter = m.picks.salaries.pick(r)
	}
	p.readRate = float32(5 + r.IntN(60))
	p.applyDiv = float32(12 + r.IntN(40))

	// Timeline.
	posted := time.Unix(at, 0).In(kst.Zone)
	hour := posted.Truncate(time.Hour)
	switch o := r.IntN(100); {
	case o < 70:
		p.opening = hour.Unix()
	case o < 85:
		p.opening = hour.Add(-time.Hour).Unix()
	case o < 95:
		p.opening = kst.Midnight(posted).Unix()
	default:
		p.opening = kst.Midnight(posted).AddDate(0, 0, 1+r.IntN(8)).Add(9 * time.Hour).Unix()
	}
	p.closeType = m.picks.closeTypes.pick(r)
	p.closeAt = never
	switch p.closeType {
	case "1":
		days := []int{7, 10, 14, 14, 21, 30, 30, 30, 30, 45, 60}[r.IntN(11)]
		end := kst.Midnight(posted).AddDate(0, 0, days)
		switch e := r.IntN(100); {
		case e < 85:
			p.expiration = end.Add(24*time.Hour - time.Second).Unix()
		case e < 93:
			p.expiration = end.Add(18 * time.Hour).Unix()
		default:
			p.expiration = end.Add(17 * time.Hour).Unix()
		}
		p.closeAt = p.expiration
		if r.IntN(10) == 0 {
			p.closeAt = min(p.expiration, m.daytimeOn(r, posted.AddDate(0, 0, 1+r.IntN(days))))
		}
	case "2":
		p.expiration = time.Date(posted.Year()+12, 1, 1, 0, 0, 0, 0, kst.Zone).Unix()
		p.closeAt = m.daytimeOn(r, posted.AddDate(0, 0, 7+r.IntN(54)))
	default:
		p.expiration = time.Date(posted.Year()+12, 12, 31, 0, 0, 0, 0, kst.Zone).Unix()
		p.closeAt = m.daytimeOn(r, posted.AddDate(0, 0, 30+r.IntN(121)))
	}
	if p.closeAt <= p.posted {
		p.closeAt = p.posted + 3600
	}
	var nm int
	switch x := r.IntN(100); {
	case x < 55:
	case x < 80:
		nm = 1
	case x < 92:
		nm = 2
	default:
		nm = 3 + r.IntN(4)
	}
	for i := range nm {
		var t int64
		if i == 0 && r.IntN(2) == 0 {
			t = at + 60 + r.Int64N(3600)
		} else {
			horizon := min(p.closeAt, at+30*86400) - at
			if horizon <= 60 {
				continue
			}
			t = at + 60 + r.Int64N(horizon-60)
		}
		t = snapDaytime(r, t)
		if t > at && t < p.closeAt {
			p.mods = append(p.mods, t)
		}
	}
	slices.Sort(p.mods)
	p.mods = slices.Compact(p.mods)
	return p
}

func codeList(js []codes.JobCode) []string {
	out := make([]string, len(js))
	for i, j := range js {
		out[i] = j.Code
	}
	return out
}

func pickSome(r *rand.Rand, from []string, k int) []string {
	k = max(1, min(k, len(from)))
	idx := r.Perm(len(from))[:k]
	out := make([]string, k)
	for i, j := range idx {
		out[i] = from[j]
	}
	return out
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func sortNumeric(s []string) []string {
	slices.SortFunc(s, func(a, b string) int {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		return x - y
	})
	return s
}
