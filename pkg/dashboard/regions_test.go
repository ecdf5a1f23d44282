package dashboard_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/saramin"
)

type breakdown struct {
	Rows       []dashboard.Row `json:"rows"`
	Postings   int64           `json:"postings"`
	EachRegion bool            `json:"each_region"`
}

// multiRegion is the fixture with postings 1 and 3 (in 서울 강남구) also
// listing 서울 강동구 and 경기 가평군, where postings 2, 4 and 5 are.
func multiRegion(p *saramin.Posting) {
	if p.ID == "1" || p.ID == "3" {
		p.LocationCodes = []string{"101010", "101020", "102010"}
		p.LocationNames = []string{"서울 > 강남구", "서울 > 강동구", "경기 > 가평군"}
	}
}

// TestRegionsEachListed: a posting listing several regions counts in each
// province and district it lists, once each, and the shares are of the
// postings; the other views still count it once, and a province chosen
// as a filter counts the postings listing it.
func TestRegionsEachListed(t *testing.T) {
	t.Parallel()
	srv := serve(t, warehouseFile(t, multiRegion, "정보처리기사"))
	dates := "&from=2026-09-01&to=2026-09-30"
	seoul, gyeonggi := url.QueryEscape("서울"), url.QueryEscape("경기")
	rows := func(b breakdown) string {
		var out []string
		for _, r := range b.Rows {
			out = append(out, fmt.Sprintf("%s %d %.3f", r.Name, r.Postings, r.Share))
		}
		return strings.Join(out, ", ")
	}
	tests := []struct {
		query    string
		rows     string
		postings int64
		each     bool
	}{
		{"by=province", "경기 5 0.714, 서울 4 0.571", 7, true},
		{"by=province&entry=1", "경기 2 0.667, 서울 2 0.667", 3, true},
		{"by=province&role=data_engineer", "경기 2 1.000, 서울 1 0.500", 2, true},
		{"by=district&province=" + seoul, "강남구 4 1.000, 강동구 2 0.500", 4, true},
		{"by=district&province=" + gyeonggi, "가평군 5 1.000", 5, true},
		// Industries count each posting once, whatever it lists.
		{"by=industry", "IT·웹·통신 4 0.571, 은행·금융업 3 0.429", 7, false},
		{"by=industry&province=" + gyeonggi, "IT·웹·통신 3 0.600, 은행·금융업 2 0.400", 5, false},
		{"by=industry_detail&province=" + seoul, "솔루션·SI·ERP·CRM 3 0.750, 은행·금융·저축 1 0.250", 4, false},
	}
	for _, tc := range tests {
		var b breakdown
		if code := get(t, srv, "/api/breakdown?"+tc.query+dates, &b); code != http.StatusOK {
			t.Fatalf("%s: %d", tc.query, code)
		}
		if got := rows(b); got != tc.rows || b.Postings != tc.postings || b.EachRegion != tc.each {
			t.Errorf("%s: %s of %d postings (each region %v); want %s of %d (%v)", tc.query, got, b.Postings, b.EachRegion, tc.rows, tc.postings, tc.each)
		}
	}
	// Each province's bar is what a person sees choosing that province.
	var b breakdown
	get(t, srv, "/api/breakdown?by=province"+dates, &b)
	for _, r := range b.Rows {
		var v volume
		get(t, srv, "/api/volume?role=all&province="+url.QueryEscape(r.Name)+dates, &v)
		if p, _, _ := sum(v.Points); p != r.Postings {
			t.Errorf("province %s: %d postings in its bar, %d with it chosen", r.Name, r.Postings, p)
		}
	}
	// Without a province every posting counts once.
	var v volume
	get(t, srv, "/api/volume?role=all"+dates, &v)
	if p, m, _ := sum(v.Points); p != 7 || m != 7 {
		t.Errorf("volume: %d postings of %d; want each of the 7 once", p, m)
	}
	// Every province listed is a filter value, the most listed first.
	var m dashboard.Meta
	get(t, srv, "/api/meta", &m)
	if strings.Join(m.Provinces, ",") != "경기,서울" || m.Postings != 7 || len(m.Coverage) != 1 || m.Coverage[0].Postings != 7 {
		t.Errorf("meta: provinces %v, %d postings, coverage %+v", m.Provinces, m.Postings, m.Coverage)
	}
}
