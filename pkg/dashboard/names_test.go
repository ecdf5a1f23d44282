package dashboard

import (
	"regexp"
	"testing"

	"jobpulse/pkg/saramin/codes"
)

// TestEnglishNames: every province and industry category of Saramin's code
// tables (the values the warehouse's province and industry take) has an
// English name in data/names_en.csv, written in Latin letters.
func TestEnglishNames(t *testing.T) {
	table, err := englishTable()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := codes.Load()
	if err != nil {
		t.Fatal(err)
	}
	latin := regexp.MustCompile(`^[A-Za-z][A-Za-z ,.'-]*$`)
	want := map[string][]string{}
	for _, p := range tb.Provinces() {
		want["province"] = append(want["province"], p.Province)
	}
	for _, c := range tb.IndustryCategories {
		want["industry"] = append(want["industry"], c.Name)
	}
	for kind, names := range want {
		if len(names) < 10 {
			t.Fatalf("only %d %s names in the code tables", len(names), kind)
		}
		for _, ko := range names {
			if en := table[kind][ko]; !latin.MatchString(en) {
				t.Errorf("%s %q: English name %q", kind, ko, en)
			}
		}
		if len(table[kind]) != len(names) {
			t.Errorf("%d English %s names for the code tables' %d", len(table[kind]), kind, len(names))
		}
	}
	got := englishNames([]string{"서울", "세종", "Atlantis"}, []string{"IT·웹·통신"})
	if len(got) != 3 || got["서울"] != "Seoul" || got["세종"] != "Sejong" || got["IT·웹·통신"] != "Information and communication" {
		t.Errorf("englishNames = %v", got)
	}
}
