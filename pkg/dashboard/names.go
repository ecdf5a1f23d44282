package dashboard

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
)

// namesCSV holds the English names of the provinces and industry
// categories, with where each comes from.
//
//go:embed data/names_en.csv
var namesCSV string

// englishTable reads namesCSV: kind ("province" or "industry") → Korean
// name → English name.
func englishTable() (map[string]map[string]string, error) {
	r := csv.NewReader(strings.NewReader(namesCSV))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("names_en.csv: %w", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "kind,ko,en,basis" {
		return nil, fmt.Errorf("names_en.csv: want the header kind,ko,en,basis")
	}
	out := map[string]map[string]string{}
	for i, row := range rows[1:] {
		kind, ko, en, basis := row[0], row[1], row[2], row[3]
		switch {
		case kind != "province" && kind != "industry":
			return nil, fmt.Errorf("names_en.csv: row %d: kind %q: want province or industry", i+2, kind)
		case ko == "" || en == "" || basis == "":
			return nil, fmt.Errorf("names_en.csv: row %d: a name, its English and its basis are required", i+2)
		case out[kind][ko] != "":
			return nil, fmt.Errorf("names_en.csv: row %d: %s %q twice", i+2, kind, ko)
		}
		if out[kind] == nil {
			out[kind] = map[string]string{}
		}
		out[kind][ko] = en
	}
	return out, nil
}

// englishNames maps each of provinces and industries that has an English
// name to it. The table is embedded and checked by the tests: should it
// not read, the names stay Korean.
func englishNames(provinces, industries []string) map[string]string {
	out := map[string]string{}
	t, err := englishTable()
	if err != nil {
		return out
	}
	for kind, names := range map[string][]string{"province": provinces, "industry": industries} {
		for _, n := range names {
			if en, ok := t[kind][n]; ok {
				out[n] = en
			}
		}
	}
	return out
}
