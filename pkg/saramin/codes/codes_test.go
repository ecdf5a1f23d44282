package codes

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// sampleJob is the part of a real posting these tests read.
type sampleJob struct {
	Position struct {
		Industry   struct{ Code, Name string } `json:"industry"`
		Location   struct{ Code, Name string } `json:"location"`
		JobType    struct{ Code, Name string } `json:"job-type"`
		JobMidCode struct{ Code, Name string } `json:"job-mid-code"`
		JobCode    struct{ Code, Name string } `json:"job-code"`
		Experience struct {
			Code int    `json:"code"`
			Name string `json:"name"`
		} `json:"experience-level"`
		Education struct{ Code, Name string } `json:"required-education-level"`
	} `json:"position"`
	Salary    struct{ Code, Name string } `json:"salary"`
	CloseType struct{ Code, Name string } `json:"close-type"`
}

func loadSample(t *testing.T) []sampleJob {
	t.Helper()
	b, err := os.ReadFile("testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		Jobs struct {
			Job []sampleJob `json:"job"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(b, &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Jobs.Job) != 110 {
		t.Fatalf("sample has %d jobs, want 110", len(resp.Jobs.Job))
	}
	return resp.Jobs.Job
}

func TestLoad(t *testing.T) {
	tb, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]int{
		"locations": len(tb.Locations), "industries": len(tb.Industries), "industry categories": len(tb.IndustryCategories),
		"job groups": len(tb.JobMids), "job codes": len(tb.JobCodes), "experience": len(tb.Experiences),
		"education": len(tb.Educations), "job types": len(tb.JobTypes), "salaries": len(tb.Salaries), "close types": len(tb.CloseTypes),
	} {
		if n == 0 {
			t.Errorf("no %s", name)
		}
	}
}

func TestProvinces(t *testing.T) {
	tb, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"101000": "서울", "102000": "경기", "103000": "광주", "104000": "대구", "105000": "대전",
		"106000": "부산", "107000": "울산", "108000": "인천", "109000": "강원", "110000": "경남", "111000": "경북",
		"112000": "전남", "113000": "전북", "114000": "충북", "115000": "충남", "116000": "제주", "118000": "세종"}
	for code, name := range want {
		l, ok := tb.Location(code)
		if !ok || !l.IsProvince() || l.Province != name {
			t.Errorf("province %s = %+v, %v; want %s", code, l, ok, name)
		}
	}
	for _, tc := range []struct {
		province string
		min      int
	}{{"101000", 25}, {"102000", 40}, {"106000", 16}, {"108000", 10}} {
		if n := len(tb.Districts(tc.province)); n < tc.min {
			t.Errorf("%s has %d districts, want at least %d", tc.province, n, tc.min)
		}
	}
	for _, tc := range []struct{ code, province, full string }{
		{"101010", "101000", "서울 > 강남구"},
		{"102190", "102000", "경기 > 성남시 분당구"},
		{"118000", "118000", "세종 > 세종특별자치시"},
		{"110150", "110000", "경남 > 창원시"},
	} {
		p, ok := tb.Province(tc.code)
		l, _ := tb.Location(tc.code)
		if !ok || p.Code != tc.province || l.FullName() != tc.full {
			t.Errorf("Province(%s) = %s (%v), full name %q; want %s, %q", tc.code, p.Code, ok, l.FullName(), tc.province, tc.full)
		}
	}
}

func TestLookups(t *testing.T) {
	tb, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		got        func() (string, bool)
		want       string
		wantExists bool
	}{
		{"industry 111", func() (string, bool) { e, ok := tb.Industry("111"); return e.Name, ok }, "시설관리·경비·용역", true},
		{"category of 111", func() (string, bool) { e, ok := tb.CategoryOf("111"); return e.Name, ok }, "서비스업", true},
		{"category of 304", func() (string, bool) { e, ok := tb.CategoryOf("304"); return e.Name, ok }, "IT·웹·통신", true},
		{"category of 1005", func() (string, bool) { e, ok := tb.CategoryOf("1005"); return e.Name, ok }, "기관·협회", true},
		{"job group 2", func() (string, bool) { e, ok := tb.JobMid("2"); return e.Name, ok }, "IT개발·데이터", true},
		{"job code 116", func() (string, bool) { e, ok := tb.JobCode("116"); return e.Name, ok }, "빅데이터", true},
		{"job code 1658", func() (string, bool) { e, ok := tb.JobCode("1658"); return e.Name, ok }, "데이터분석", true},
		{"salary 15", func() (string, bool) { e, ok := tb.Salary("15"); return e.Name, ok }, "3,600~3,800만원", true},
		{"salary 101 has no name", func() (string, bool) { e, ok := tb.Salary("101"); return e.Name, ok }, "", true},
		{"job type 10", func() (string, bool) { e, ok := tb.JobType("10"); return e.Name, ok }, "계약직 (정규직 전환가능)", true},
		{"close type 4", func() (string, bool) { e, ok := tb.CloseType("4"); return e.Name, ok }, "수시채용", true},
		{"unknown region", func() (string, bool) { e, ok := tb.Location("999999"); return e.Name, ok }, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.got()
			if ok != tc.wantExists || got != tc.want {
				t.Errorf("got %q, %v; want %q, %v", got, ok, tc.want, tc.wantExists)
			}
		})
	}
	if s, _ := tb.Salary("15"); s.MinManwon != 3600 || s.MaxManwon != 3800 {
		t.Errorf("salary 15 band = %d..%d", s.MinManwon, s.MaxManwon)
	}
	if len(tb.KeywordsOf("301")) == 0 {
		t.Error("no keywords for industry 301")
	}
	for _, j := range tb.JobCodes {
		if j.Name != "" && j.JobMidCode == "" {
			t.Errorf("job code %s has no group", j.Code)
		}
	}
}

// TestSampleCodesResolve checks that every code in the real answer resolves,
// and that the names agree wherever the answer pairs a code with a name.
func TestSampleCodesResolve(t *testing.T) {
	tb, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	jobs := loadSample(t)
	type check struct {
		table      string
		code, name string
	}
	var checks []check
	split := func(s string) []string { return strings.Split(s, ",") }
	for _, j := range jobs {
		p := j.Position
		checks = append(checks, check{"industry", p.Industry.Code, p.Industry.Name})
		for i, c := range split(p.Location.Code) {
			checks = append(checks, check{"location", c, split(p.Location.Name)[i]})
		}
		for i, c := range split(p.JobType.Code) {
			checks = append(checks, check{"job_type", c, split(p.JobType.Name)[i]})
		}
		for i, c := range split(p.JobMidCode.Code) {
			checks = append(checks, check{"job_mid", c, split(p.JobMidCode.Name)[i]})
		}
		for _, c := range split(p.JobCode.Code) {
			checks = append(checks, check{"job_code", c, ""})
		}
		exp := strconv.Itoa(p.Experience.Code)
		expName := p.Experience.Name
		if exp == "2" {
			expName = "경력"
		}
		checks = append(checks, check{"experience", exp, expName})
		checks = append(checks, check{"education", p.Education.Code, p.Education.Name})
		checks = append(checks, check{"salary", j.Salary.Code, j.Salary.Name})
		checks = append(checks, check{"close_type", j.CloseType.Code, j.CloseType.Name})
	}
	for _, c := range checks {
		var name string
		var ok bool
		switch c.table {
		case "industry":
			e, k := tb.Industry(c.code)
			name, ok = e.Name, k
		case "location":
			e, k := tb.Location(c.code)
			name, ok = e.FullName(), k
		case "job_type":
			e, k := tb.JobType(c.code)
			name, ok = e.Name, k
		case "job_mid":
			e, k := tb.JobMid(c.code)
			name, ok = e.Name, k
		case "job_code":
			_, k := tb.JobCode(c.code)
			ok = k
		case "experience":
			e, k := tb.Experience(c.code)
			name, ok = e.Name, k
		case "education":
			e, k := tb.Education(c.code)
			name, ok = e.Name, k
		case "salary":
			e, k := tb.Salary(c.code)
			name, ok = e.Name, k
		case "close_type":
			e, k := tb.CloseType(c.code)
			name, ok = e.Name, k
		}
		if !ok {
			t.Errorf("%s %s does not resolve", c.table, c.code)
			continue
		}
		if c.table != "job_code" && name != c.name {
			t.Errorf("%s %s: table says %q, the sample %q", c.table, c.code, name, c.name)
		}
	}
}
