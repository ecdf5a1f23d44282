package skills_test

import (
	"encoding/json"
	"maps"
	"os"
	"slices"
	"testing"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/skills"
)

// samplePostings parses the real 2021 answer of the Saramin API kept in
// pkg/saramin/testdata.
func samplePostings(t testing.TB) []saramin.Posting {
	t.Helper()
	b, err := os.ReadFile("../saramin/testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	var resp saramin.Response
	if err := json.Unmarshal(b, &resp); err != nil {
		t.Fatalf("decode sample: %v", err)
	}
	var out []saramin.Posting
	for i, raw := range resp.Jobs.Job {
		p, err := saramin.ParseJob(raw)
		if err != nil {
			t.Fatalf("job %d: %v", i, err)
		}
		out = append(out, p)
	}
	if len(out) != 110 {
		t.Fatalf("%d postings; want the sample's 110", len(out))
	}
	return out
}

func postingTexts(p saramin.Posting) []string {
	return slices.Concat([]string{p.Title}, p.Keywords, p.JobCodeNames)
}

// TestSampleSkills lists what each posting of the real sample yields, as
// read from the sample by hand: the tools its title, keywords and job-code
// names name, and nothing for the 76 postings that name none (designers,
// sales, network and hardware jobs).
func TestSampleSkills(t *testing.T) {
	want := map[string][]string{
		"41232699": {"R"},                                                // 계약학과 모집요강: job-code name R (its R&D is not R)
		"41232681": {"Java", "R"},                                        // JAVA / Spring
		"41232663": {"AWS"},                                              // 유통대기업 TA: AWS, Linux
		"41232652": {"Java"},                                             // JAVA 프로그래머
		"41232628": {"Hadoop", "R", "Spark"},                             // 데이터분석 과장급 (빅데이터 and 데이터분석가 are not skills)
		"41232604": {"AWS", "Java", "MySQL", "NoSQL", "Oracle Database"}, // 빅데이터 엔지니어 (종합포털, DW are not)
		"41232582": {"Java", "Oracle Database"},
		"41232579": {"Java", "Oracle Database"},
		"41232560": {"Java"},             // 자바 in the title, Java; Javascript is not Java
		"41232536": {"MariaDB", "MySQL"}, // ReactJS, Redux and 요금정산 are not R or skills
		"41232505": {"Java", "Python"},   // 인공지능 개발자
		"41232451": {"Java", "Python"},   // PHP 개발자
		"41232417": {"AWS", "Java"},
		"41232404": {"R"}, // QA Manager: job-code name R
		"41232402": {"AWS", "Python"},
		"41232395": {"Java", "Python", "R"}, // 데이터 분석 및 사업 기획 (데이터엔지니어, 빅데이터 are not)
		"41232381": {"SQL", "SQL Server"},   // 전산팀: MSSQL, SQL
		"41232374": {"R"},                   // Flutter
		"41232301": {"SQL Server"},          // C# .Net: MSSQL
		"41232298": {"R"},                   // Cloud Solution Architect
		"41232279": {"R"},                   // Cloud Security Engineer
		"41232254": {"Java", "Oracle Database", "SQL Server"},
		"41232241": {"R"},                      // 의료기기 QA
		"41232234": {"Oracle Database", "SQL"}, // "DB/SQL운영" in the title; OracleDB, SQL
		"41232209": {"Java"},
		"41232189": {"Java", "MySQL", "Python", "SQL", "SQL Server"}, // PL/SQL is SQL, MSSQL SQL Server
		"41232156": {"Python", "R", "SQL"},                           // 마케팅 데이터분석가
		"41232087": {"Java"},                                         // 웹개발(Java·JSP/Ajax/XML)
		"41232035": {"Java", "Python"},
		"41232002": {"R"}, // 정보보안 엔지니어
		"41231981": {"Java", "MySQL", "Oracle Database", "SQL Server"},
		"41231957": {"R"}, // Network 엔지니어
		"41231938": {"R"}, // Microsoft System Engineer
		"41231928": {"R"}, // VMware 운영인력
	}
	d := skills.Default()
	got := map[string][]string{}
	for _, p := range samplePostings(t) {
		if s := d.Match(postingTexts(p)...); len(s) > 0 {
			got[p.ID] = s
		}
	}
	for _, id := range slices.Sorted(maps.Keys(got)) {
		if !slices.Equal(got[id], want[id]) {
			t.Errorf("posting %s: skills %q; want %q", id, got[id], want[id])
		}
	}
	for id, w := range want {
		if _, ok := got[id]; !ok {
			t.Errorf("posting %s: no skills; want %q", id, w)
		}
	}
}

// TestSampleNamesAreNotSkills runs every keyword, job-code name and
// industry name of the real sample through Match one by one: the few that
// name a tool yield exactly it; the hundreds of others (industries, company
// kinds, job codes, office work) yield nothing.
func TestSampleNamesAreNotSkills(t *testing.T) {
	tools := map[string]string{
		"AWS": "AWS", "Hadoop": "Hadoop", "Java": "Java", "MariaDB": "MariaDB", "MSSQL": "SQL Server",
		"MySQL": "MySQL", "NoSQL": "NoSQL", "OracleDB": "Oracle Database", "PL/SQL": "SQL", "Python": "Python",
		"R": "R", "Spark": "Spark", "SQL": "SQL",
	}
	d := skills.Default()
	names := map[string]bool{}
	industries := map[string]bool{}
	for _, p := range samplePostings(t) {
		for _, n := range slices.Concat(p.Keywords, p.JobCodeNames) {
			names[n] = true
		}
		industries[p.IndustryName] = true
	}
	if len(names) < 300 || len(industries) < 30 {
		t.Fatalf("%d names and %d industries read from the sample; want hundreds and dozens", len(names), len(industries))
	}
	for _, must := range []string{"건설회사", "종합포털", "정비기사", "요금정산", "빅데이터", "데이터엔지니어"} {
		if !names[must] {
			t.Errorf("%s is not among the sample's names: the test reads the sample wrongly", must)
		}
	}
	for n := range names {
		got := d.Match(n)
		switch tool, ok := tools[n]; {
		case ok && !slices.Equal(got, []string{tool}):
			t.Errorf("Match(%q) = %q; want [%s]", n, got, tool)
		case !ok && len(got) > 0:
			t.Errorf("Match(%q) = %q; want nothing: it is not a tool", n, got)
		}
	}
	for n := range industries {
		if got := d.Match(n); len(got) > 0 {
			t.Errorf("industry %q yields skills %q", n, got)
		}
	}
	// No skill the dictionary knows is spelt like a Saramin industry or a
	// name that is not a tool.
	for _, s := range d.Skills() {
		if industries[s.Name] || (names[s.Name] && tools[s.Name] == "") {
			t.Errorf("skill %q is spelt like an industry or a non-tool name of the sample", s.Name)
		}
	}
}
