package transform_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/transform"
)

// Each clean row carries the data skills its title, keywords and job-code
// names name, as a list (empty, never null, when there are none); the
// industry and the job codes that are not tools are not skills.
func TestCleanRowsCarrySkills(t *testing.T) {
	t.Parallel()
	job := func(id, title, keyword, jobCodeNames, industry string) string {
		j, _ := json.Marshal(map[string]any{
			"id": id, "keyword": keyword, "posting-timestamp": "1632734241", "modification-timestamp": "1632734241",
			"position": map[string]any{"title": title, "industry": map[string]any{"code": "301", "name": industry},
				"job-code": map[string]any{"code": "84", "name": jobCodeNames}},
		})
		return string(j)
	}
	page := `{"jobs":{"job":[` +
		job("1", "[여기어때] 데이터 분석가 (파이썬을 다룰 줄 아는 분)", "모바일APP", "모바일APP,데이터분석가,빅데이터,R,SQL,마케팅기획", "네트워크·통신·모바일") + "," +
		job("2", "인테리어 설계 모집", "건설회사", "건설회사,실내디자인,CAD", "건설·건축·토목·시공") + "," +
		job("3", "빅데이터 엔지니어 (Spark/Airflow)", "종합포털", "종합포털,데이터엔지니어,AWS,Java,NoSQL,OracleDB", "Python") +
		`]}}`
	p := transform.ParsePage([]byte(page), "raw/x", "run-1")
	if len(p.Bad) != 0 {
		t.Fatalf("set aside: %+v", p.Bad)
	}
	want := map[string][]string{
		"1": {"Python", "R", "SQL"},
		"2": {},
		// The industry field (here "Python") is not read.
		"3": {"AWS", "Airflow", "Java", "NoSQL", "Oracle Database", "Spark"},
	}
	lines := bytes.Split(bytes.TrimSpace(p.Rows), []byte("\n"))
	if len(lines) != len(want) {
		t.Fatalf("%d rows; want %d", len(lines), len(want))
	}
	for _, line := range lines {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(line, &raw); err != nil {
			t.Fatal(err)
		}
		var row saramin.Posting
		if err := json.Unmarshal(line, &row); err != nil {
			t.Fatal(err)
		}
		if string(raw["skills"]) == "null" || raw["skills"] == nil {
			t.Errorf("row %s: skills %s; want a list", row.ID, raw["skills"])
		}
		if !slices.Equal(row.Skills, want[row.ID]) {
			t.Errorf("row %s: skills %q; want %q", row.ID, row.Skills, want[row.ID])
		}
	}
}

// Every row of the real sample gets the skills transform.PostingSkills
// finds in it: 34 of the 110 postings name at least one tool.
func TestRealSampleRowsCarrySkills(t *testing.T) {
	t.Parallel()
	p := transform.ParsePage(samplePage(t), "raw/sample", "run-s")
	named := 0
	for _, line := range bytes.Split(bytes.TrimSpace(p.Rows), []byte("\n")) {
		var row saramin.Posting
		if err := json.Unmarshal(line, &row); err != nil {
			t.Fatal(err)
		}
		if row.Skills == nil {
			t.Fatalf("row %s: skills null", row.ID)
		}
		if got := transform.PostingSkills(row); !slices.Equal(row.Skills, got) {
			t.Errorf("row %s: skills %q; PostingSkills gives %q", row.ID, row.Skills, got)
		}
		if len(row.Skills) > 0 {
			named++
		}
		if row.ID == "41232156" && !slices.Equal(row.Skills, []string{"Python", "R", "SQL"}) {
			t.Errorf("row 41232156 (마케팅 데이터분석가): skills %q; want Python, R, SQL", row.Skills)
		}
	}
	if named != 34 {
		t.Errorf("%d rows name a skill; want 34", named)
	}
}
