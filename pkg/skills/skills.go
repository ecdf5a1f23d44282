// Package skills finds the data skills and tools a job posting asks for:
// languages, databases and stores, processing engines, clouds, BI tools and
// ML libraries, from a curated dictionary (skills.csv, embedded) where each
// entry has a canonical name, a category, English and Korean display names,
// the spellings it is written with in Korean and English postings, and the
// page its facts come from.
//
// Saramin's keywords and job-code names mix tools with industries, company
// kinds and office work (건설회사, 종합포털, 요금정산, 빅데이터); Match keeps
// only what the dictionary names, so nothing else can be counted as a skill.
package skills

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Category groups skills that can be compared with one another.
type Category string

// The categories, in the order a page lists them.
const (
	Language   Category = "language"
	Storage    Category = "storage"
	Processing Category = "processing"
	Cloud      Category = "cloud"
	BI         Category = "bi"
	ML         Category = "ml"
)

// categoryLabels are each category's names for a reader, Korean and English.
var categoryLabels = map[Category]struct{ ko, en string }{
	Language:   {"프로그래밍 언어", "Languages"},
	Storage:    {"데이터베이스·저장소", "Databases and storage"},
	Processing: {"데이터 처리", "Data processing"},
	Cloud:      {"클라우드", "Cloud"},
	BI:         {"BI·시각화", "BI and visualisation"},
	ML:         {"머신러닝", "Machine learning"},
}

// Categories lists every category, in display order.
func Categories() []Category {
	return []Category{Language, Storage, Processing, Cloud, BI, ML}
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	_, ok := categoryLabels[c]
	return ok
}

// Label is c's name in lang ("ko" or "en"; anything else reads Korean).
func (c Category) Label(lang string) string {
	l := categoryLabels[c]
	if lang == "en" {
		return l.en
	}
	return l.ko
}

// Skill is one entry of the dictionary.
type Skill struct {
	Name     string // canonical: what core.recruit.skills holds
	Category Category
	En, Ko   string   // display names
	Aliases  []string // other spellings (Name always matches too)
	// Not are phrases that contain an alias but mean something else
	// (자바스크립트 for 자바, A/R for R).
	Not    []string
	Source string // the page the entry's facts come from
	Note   string // why an alias is in or out
}

// Display is s's name in lang ("ko" or "en"; anything else reads Korean).
func (s Skill) Display(lang string) string {
	if lang == "en" {
		return s.En
	}
	return s.Ko
}

// Dictionary is a validated set of skills, ready to match.
type Dictionary struct {
	skills  []Skill
	byName  map[string]int
	aliases []alias
	masks   [][]string // per skill: its Not phrases, normalized
	rank    []int      // per skill: its place in name order
	index   index
}

// alias is one normalized spelling of skill (its index).
type alias struct {
	text  string
	skill int
	token bool // ASCII: matches as a whole token; otherwise anywhere
}

//go:embed skills.csv
var builtinCSV []byte

// builtin parses the embedded dictionary once.
var builtin = sync.OnceValues(func() (*Dictionary, error) { return Parse(bytes.NewReader(builtinCSV)) })

// Default is the dictionary shipped in skills.csv. The file is checked by
// the package's tests, so a dictionary that does not load is a broken
// build: Default panics then.
func Default() *Dictionary {
	d, err := builtin()
	if err != nil {
		panic(fmt.Sprintf("skills: the embedded skills.csv does not load: %v", err))
	}
	return d
}

// columns are skills.csv's columns, in order.
var columns = []string{"name", "category", "en", "ko", "aliases", "not", "source", "note"}

// Parse reads a dictionary in skills.csv's format: '#' comment lines, a
// header naming the columns, one skill a row. It fails on a missing or
// unknown column, an unknown category, an empty name or display name, a
// source that is not an http(s) URL, a name given twice, and a spelling
// (name or alias, compared as Match compares them) given to two skills or
// twice to one.
func Parse(r io.Reader) (*Dictionary, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = len(columns)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("skills: header: %w", err)
	}
	if !slices.Equal(header, columns) {
		return nil, fmt.Errorf("skills: header %q: want %q", header, columns)
	}
	d := &Dictionary{byName: map[string]int{}}
	owner := map[string]string{} // normalized spelling → skill
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("skills: %w", err)
		}
		line, _ := cr.FieldPos(0)
		s := Skill{Name: strings.TrimSpace(rec[0]), Category: Category(strings.TrimSpace(rec[1])),
			En: strings.TrimSpace(rec[2]), Ko: strings.TrimSpace(rec[3]), Aliases: list(rec[4]), Not: list(rec[5]),
			Source: strings.TrimSpace(rec[6]), Note: strings.TrimSpace(rec[7])}
		if err := s.check(); err != nil {
			return nil, fmt.Errorf("skills: line %d: %w", line, err)
		}
		if _, dup := d.byName[s.Name]; dup {
			return nil, fmt.Errorf("skills: line %d: %q is given twice", line, s.Name)
		}
		i := len(d.skills)
		d.byName[s.Name] = i
		d.skills = append(d.skills, s)
		for _, a := range append([]string{s.Name}, s.Aliases...) {
			n := normalize(a)
			if prev, dup := owner[n]; dup {
				return nil, fmt.Errorf("skills: line %d: the spelling %q of %s is already %s's", line, a, s.Name, prev)
			}
			owner[n] = s.Name
			d.aliases = append(d.aliases, alias{text: n, skill: i, token: isASCII(n)})
		}
		var masks []string
		for _, m := range s.Not {
			masks = append(masks, normalize(m))
		}
		d.masks = append(d.masks, masks)
	}
	if len(d.skills) == 0 {
		return nil, errors.New("skills: the dictionary is empty")
	}
	d.buildIndex()
	return d, nil
}

// check validates one row on its own.
func (s Skill) check() error {
	switch {
	case s.Name == "":
		return errors.New("empty name")
	case !s.Category.Valid():
		return fmt.Errorf("%s: unknown category %q (want one of %v)", s.Name, s.Category, Categories())
	case s.En == "" || s.Ko == "":
		return fmt.Errorf("%s: a display name is empty", s.Name)
	}
	u, err := url.Parse(s.Source)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s: source %q is not an http(s) URL", s.Name, s.Source)
	}
	for _, a := range s.Aliases {
		if normalize(a) == "" {
			return fmt.Errorf("%s: an empty alias", s.Name)
		}
	}
	return nil
}

// list splits a '|'-separated field, dropping blanks.
func list(field string) []string {
	var out []string
	for _, v := range strings.Split(field, "|") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Skills lists the dictionary's skills in file order.
func (d *Dictionary) Skills() []Skill { return slices.Clone(d.skills) }

// Lookup finds a skill by its canonical name.
func (d *Dictionary) Lookup(name string) (Skill, bool) {
	i, ok := d.byName[name]
	if !ok {
		return Skill{}, false
	}
	return d.skills[i], true
}
