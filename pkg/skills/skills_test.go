package skills_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"jobpulse/pkg/skills"
)

func TestDefaultDictionary(t *testing.T) {
	d := skills.Default()
	all := d.Skills()
	if len(all) < 60 || len(all) > 100 {
		t.Errorf("%d skills; want 60-100", len(all))
	}
	per := map[skills.Category]int{}
	for _, s := range all {
		per[s.Category]++
		if u, err := url.Parse(s.Source); err != nil || u.Scheme != "https" {
			t.Errorf("%s: source %q is not an https URL", s.Name, s.Source)
		}
		// Every skill is found by its own name and by each alias, alone.
		for _, a := range append([]string{s.Name, s.En}, s.Aliases...) {
			if got := d.Match(a); !slices.Contains(got, s.Name) {
				t.Errorf("Match(%q) = %v; want %s in it", a, got, s.Name)
			}
		}
		if got, ok := d.Lookup(s.Name); !ok || got.Name != s.Name {
			t.Errorf("Lookup(%q) = %+v, %v", s.Name, got, ok)
		}
	}
	for _, c := range skills.Categories() {
		if per[c] < 5 {
			t.Errorf("category %s has %d skills; want at least 5", c, per[c])
		}
		if c.Label("ko") == "" || c.Label("en") == "" || c.Label("ko") == c.Label("en") {
			t.Errorf("category %s labels: %q, %q", c, c.Label("ko"), c.Label("en"))
		}
	}
	if skills.Category("database").Valid() {
		t.Error(`Category("database") is valid`)
	}
	if _, ok := d.Lookup("빅데이터"); ok {
		t.Error("빅데이터 is in the dictionary")
	}
}

func TestParseRejects(t *testing.T) {
	const header = "name,category,en,ko,aliases,not,source,note\n"
	row := func(name, cat, aliases string) string {
		return name + "," + cat + "," + name + "," + name + "," + aliases + ",,https://example.org/" + name + ",\n"
	}
	tests := []struct {
		name, csv, want string
	}{
		{"unknown category", header + row("Python", "language", "") + row("Oracle", "database", ""), `unknown category "database"`},
		{"alias given to two skills", header + row("Spark", "processing", "PySpark") + row("PySpark2", "processing", "pyspark"), `"pyspark" of PySpark2 is already Spark's`},
		{"alias equal to another skill's name", header + row("Python", "language", "") + row("Py", "language", "PYTHON"), `already Python's`},
		{"alias twice in one row", header + row("Kafka", "processing", "카프카|카프카"), `already Kafka's`},
		{"alias equal to spaces collapsed", header + row("SQL Server", "storage", "") + row("MS", "storage", "SQL   server"), `already SQL Server's`},
		{"name twice", header + row("R", "language", "") + row("R", "ml", ""), `"R" is given twice`},
		{"empty display name", header + "Python,language,,파이썬,,,https://www.python.org/,\n", "display name is empty"},
		{"source not a URL", header + "Python,language,Python,파이썬,,,python.org,\n", "not an http(s) URL"},
		{"no source", header + "Python,language,Python,파이썬,,,,\n", "not an http(s) URL"},
		{"header", "name,category,en,ko,aliases,source,note,not\n", "header"},
		{"empty", header, "empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := skills.Parse(strings.NewReader(tc.csv))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse error = %v; want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := skills.Parse(strings.NewReader("# comment\n" + header + row("Python", "language", "파이썬"))); err != nil {
		t.Fatalf("a valid dictionary: %v", err)
	}
}

func TestMatch(t *testing.T) {
	d := skills.Default()
	tests := []struct {
		name  string
		texts []string
		want  []string
	}{
		{"Korean with a particle", []string{"파이썬을 활용한 데이터 분석"}, []string{"Python"}},
		{"English, any case", []string{"PYTHON", "pyspark", "TensorFlow"}, []string{"Python", "Spark", "TensorFlow"}},
		{"Korean spellings", []string{"스파크와 에어플로우, 태블로 대시보드, 텐서플로우 모델, 빅쿼리"}, []string{"Airflow", "BigQuery", "Spark", "Tableau", "TensorFlow"}},
		{"AWS in Korean", []string{"아마존 웹 서비스 기반"}, []string{"AWS"}},
		{"AWS, spaces collapsed", []string{"아마존   웹\t서비스"}, []string{"AWS"}},
		{"de-duplicated and sorted", []string{"SQL", "sql", "Python SQL", "파이썬"}, []string{"Python", "SQL"}},
		{"title with skills", []string{"[여기어때] Python/SQL 데이터 분석가 (R 우대)"}, []string{"Python", "R", "SQL"}},
		{"SQL before a Korean word", []string{"Display 전산/DB/SQL운영"}, []string{"SQL"}},
		{"SQL certifications", []string{"SQLD 자격증 소지자"}, []string{"SQL"}},
		{"PL/SQL is SQL", []string{"PL/SQL"}, []string{"SQL"}},
		{"R alone", []string{"R"}, []string{"R"}},
		{"R before Korean", []string{"R언어 가능자"}, []string{"R"}},
		{"R not in React", []string{"React", "ReactJS"}, []string{}},
		{"R not in HR", []string{"HR 담당자", "HRD"}, []string{}},
		{"R not in R&D", []string{"R&D", "R&D기획", "R & D"}, []string{}},
		{"R not in R&R", []string{"R&R이 명확한 조직"}, []string{}},
		{"R not in A/R", []string{"A/R 관리"}, []string{}},
		{"SQL not in NoSQL", []string{"NoSQL"}, []string{"NoSQL"}},
		{"SQL not in MySQL", []string{"MySQL", "PostgreSQL"}, []string{"MySQL", "PostgreSQL"}},
		{"MS SQL is SQL Server only", []string{"MS SQL", "MS-SQL", "MSSQL"}, []string{"SQL Server"}},
		{"Looker Studio is not Looker", []string{"Looker Studio 대시보드"}, []string{"Looker Studio"}},
		{"Looker", []string{"Looker, Looker Studio"}, []string{"Looker", "Looker Studio"}},
		{"Java not in JavaScript", []string{"JavaScript", "Javascript", "자바스크립트 개발자"}, []string{}},
		{"Java in Korean", []string{"자바 개발자", "자바스크립트와 자바"}, []string{"Java"}},
		{"Java before a dot", []string{"웹개발(Java·JSP/Ajax/XML)"}, []string{"Java"}},
		{"Oracle alone is not the database", []string{"Oracle", "오라클 ERP"}, []string{}},
		{"Oracle database", []string{"OracleDB", "오라클 DB"}, []string{"Oracle Database"}},
		{"Excel not in an accelerator", []string{"엑셀러레이터 투자팀"}, []string{}},
		{"Excel", []string{"엑셀 활용 능력", "MS Excel"}, []string{"Excel"}},
		{"Hive, not HYBE", []string{"하이브 엔터테인먼트", "Apache Hive"}, []string{"Hive"}},
		{"EMR is a medical record", []string{"EMR 전산 담당", "병원 EMR"}, []string{}},
		{"Amazon EMR", []string{"AWS EMR"}, []string{"Amazon EMR"}},
		{"Glue alone", []string{"Glue", "AWS Glue"}, []string{"AWS Glue"}},
		{"Spark company", []string{"스파크플러스 채용"}, []string{}},
		{"Python3", []string{"Python3", "Python 3"}, []string{"Python"}},
		{"Go is not in the dictionary", []string{"Go", "Golang", "Go 언어"}, []string{}},
		{"SAS disks", []string{"SAS/SATA 디스크"}, []string{}},
		{"no text", nil, []string{}},
		{"empty texts", []string{"", "  "}, []string{}},
		// What Saramin's keywords and job-code names also hold: never skills.
		{"industries", []string{"건설회사", "종합포털", "솔루션·SI·ERP·CRM", "포털·인터넷·컨텐츠", "시설관리·경비·용역"}, []string{}},
		{"job codes and office work", []string{"정비기사", "요금정산", "빅데이터", "데이터엔지니어", "데이터분석가", "데이터마이닝", "DW", "DBMS", "클라우드", "머신러닝"}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := d.Match(tc.texts...)
			if got == nil || !slices.Equal(got, tc.want) {
				t.Fatalf("Match(%q) = %#v; want %#v", tc.texts, got, tc.want)
			}
		})
	}
}

func TestDisplay(t *testing.T) {
	d := skills.Default()
	tests := []struct{ name, ko, en string }{
		{"Python", "파이썬", "Python"},
		{"Spark", "스파크", "Apache Spark"},
		{"Tableau", "태블로", "Tableau"},
		{"AWS", "AWS", "AWS"},
	}
	for _, tc := range tests {
		s, ok := d.Lookup(tc.name)
		if !ok || s.Display("ko") != tc.ko || s.Display("en") != tc.en {
			t.Errorf("%s: %q / %q (%v); want %q / %q", tc.name, s.Display("ko"), s.Display("en"), ok, tc.ko, tc.en)
		}
	}
}
