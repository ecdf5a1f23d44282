// Package role decides which Saramin postings are data jobs and which data
// role they are: data engineer, data analyst, data scientist or machine
// learning engineer. A posting that is not a data job gets a comparison
// group of other IT work (backend, frontend, mobile, infra, security, other
// IT; see Group), or none when it is not IT work.
//
// Classify reads the signals of a posting in order of trust: the title
// first, then the job-code names and keywords, then the job group (job mid
// code). The rule tables are package-level and never change after
// initialisation, so Classify is pure and safe for concurrent use.
//
// Decisions that shape the rules (see the README and role_test.go):
//   - DBA (database administration) is not a data role here: it is operations
//     work that Saramin files next to 인프라 and 네트워크, and the seed project's
//     tags (DE/DA/DS) do not include it. DBA titles classify as None with the
//     rule "other:dba", so they can still be counted separately.
//     Data architects and data modellers are folded into DataEngineer.
//   - AI research (AI 연구원, 딥러닝 연구원, Research Scientist) is MLEngineer:
//     those postings build and train models for products and carry the same
//     job codes (머신러닝, 딥러닝, AI(인공지능), 컴퓨터비전) as ML engineering,
//     while DataScientist postings ask for analysis, statistics and modelling
//     for decisions. The emulator groups them the same way.
//   - Data labelling and annotation (데이터 라벨링, 어노테이션) is piece work, not
//     a data role. So are data entry, data-centre operations and courses or
//     teaching about data (빅데이터 강사, 국비지원 교육생).
//   - Finance analysts (증권/투자 애널리스트) are not data analysts; a data
//     analyst at a securities firm is.
//   - BI analysts fold into DataAnalyst; BI developers (DW, marts, reports)
//     fold into DataEngineer; "BI디자인" is brand identity design, never BI.
package role

import (
	"slices"

	"jobpulse/pkg/saramin"
)

// Role is a data role, or None.
type Role string

// The data roles. None is the zero value: not a data job.
const (
	None          Role = ""
	DataEngineer  Role = "data_engineer"
	DataAnalyst   Role = "data_analyst"
	DataScientist Role = "data_scientist"
	MLEngineer    Role = "ml_engineer"
)

// roles is the display order; it is also the tie-break order when only job
// codes decide and two roles score the same.
var roles = []Role{DataEngineer, DataAnalyst, DataScientist, MLEngineer}

// Roles returns the data roles in display order (None not included).
func Roles() []Role { return slices.Clone(roles) }

// Parse reads a role name as Classify writes it ("data_engineer", ...);
// "", "none" and "-" are None. ok is false for anything else.
func Parse(s string) (r Role, ok bool) { return parse(s, roles) }

// parse reads a role or group name as Classify writes it, one of all; "",
// "none" and "-" are the empty class (None, NoGroup). ok is false for
// anything else.
func parse[C Role | Group](s string, all []C) (C, bool) {
	switch s {
	case "", "none", "-":
		return "", true
	}
	if slices.Contains(all, C(s)) {
		return C(s), true
	}
	return "", false
}

var labels = map[Role][2]string{
	None:          {"기타", "Other"},
	DataEngineer:  {"데이터 엔지니어", "Data engineer"},
	DataAnalyst:   {"데이터 분석가", "Data analyst"},
	DataScientist: {"데이터 사이언티스트", "Data scientist"},
	MLEngineer:    {"머신러닝 엔지니어", "ML engineer"},
}

// Label is the role's display name: lang "ko" gives Korean, anything else
// English. Unknown roles label as themselves.
func (r Role) Label(lang string) string { return label(r, labels, lang) }

// label is c's name in labels, Korean for lang "ko" and English for any
// other; c itself when labels do not name it.
func label[C Role | Group](c C, labels map[C][2]string, lang string) string {
	l, ok := labels[c]
	if !ok {
		return string(c)
	}
	if lang == "ko" {
		return l[0]
	}
	return l[1]
}

// Short is the seed project's tag for the role (DE, DA, DS, ML), "" for None.
func (r Role) Short() string {
	switch r {
	case DataEngineer:
		return "DE"
	case DataAnalyst:
		return "DA"
	case DataScientist:
		return "DS"
	case MLEngineer:
		return "ML"
	}
	return ""
}

// Input holds the signals Classify reads.
type Input struct {
	Title        string
	JobCodes     []string
	JobCodeNames []string
	Keywords     []string
	JobMidCodes  []string
}

// Result is Classify's answer.
type Result struct {
	// Role is the data role, or None.
	Role Role
	// Rule names the rule that decided, e.g. "title:de.ko", "prefix:da.func",
	// "codes:data_engineer", "veto:datacenter", "other:backend" or "none".
	Rule string
	// Score is the weight of the evidence for Role: 10 per strength level of
	// a title match (1 topic, 2 function, 3 explicit role) plus the job-code
	// points for that role. It is 0 when Role is None.
	Score int
	// Group is the comparison group of a posting that is not a data role
	// (NoGroup when Role is set, or when the posting is not IT work).
	Group Group
	// GroupRule names the rule that decided Group, e.g. "title:backend.role",
	// "codes:infra", "mid:it", "other:design" or "none"; "" when Role is set.
	GroupRule string
}

// FromPosting takes the signals Classify needs from a clean posting.
func FromPosting(p saramin.Posting) Input {
	return Input{
		Title:        p.Title,
		JobCodes:     p.JobCodes,
		JobCodeNames: p.JobCodeNames,
		Keywords:     p.Keywords,
		JobMidCodes:  p.JobMidCodes,
	}
}
