// Package codes holds the Saramin Open API code tables (regions, industries,
// job groups and job codes, experience, education, job types, salary bands
// and close types) as versioned CSV files embedded in the binary, and typed
// lookups over them.
//
// Each file under data/ starts with '#' lines that name the source of its
// facts (the Saramin guide pages, public copies of them, or the real answer
// saramin-sample-2021-09-27.json) and a version line; rows that are inferred
// rather than confirmed say so in their note column.
package codes

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

//go:embed data/*.csv
var dataFS embed.FS

// Location is one region code (loc_cd). A province row has Code equal to
// ProvinceCode and a name such as "서울전체".
type Location struct {
	Code         string
	ProvinceCode string
	Province     string // short province name, e.g. "서울"
	Name         string // district name, e.g. "강남구"
	Source       string
	Note         string
}

// FullName is the name as the API prints it, e.g. "서울 > 강남구".
func (l Location) FullName() string { return l.Province + " > " + l.Name }

// IsProvince reports whether the row stands for a whole province.
func (l Location) IsProvince() bool { return l.Code == l.ProvinceCode }

// Industry is one industry code (ind_cd) and its category.
type Industry struct {
	Code         string
	Name         string
	CategoryCode string
	Source       string
	Note         string
}

// JobCode is one job code (job_cd). Name may be empty when the sources do
// not tell it; JobMidCode is inferred (see data/job_code.csv).
type JobCode struct {
	Code       string
	Name       string
	JobMidCode string
	Source     string
	Note       string
}

// Salary is one salary code; MinManwon and MaxManwon bound the yearly band
// in 만원 (0 when open or not a band). Name is empty for codes that arrive
// without a name.
type Salary struct {
	Code      string
	Name      string
	MinManwon int
	MaxManwon int
	Source    string
	Note      string
}

// Entry is a plain code table row: industry categories, job groups,
// experience levels, education levels, job types and close types.
type Entry struct {
	Code   string
	Name   string
	Source string
	Note   string
}

// IndustryKeyword is a keyword seen in the `keyword` field of postings of
// an industry.
type IndustryKeyword struct {
	IndustryCode string
	Keyword      string
	Seen         int
}

// Tables are all code tables, in file order, with lookups by code.
type Tables struct {
	Locations          []Location
	Industries         []Industry
	IndustryCategories []Entry
	IndustryKeywords   []IndustryKeyword
	JobMids            []Entry
	JobCodes           []JobCode
	Experiences        []Entry
	Educations         []Entry
	JobTypes           []Entry
	Salaries           []Salary
	CloseTypes         []Entry

	location    map[string]int
	industry    map[string]int
	industryCat map[string]int
	jobMid      map[string]int
	jobCode     map[string]int
	experience  map[string]int
	education   map[string]int
	jobType     map[string]int
	salary      map[string]int
	closeType   map[string]int
}

// Load parses the embedded tables and checks them: codes unique per table,
// names present where the table requires them, and every reference (province
// of a region, category of an industry, group of a job code) resolvable.
func Load() (*Tables, error) {
	t := &Tables{}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(readTable("location.csv", func(r row) error {
		t.Locations = append(t.Locations, Location{Code: r.get("code"), ProvinceCode: r.get("province_code"),
			Province: r.get("province"), Name: r.get("name"), Source: r.get("source"), Note: r.get("note")})
		return nil
	}))
	add(readTable("industry.csv", func(r row) error {
		t.Industries = append(t.Industries, Industry{Code: r.get("code"), Name: r.get("name"),
			CategoryCode: r.get("category_code"), Source: r.get("source"), Note: r.get("note")})
		return nil
	}))
	add(readTable("industry_category.csv", entryInto(&t.IndustryCategories)))
	add(readTable("industry_keyword.csv", func(r row) error {
		n, err := strconv.Atoi(r.get("seen"))
		if err != nil {
			return fmt.Errorf("seen %q: %w", r.get("seen"), err)
		}
		t.IndustryKeywords = append(t.IndustryKeywords, IndustryKeyword{IndustryCode: r.get("industry_code"), Keyword: r.get("keyword"), Seen: n})
		return nil
	}))
	add(readTable("job_mid.csv", entryInto(&t.JobMids)))
	add(readTable("job_code.csv", func(r row) error {
		t.JobCodes = append(t.JobCodes, JobCode{Code: r.get("code"), Name: r.get("name"),
			JobMidCode: r.get("job_mid_code"), Source: r.get("source"), Note: r.get("note")})
		return nil
	}))
	add(readTable("experience.csv", entryInto(&t.Experiences)))
	add(readTable("education.csv", entryInto(&t.Educations)))
	add(readTable("job_type.csv", entryInto(&t.JobTypes)))
	add(readTable("salary.csv", func(r row) error {
		lo, err := atoiOrZero(r.get("min_manwon"))
		if err != nil {
			return err
		}
		hi, err := atoiOrZero(r.get("max_manwon"))
		if err != nil {
			return err
		}
		t.Salaries = append(t.Salaries, Salary{Code: r.get("code"), Name: r.get("name"), MinManwon: lo, MaxManwon: hi,
			Source: r.get("source"), Note: r.get("note")})
		return nil
	}))
	add(readTable("close_type.csv", entryInto(&t.CloseTypes)))
	if len(errs) > 0 {
		return nil, fmt.Errorf("codes.Load: %w", errors.Join(errs...))
	}
	if err := t.index(); err != nil {
		return nil, fmt.Errorf("codes.Load: %w", err)
	}
	return t, nil
}

func (t *Tables) index() error {
	var errs []error
	mk := func(table string, n int, code func(int) string, name func(int) string, note func(int) string) map[string]int {
		m := make(map[string]int, n)
		for i := range n {
			c := code(i)
			if c == "" {
				errs = append(errs, fmt.Errorf("%s row %d: empty code", table, i+1))
				continue
			}
			if _, dup := m[c]; dup {
				errs = append(errs, fmt.Errorf("%s: duplicate code %s", table, c))
			}
			if name(i) == "" && note(i) == "" {
				errs = append(errs, fmt.Errorf("%s: code %s has no name and no note saying why", table, c))
			}
			m[c] = i
		}
		return m
	}
	entries := func(table string, es []Entry) map[string]int {
		return mk(table, len(es), func(i int) string { return es[i].Code }, func(i int) string { return es[i].Name }, func(i int) string { return es[i].Note })
	}
	t.location = mk("location", len(t.Locations), func(i int) string { return t.Locations[i].Code },
		func(i int) string { return t.Locations[i].Name }, func(i int) string { return t.Locations[i].Note })
	t.industry = mk("industry", len(t.Industries), func(i int) string { return t.Industries[i].Code },
		func(i int) string { return t.Industries[i].Name }, func(i int) string { return t.Industries[i].Note })
	t.jobCode = mk("job_code", len(t.JobCodes), func(i int) string { return t.JobCodes[i].Code },
		func(i int) string { return t.JobCodes[i].Name }, func(i int) string { return t.JobCodes[i].Note })
	t.salary = mk("salary", len(t.Salaries), func(i int) string { return t.Salaries[i].Code },
		func(i int) string { return t.Salaries[i].Name }, func(i int) string { return t.Salaries[i].Note })
	t.industryCat = entries("industry_category", t.IndustryCategories)
	t.jobMid = entries("job_mid", t.JobMids)
	t.experience = entries("experience", t.Experiences)
	t.education = entries("education", t.Educations)
	t.jobType = entries("job_type", t.JobTypes)
	t.closeType = entries("close_type", t.CloseTypes)

	for _, l := range t.Locations {
		p, ok := t.location[l.ProvinceCode]
		if !ok {
			errs = append(errs, fmt.Errorf("location %s: unknown province %s", l.Code, l.ProvinceCode))
		} else if t.Locations[p].Province != l.Province {
			errs = append(errs, fmt.Errorf("location %s: province name %q differs from %q", l.Code, l.Province, t.Locations[p].Province))
		}
	}
	for _, in := range t.Industries {
		if _, ok := t.industryCat[in.CategoryCode]; !ok {
			errs = append(errs, fmt.Errorf("industry %s: unknown category %s", in.Code, in.CategoryCode))
		}
	}
	for _, k := range t.IndustryKeywords {
		if _, ok := t.industry[k.IndustryCode]; !ok {
			errs = append(errs, fmt.Errorf("industry_keyword %q: unknown industry %s", k.Keyword, k.IndustryCode))
		}
	}
	for _, j := range t.JobCodes {
		if j.JobMidCode == "" {
			continue
		}
		if _, ok := t.jobMid[j.JobMidCode]; !ok {
			errs = append(errs, fmt.Errorf("job_code %s: unknown job group %s", j.Code, j.JobMidCode))
		}
	}
	return errors.Join(errs...)
}

// Location returns the region with this code.
func (t *Tables) Location(code string) (Location, bool) { return lookup(t.Locations, t.location, code) }

// Province returns the province row of a region code (itself for a
// province).
func (t *Tables) Province(code string) (Location, bool) {
	l, ok := t.Location(code)
	if !ok {
		return Location{}, false
	}
	return t.Location(l.ProvinceCode)
}

// Provinces returns the province rows, in file order.
func (t *Tables) Provinces() []Location {
	var out []Location
	for _, l := range t.Locations {
		if l.IsProvince() {
			out = append(out, l)
		}
	}
	return out
}

// Districts returns the non-province regions of a province.
func (t *Tables) Districts(provinceCode string) []Location {
	var out []Location
	for _, l := range t.Locations {
		if l.ProvinceCode == provinceCode && !l.IsProvince() {
			out = append(out, l)
		}
	}
	return out
}

// Industry returns the industry with this code.
func (t *Tables) Industry(code string) (Industry, bool) {
	return lookup(t.Industries, t.industry, code)
}

// IndustryCategory returns the industry category with this code.
func (t *Tables) IndustryCategory(code string) (Entry, bool) {
	return lookup(t.IndustryCategories, t.industryCat, code)
}

// CategoryOf returns the category of an industry code.
func (t *Tables) CategoryOf(industryCode string) (Entry, bool) {
	in, ok := t.Industry(industryCode)
	if !ok {
		return Entry{}, false
	}
	return t.IndustryCategory(in.CategoryCode)
}

// KeywordsOf returns the keywords seen with an industry, most seen first.
func (t *Tables) KeywordsOf(industryCode string) []string {
	var ks []IndustryKeyword
	for _, k := range t.IndustryKeywords {
		if k.IndustryCode == industryCode {
			ks = append(ks, k)
		}
	}
	slices.SortStableFunc(ks, func(a, b IndustryKeyword) int { return b.Seen - a.Seen })
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.Keyword
	}
	return out
}

// JobMid returns the job group with this code.
func (t *Tables) JobMid(code string) (Entry, bool) { return lookup(t.JobMids, t.jobMid, code) }

// JobCode returns the job code with this code.
func (t *Tables) JobCode(code string) (JobCode, bool) { return lookup(t.JobCodes, t.jobCode, code) }

// JobCodesOf returns the job codes of a job group, in file order.
func (t *Tables) JobCodesOf(jobMidCode string) []JobCode {
	var out []JobCode
	for _, j := range t.JobCodes {
		if j.JobMidCode == jobMidCode {
			out = append(out, j)
		}
	}
	return out
}

// Experience returns the experience level with this code.
func (t *Tables) Experience(code string) (Entry, bool) {
	return lookup(t.Experiences, t.experience, code)
}

// Education returns the education level with this code.
func (t *Tables) Education(code string) (Entry, bool) { return lookup(t.Educations, t.education, code) }

// JobType returns the job type with this code.
func (t *Tables) JobType(code string) (Entry, bool) { return lookup(t.JobTypes, t.jobType, code) }

// Salary returns the salary code.
func (t *Tables) Salary(code string) (Salary, bool) { return lookup(t.Salaries, t.salary, code) }

// CloseType returns the close type with this code.
func (t *Tables) CloseType(code string) (Entry, bool) { return lookup(t.CloseTypes, t.closeType, code) }

func lookup[T any](rows []T, idx map[string]int, code string) (T, bool) {
	i, ok := idx[strings.TrimSpace(code)]
	if !ok {
		var zero T
		return zero, false
	}
	return rows[i], true
}

// row is one CSV record addressed by header name.
type row struct {
	cols   map[string]int
	record []string
}

func (r row) get(name string) string {
	i, ok := r.cols[name]
	if !ok || i >= len(r.record) {
		return ""
	}
	return strings.TrimSpace(r.record[i])
}

func entryInto(dst *[]Entry) func(row) error {
	return func(r row) error {
		*dst = append(*dst, Entry{Code: r.get("code"), Name: r.get("name"), Source: r.get("source"), Note: r.get("note")})
		return nil
	}
}

func atoiOrZero(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("number %q: %w", s, err)
	}
	return n, nil
}

// readTable reads data/<name>: '#' comment lines (which must include a
// version line), a header, then rows with the header's width.
func readTable(name string, each func(row) error) error {
	f, err := dataFS.Open("data/" + name)
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if !strings.Contains(string(b), "\n# version: ") {
		return fmt.Errorf("%s: no '# version:' line", name)
	}
	cr := csv.NewReader(strings.NewReader(string(b)))
	cr.Comment = '#'
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s header: %w", name, err)
	}
	cols := make(map[string]int, len(header))
	for i, h := range header {
		cols[h] = i
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := each(row{cols: cols, record: rec}); err != nil {
			return fmt.Errorf("%s record %d: %w", name, line, err)
		}
	}
}
