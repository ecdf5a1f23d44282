package role

import (
	"slices"
	"strconv"
	"strings"
)

// Group is the comparison group of a posting that is not a data role: the
// other kinds of IT work a data role is measured against. NoGroup is the
// zero value: not IT work (or a data role, which has no group).
//
// Decisions that shape the groups (see the README and titles.tsv):
//   - Full-stack and generic web developers (웹 개발자, 웹프로그래머, PHP/JSP
//     웹 개발) are Backend: Korean web postings ask mostly for server work;
//     web publishers (퍼블리셔) and UI developers are Frontend.
//   - Infra covers system, network, cloud, DevOps/SRE, DBA, IT operations
//     (전산, 헬프데스크, IT 유지보수) and data-centre operations; data-centre
//     facilities (전기, 설비, 냉각) are not IT work.
//   - Security is information security (보안 엔지니어, 보안관제, 모의해킹,
//     정보보호); guards (보안요원, 경비) are not IT work.
//   - OtherIT is IT work that is none of the above: QA and testing, embedded
//     and firmware, game clients, SI/ERP/MES development, IT consulting, and
//     product or project managers of software (PM, PO, 서비스/웹/앱 기획).
//   - Sales, marketing, design, teaching and clerical work stay outside IT
//     even when they name it (IT 솔루션 영업, 앱 마케터, 웹디자이너, 컴퓨터 강사).
type Group string

// The comparison groups.
const (
	NoGroup  Group = ""
	Backend  Group = "backend"
	Frontend Group = "frontend"
	Mobile   Group = "mobile"
	Infra    Group = "infra"
	Security Group = "security"
	OtherIT  Group = "other_it"
)

// groups is the display order; it is also the tie-break order when only job
// codes decide.
var groups = []Group{Backend, Frontend, Mobile, Infra, Security, OtherIT}

// Groups returns the comparison groups in display order (NoGroup not
// included).
func Groups() []Group { return slices.Clone(groups) }

// ParseGroup reads a group name as Classify writes it ("backend", ...);
// "", "none" and "-" are NoGroup. ok is false for anything else.
func ParseGroup(s string) (g Group, ok bool) { return parse(s, groups) }

var groupLabels = map[Group][2]string{
	NoGroup:  {"IT 외", "Not IT"},
	Backend:  {"백엔드", "Backend"},
	Frontend: {"프론트엔드", "Frontend"},
	Mobile:   {"모바일", "Mobile"},
	Infra:    {"인프라·DevOps", "Infra & DevOps"},
	Security: {"보안", "Security"},
	OtherIT:  {"기타 IT", "Other IT"},
}

// Label is the group's display name: lang "ko" gives Korean, anything else
// English. Unknown groups label as themselves.
func (g Group) Label(lang string) string { return label(g, groupLabels, lang) }

// classifyGroup decides the comparison group of a posting that is not a data
// role, in the order Classify reads a title: the title body's group rules
// (strongest first, then the first mentioned, then the longest), a title
// that names only work outside IT, a bracketed prefix, the job codes and
// their names, and last the job group.
func classifyGroup(t title, in Input) (Group, string) {
	it, all := itCodes(in)
	topicOK := all == 0 || it > 0
	body := scanGroupParts(t, t.bodyStart, len(t.lower), topicOK)
	if m, ok := body.best(); ok {
		return m.rule.class, "title:" + m.rule.id
	}
	if body.other != "" && !body.generic {
		return NoGroup, "other:" + body.other
	}
	if t.bodyStart > 0 {
		prefix := scanGroupParts(t, 0, t.bodyStart, topicOK)
		if m, ok := prefix.best(); ok && m.rule.strength >= function && prefix.other == "" {
			return m.rule.class, "prefix:" + m.rule.id
		}
	}
	// Codes decide only for a posting that is mostly IT: a posting ticking
	// fifty codes across every job group is a general hiring round.
	if all > 0 && 2*it < all {
		return NoGroup, "none"
	}
	scores := groupScores(in)
	best, score := NoGroup, 0
	for _, g := range groups {
		if scores[g] > score {
			best, score = g, scores[g]
		}
	}
	if score >= codeThreshold {
		return best, "codes:" + string(best)
	}
	if it > 0 && slices.ContainsFunc(in.JobMidCodes, func(m string) bool { return strings.TrimSpace(m) == itDataMid }) {
		return OtherIT, "mid:it"
	}
	return NoGroup, "none"
}

// itCodes counts the posting's job codes in the IT개발·데이터 band, and all
// its job codes; without codes, the job-code names that name an IT code.
func itCodes(in Input) (it, all int) {
	for _, c := range in.JobCodes {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil {
			continue
		}
		all++
		if itCodeBandLow <= n && n <= itCodeBandHigh {
			it++
		}
	}
	if all == 0 {
		for _, n := range in.JobCodeNames {
			if _, ok := groupCodeNames[strings.ReplaceAll(asciiLower(strings.TrimSpace(n)), " ", "")]; ok {
				it++
			}
		}
		all = it
	}
	return it, all
}

// groupScores adds up groupPoints over the posting's codes and the codes its
// names stand for, plus one point per scoring group when the posting is in
// the IT개발·데이터 job group.
func groupScores(in Input) map[Group]int {
	seen := map[string]bool{}
	for _, c := range in.JobCodes {
		seen[strings.TrimSpace(c)] = true
	}
	for _, list := range [][]string{in.JobCodeNames, in.Keywords} {
		for _, n := range list {
			if c, ok := groupCodeNames[strings.ReplaceAll(asciiLower(strings.TrimSpace(n)), " ", "")]; ok {
				seen[c] = true
			}
		}
	}
	s := map[Group]int{}
	for c := range seen {
		for g, p := range groupPoints[c] {
			s[g] += p
		}
	}
	if slices.ContainsFunc(in.JobMidCodes, func(m string) bool { return strings.TrimSpace(m) == itDataMid }) {
		for g, p := range s {
			s[g] = p + 1
		}
	}
	return s
}

// groupScan is what the parts of one stretch of a title yielded for groups.
type groupScan struct {
	matches []match[Group]
	other   string // first work outside IT seen
	generic bool   // a part names development of no particular kind
}

func (s groupScan) best() (match[Group], bool) { return strongestMatch(s.matches) }

// scanGroupParts splits t[from:to] into parts as scanParts does; a part
// naming work outside IT is dropped, and topics count only when topicOK and
// no part names work outside IT.
func scanGroupParts(t title, from, to int, topicOK bool) groupScan {
	var s groupScan
	eachPart(t, from, to, func(start, end int) { s.part(t, start, end) })
	if s.other != "" || !topicOK {
		s.matches = slices.DeleteFunc(s.matches, func(m match[Group]) bool { return m.rule.strength == topic })
	}
	return s
}

func (s *groupScan) part(t title, from, to int) {
	lower, cs := t.lower[from:to], t.cs[from:to]
	for _, o := range nonIT {
		if o.re.MatchString(lower) {
			if s.other == "" {
				s.other = o.id
			}
			return
		}
	}
	if itGeneric.MatchString(lower) {
		s.generic = true
	}
	s.matches = matchRules(s.matches, groupRules, lower, cs, from)
}
