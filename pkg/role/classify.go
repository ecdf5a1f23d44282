package role

import (
	"regexp"
	"slices"
	"strings"
)

// Classify decides the data role of a posting. The precedence, strongest
// first:
//
//  1. A global veto anywhere in the title (courses, data labelling, data
//     entry) makes it None.
//  2. The title body (after the company name and a leading bracketed prefix
//     are set aside) is split into parts at "/", ",", "·", "&", "및",
//     brackets, ...; a part with a veto (데이터센터, 디자이너, 강사, 증권
//     애널리스트, ...) is dropped, and if any part names a non-data occupation
//     only function and explicit matches count. Of the remaining matches the strongest
//     wins (explicit > function > topic); among equals the first mentioned
//     wins, so "데이터 엔지니어/분석가" is a data engineer; at the same position
//     the longer phrase wins ("데이터 분석 플랫폼" is engineering).
//  3. A title body with no data match but a veto or a non-data occupation is
//     None: job codes do not overrule a title that names another job.
//  4. A bracketed prefix with a function or explicit match decides next
//     ("[데이터분석팀] 인턴 채용"); prefix topics are ignored, since the prefix
//     is often the company ("[빅데이터랩] ...").
//  5. Otherwise the job codes, their names and the keywords are scored per
//     role (codePoints), plus one point when the posting is in the
//     IT개발·데이터 group; the best role wins at codeThreshold or above, ties
//     going to the display order of Roles.
//
// The title wins over the codes, except that a title naming only a topic
// ("빅데이터", "머신러닝") gives way to job codes that decide for another role.
//
// A posting that is not a data role then gets its comparison group
// (classifyGroup), unless a global veto set it aside: courses, labelling and
// data entry are not IT work.
func Classify(in Input) Result {
	t := prepare(in.Title)
	if id := globalVeto(t.lower); id != "" {
		return Result{Role: None, Rule: "veto:" + id, GroupRule: "veto:" + id}
	}
	res := classifyRole(t, in)
	if res.Role == None {
		res.Group, res.GroupRule = classifyGroup(t, in)
	}
	return res
}

// classifyRole is Classify's data-role decision for a prepared title
// without a global veto.
func classifyRole(t title, in Input) Result {
	body := scanParts(t, t.bodyStart, len(t.lower))
	codes := codeScores(in)
	if m, ok := body.best(); ok {
		return decide(m, "title:", codes)
	}
	if body.veto != "" {
		return Result{Role: None, Rule: "veto:" + body.veto}
	}
	if body.other != "" {
		return Result{Role: None, Rule: "other:" + body.other}
	}
	if t.bodyStart > 0 {
		prefix := scanParts(t, 0, t.bodyStart)
		if m, ok := prefix.best(); ok && m.rule.strength >= function && prefix.veto == "" {
			return decide(m, "prefix:", codes)
		}
	}
	if r, score := codes.best(); r != None && score >= codeThreshold {
		return Result{Role: r, Rule: "codes:" + string(r), Score: score}
	}
	return Result{Role: None, Rule: "none"}
}

// decide turns the winning title match into a Result, letting decisive job
// codes overrule a topic-only title.
func decide(m match[Role], where string, codes scores) Result {
	if m.rule.strength == topic {
		if r, score := codes.best(); r != None && r != m.rule.class && score >= codeThreshold {
			return Result{Role: r, Rule: "codes:" + string(r) + "+" + where + m.rule.id, Score: score}
		}
	}
	return Result{Role: m.rule.class, Rule: where + m.rule.id, Score: 10*m.rule.strength + codes[m.rule.class]}
}

// title is a title made ready for matching: cs keeps the case, lower has
// ASCII letters lower-cased; both have the same byte offsets.
type title struct {
	cs, lower string
	bodyStart int
}

var (
	spaces = regexp.MustCompile(`[\s\x{00a0}\x{3000}]+`)
	// Company names: "(주)OO", "OO(주)", "주식회사 OO", "(유)OO"; the
	// emulator's "(합성)" marker.
	company = regexp.MustCompile(`\((주|유)\)\s*[^\s\[\]()]+|[^\s\[\]()]+\((주|유)\)|주식회사\s*[^\s\[\]()]+|\(합성\)`)
	// Saramin's job group name "IT개발·데이터" appears in titles verbatim; its
	// "데이터" says nothing about the job.
	groupName = regexp.MustCompile(`(?i)it\s*개발\s*[·.ㆍ]\s*데이터`)
	// Samsung's "DS부문" (Device Solutions) is not a data scientist.
	dsDivision = regexp.MustCompile(`DS(\s*(부문|사업부|사업))`)
	// "DA/DBA" in SI postings is data architecture next to DB administration,
	// treated as DBA (see the package doc).
	daDBA = regexp.MustCompile(`DA\s*[/,·&]\s*DBA|DBA\s*[/,·&]\s*DA\b`)
	// "DE&I" is diversity, equity and inclusion.
	dei = regexp.MustCompile(`DE\s*&\s*I\b`)
	// A leading bracketed prefix: "[네이버] ", "(대기업 IT사) ", "【...】".
	leadBracket = regexp.MustCompile(`^\s*(\[[^\]]*\]|\([^)]*\)|【[^】]*】|<[^>]*>)`)
	// Separators between the parts of a title that lists several jobs.
	// Brackets also separate: "(데이터센터 이전 프로젝트)" is a part of its own.
	separator = regexp.MustCompile(`\s*(/|\||,|·|ㆍ|&|\+|;|\(|\)|\[|\]|\s및\s|\s또는\s|\sand\s|\sor\s)\s*`)
)

func prepare(s string) title {
	s = strings.ReplaceAll(s, "㈜", "(주)")
	s = company.ReplaceAllString(s, " ")
	s = groupName.ReplaceAllString(s, "IT개발")
	s = dsDivision.ReplaceAllString(s, "디에스$1")
	s = daDBA.ReplaceAllString(s, "DBA")
	s = dei.ReplaceAllString(s, "DEI")
	s = strings.TrimSpace(spaces.ReplaceAllString(s, " "))
	t := title{cs: s, lower: asciiLower(s)}
	for {
		loc := leadBracket.FindStringIndex(t.lower[t.bodyStart:])
		if loc == nil {
			break
		}
		t.bodyStart += loc[1]
	}
	return t
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func globalVeto(lower string) string {
	for _, v := range vetoes {
		if v.global && v.re.MatchString(lower) {
			return v.id
		}
	}
	return ""
}

// A match is where a rule matched in a title.
type match[C Role | Group] struct {
	rule       *rule[C]
	start, end int
}

// matchRules appends to ms every match of rules in the part of a title
// starting at from, given as lower-cased (lower) and as written (cs).
func matchRules[C Role | Group](ms []match[C], rules []rule[C], lower, cs string, from int) []match[C] {
	for i := range rules {
		r := &rules[i]
		text := lower
		if r.cs {
			text = cs
		}
		for _, loc := range r.re.FindAllStringIndex(text, -1) {
			ms = append(ms, match[C]{rule: r, start: from + loc[0], end: from + loc[1]})
		}
	}
	return ms
}

// strongestMatch picks the match a title means among ms (strongest).
func strongestMatch[C Role | Group](ms []match[C]) (match[C], bool) {
	return strongest(ms, func(m match[C]) (int, int, int) { return m.rule.strength, m.start, m.end })
}

// scan is what the parts of one stretch of a title yielded.
type scan struct {
	matches []match[Role]
	veto    string // first part veto seen
	other   string // first non-data occupation seen
}

func (s scan) best() (match[Role], bool) { return strongestMatch(s.matches) }

// strongest picks the match a title means among ms: the strongest, then
// the first in the title, then the longest. at gives a match's strength
// and where it stands in the title.
func strongest[M any](ms []M, at func(M) (strength, start, end int)) (M, bool) {
	var b M
	if len(ms) == 0 {
		return b, false
	}
	b = ms[0]
	bs, bstart, bend := at(b)
	for _, m := range ms[1:] {
		s, start, end := at(m)
		if s > bs || s == bs && (start < bstart || start == bstart && end-start > bend-bstart) {
			b, bs, bstart, bend = m, s, start, end
		}
	}
	return b, true
}

// eachPart calls f with the bounds of each non-empty part of t[from:to],
// the parts the separators divide (slashes, bars, commas, brackets, &, +,
// 및, 또는, and, or).
func eachPart(t title, from, to int, f func(start, end int)) {
	start := from
	seps := separator.FindAllStringIndex(t.lower[from:to], -1)
	seps = append(seps, []int{to - from, to - from})
	for _, sep := range seps {
		if end := from + sep[0]; end > start {
			f(start, end)
		}
		start = from + sep[1]
	}
}

// scanParts splits t[from:to] into parts and matches each.
func scanParts(t title, from, to int) scan {
	var s scan
	eachPart(t, from, to, func(start, end int) { s.part(t, start, end) })
	if s.other != "" {
		// A title that names a non-data occupation anywhere keeps only its
		// function and explicit matches: "빅데이터 솔루션 영업", "교직원
		// (빅데이터센터)".
		s.matches = slices.DeleteFunc(s.matches, func(m match[Role]) bool { return m.rule.strength == topic })
	}
	return s
}

func (s *scan) part(t title, from, to int) {
	lower, cs := t.lower[from:to], t.cs[from:to]
	for _, v := range vetoes {
		if !v.global && v.re.MatchString(lower) {
			if s.veto == "" {
				s.veto = v.id
			}
			return
		}
	}
	other := ""
	for _, o := range otherRoles {
		if o.re.MatchString(lower) {
			other = o.id
			break
		}
	}
	if other != "" && s.other == "" {
		s.other = other
	}
	s.matches = matchRules(s.matches, titleRules, lower, cs, from)
}

// scores are job-code points per role.
type scores map[Role]int

func (s scores) best() (Role, int) {
	best, score := None, 0
	for _, r := range roles {
		if s[r] > score {
			best, score = r, s[r]
		}
	}
	return best, score
}

func codeScores(in Input) scores {
	seen := map[string]bool{}
	for _, c := range in.JobCodes {
		seen[strings.TrimSpace(c)] = true
	}
	var loose []string // keywords that name no job code
	for _, list := range [][]string{in.JobCodeNames, in.Keywords} {
		for _, n := range list {
			key := strings.ReplaceAll(asciiLower(strings.TrimSpace(n)), " ", "")
			if c, ok := codeNames[key]; ok {
				seen[c] = true
			} else {
				loose = append(loose, n)
			}
		}
	}
	s := scores{}
	for c := range seen {
		for r, p := range codePoints[c] {
			s[r] += p
		}
	}
	// Keywords and names that are free phrases ("데이터 파이프라인") count
	// like a supporting code when they match a function or explicit rule.
	hit := map[string]bool{}
	for _, n := range loose {
		l := asciiLower(n)
		for i := range titleRules {
			r := &titleRules[i]
			if r.strength < function || r.cs || hit[r.id] {
				continue
			}
			if r.re.MatchString(l) {
				hit[r.id] = true
				s[r.class] += 2
			}
		}
	}
	for _, m := range in.JobMidCodes {
		if strings.TrimSpace(m) == itDataMid {
			for r, p := range s {
				if p > 0 {
					s[r] = p + 1
				}
			}
			break
		}
	}
	return s
}
