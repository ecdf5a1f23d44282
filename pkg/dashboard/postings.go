package dashboard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/skills"
	"jobpulse/pkg/warehouse"
)

// The grid of postings reads each page from the warehouse
// (warehouse.PostingReader), not from a per-posting index in the
// dashboard's memory: at 1,000,000 postings such an index would be about
// as large as the dashboard's whole memory budget (`make bench` measures
// it beside the snapshot's heap). The snapshot checks the filters first,
// so a request the data cannot answer never reaches the warehouse.

// StoreOption configures a Store.
type StoreOption func(*Store)

// WithPostings lets the store answer the grid of postings and the top
// postings from r (without it, those views answer 503).
func WithPostings(r warehouse.PostingReader) StoreOption {
	return func(s *Store) { s.postings = r }
}

// errNoPostings answers the grid without a PostingReader.
var errNoPostings = errors.New("the postings grid is not available: this dashboard reads no warehouse pages")

// GridRow is one posting of the grid.
type GridRow struct {
	ID           string   `json:"id"`
	Company      string   `json:"company"`
	Title        string   `json:"title"`
	Regions      []string `json:"regions"`
	Experience   string   `json:"experience"` // a level key (experience_levels); "" unknown
	Salary       string   `json:"salary"`
	Deadline     *string  `json:"deadline"` // RFC 3339; null without a real deadline
	CloseType    string   `json:"close_type"`
	Views        int64    `json:"views"`
	Applications int64    `json:"applications"`
	Posted       string   `json:"posted"` // KST day
	Open         bool     `json:"open"`
	DaysOpen     int64    `json:"days_open"`
	ViewsPerDay  float64  `json:"views_per_day"`
	URL          string   `json:"url"`
	Synthetic    bool     `json:"synthetic"` // the emulator's posting, not a real one on Saramin
}

// Grid is a page of postings.
type Grid struct {
	Total int64     `json:"total"`
	Rows  []GridRow `json:"rows"`
	// Skills are the skills the search text names (canonical names): a
	// posting asking for one matches it.
	Skills []string `json:"skills"`
	// AsOf is the day an open posting's days open are counted to.
	AsOf string `json:"as_of"`
}

// GridQuery is what the grid asks beyond the Filter.
type GridQuery struct {
	District       string // "서울 > 강남구"
	IndustryDetail string
	Text           string
	Sort           string
	Offset, Limit  int
}

// Postings reads a page of the postings under f and g from the warehouse.
func (s *Store) Postings(ctx context.Context, f Filter, g GridQuery) (Grid, error) {
	snap, err := s.current()
	if err != nil {
		return Grid{}, fmt.Errorf("postings: %w", err)
	}
	if s.postings == nil {
		return Grid{}, errNoPostings
	}
	q := warehouse.PostingQuery{Entry: f.Entry, Province: f.Province, District: g.District, Industry: f.Industry,
		IndustryDetail: g.IndustryDetail, Experience: f.Experience, From: f.From, To: f.To, Text: g.Text,
		Skills: namedSkills(g.Text), Sort: g.Sort, AsOf: asOf(snap.meta), Offset: g.Offset, Limit: g.Limit}
	if f.Role != "all" {
		q.Role = f.Role
	}
	page, err := s.postings.Postings(ctx, q)
	if err != nil {
		return Grid{}, err
	}
	out := Grid{Total: page.Total, Rows: make([]GridRow, 0, len(page.Rows)), Skills: nonNil(q.Skills), AsOf: q.AsOf.Format(time.DateOnly)}
	for _, r := range page.Rows {
		row := GridRow{ID: r.ID, Company: r.Company, Title: r.Title, Regions: nonNil(r.Regions), Experience: r.Experience,
			Salary: r.SalaryBand, CloseType: r.CloseType, Views: r.Views, Applications: r.Apps,
			Posted: r.Posted.Add(kstOffset).Format(time.DateOnly), Open: r.Open, DaysOpen: r.DaysOpen,
			ViewsPerDay: math.Round(r.ViewsPerDay*100) / 100, URL: r.URL, Synthetic: r.Synthetic || isSynthetic(r.URL)}
		if r.Deadline != nil {
			d := r.Deadline.Format(time.RFC3339)
			row.Deadline = &d
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// isSynthetic reports a URL on the emulator's host.
func isSynthetic(u string) bool {
	p, err := url.Parse(u)
	return err == nil && p.Host == saramin.SyntheticHost
}

// asOf is the day the warehouse speaks for: its clock, the moment its
// open postings are judged open at, as the lifetime counts days open to
// (KST); else its newest load of postings, or its last posting day.
func asOf(m Meta) time.Time {
	if m.Clock != nil {
		return dateOf(dayOf(m.Clock.UTC().Add(kstOffset)))
	}
	if m.Loaded.Saramin != nil {
		return dateOf(dayOf(m.Loaded.Saramin.UTC().Add(kstOffset)))
	}
	if t, err := time.Parse(time.DateOnly, m.Last); err == nil {
		return t
	}
	return dateOf(dayOf(time.Now().UTC().Add(kstOffset)))
}

// namedSkills are the canonical names of the skills text names, in
// Korean or English ("파이썬" and "python" both name Python).
func namedSkills(text string) []string {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return skills.Default().Match(text)
}

// The sizes of a page of the grid.
const (
	defaultPageSize = 50
	maxSearchRunes  = 100
	// maxOffset bounds how deep a page may be (the grid is for reading,
	// not for exporting the warehouse).
	maxOffset = 100_000
)

// gridParams are the parameters /api/postings takes.
var gridParams = []string{"role", "entry", "province", "district", "industry", "industry_detail", "experience", "from", "to", "q", "sort", "page", "size"}

// topParams are the parameters /api/top takes.
var topParams = []string{"by", "role", "entry", "province", "district", "industry", "industry_detail", "experience", "from", "to", "q"}

// gridFilter reads and checks the filters the grid and the top postings
// share.
func (s *Server) gridFilter(r *http.Request, q url.Values) (Filter, GridQuery, error) {
	f, err := s.filter(r, q, nil)
	if err != nil {
		return f, GridQuery{}, err
	}
	snap, err := s.store.current()
	if err != nil {
		return f, GridQuery{}, err
	}
	g := GridQuery{District: q.Get("district"), IndustryDetail: q.Get("industry_detail"), Text: strings.TrimSpace(q.Get("q"))}
	if g.District != "" {
		prov, dist, ok := strings.Cut(g.District, " > ")
		_, known := snap.lookup(dist)
		switch {
		case !ok:
			return f, g, bad("district=%q: want a region as postings list it, like \"서울 > 강남구\"", g.District)
		case !slices.Contains(snap.meta.Provinces, prov) || !known || dist == "":
			return f, g, bad("district=%q: no posting lists it", g.District)
		}
	}
	if g.IndustryDetail != "" {
		if _, ok := snap.lookup(g.IndustryDetail); !ok {
			return f, g, bad("industry_detail=%q: no posting has it", g.IndustryDetail)
		}
	}
	if n := utf8.RuneCountInString(g.Text); n > maxSearchRunes {
		return f, g, bad("q is %d characters long: want at most %d", n, maxSearchRunes)
	}
	return f, g, nil
}

// gridEcho is the filter as the grid's answer repeats it.
func gridEcho(f Filter, g GridQuery) map[string]any {
	e := f.echo()
	delete(e, "grain")
	e["district"], e["industry_detail"], e["q"] = g.District, g.IndustryDetail, g.Text
	return e
}

// level is an experience level as the grid's answer names it.
type level struct {
	Key string `json:"key"`
	Ko  string `json:"ko"`
	En  string `json:"en"`
}

func levels() []level {
	var out []level
	for _, l := range warehouse.ExperienceLevels() {
		out = append(out, level{l.Key, l.Ko, l.En})
	}
	return out
}

func (s *Server) grid(r *http.Request, q url.Values) (any, error) {
	if err := only(q, gridParams...); err != nil {
		return nil, err
	}
	f, g, err := s.gridFilter(r, q)
	if err != nil {
		return nil, err
	}
	g.Sort = cmp.Or(q.Get("sort"), warehouse.SortPosted)
	if !slices.Contains(warehouse.PostingSorts(), g.Sort) {
		return nil, bad("sort=%q: want one of %s", g.Sort, strings.Join(warehouse.PostingSorts(), ", "))
	}
	page, err := positive(q.Get("page"), 1, "page", math.MaxInt32)
	if err != nil {
		return nil, err
	}
	g.Limit, err = positive(q.Get("size"), defaultPageSize, "size", warehouse.MaxPageSize)
	if err != nil {
		return nil, err
	}
	if g.Offset = (page - 1) * g.Limit; g.Offset > maxOffset {
		return nil, bad("page=%d: the grid pages through the first %d postings of an order; narrow the filters or change the order", page, maxOffset)
	}
	grid, err := s.store.Postings(r.Context(), f, g)
	if err != nil {
		return nil, err
	}
	echo := gridEcho(f, g)
	echo["sort"] = g.Sort
	// A page past the last holds nothing: 0 to 0 of the total.
	var first, last int64
	if len(grid.Rows) > 0 {
		first, last = int64(g.Offset)+1, int64(g.Offset)+int64(len(grid.Rows))
	}
	return map[string]any{"filter": echo, "page": page, "size": g.Limit, "total": grid.Total,
		"first": first, "last": last,
		"rows": grid.Rows, "skills": grid.Skills, "as_of": grid.AsOf, "experience_levels": levels(), "sorts": warehouse.PostingSorts()}, nil
}

// topRankings are the orders /api/top ranks by, the default first.
var topRankings = []string{warehouse.SortViewsPerDay, warehouse.SortViews, warehouse.SortApplications}

// topSize is how many postings /api/top answers.
const topSize = 10

// topCaveat is what every ranking of postings must be read with.
var topCaveat = map[string]string{
	"ko": "조회수와 지원자 수는 공고가 열려 있는 동안 계속 늘어납니다. 오래 열린 공고일수록 많아지므로, 기본 순위는 게시 하루당 조회수(조회수 ÷ 게시 일수)입니다.",
	"en": "Views and applications keep growing while a posting is open, so older postings collect more; the default ranking is views per day open (views ÷ days open).",
}

func (s *Server) top(r *http.Request, q url.Values) (any, error) {
	if err := only(q, topParams...); err != nil {
		return nil, err
	}
	by := cmp.Or(q.Get("by"), warehouse.SortViewsPerDay)
	if !slices.Contains(topRankings, by) {
		return nil, bad("by=%q: want %s", by, strings.Join(topRankings, ", "))
	}
	f, g, err := s.gridFilter(r, q)
	if err != nil {
		return nil, err
	}
	g.Sort, g.Limit = by, topSize
	grid, err := s.store.Postings(r.Context(), f, g)
	if err != nil {
		return nil, err
	}
	return map[string]any{"by": by, "filter": gridEcho(f, g), "total": grid.Total, "rows": grid.Rows, "skills": grid.Skills,
		"as_of": grid.AsOf, "caveat": topCaveat, "experience_levels": levels(), "rankings": topRankings}, nil
}

// positive reads a whole number from 1 to most (def when empty).
func positive(v string, def int, name string, most int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, bad("%s=%q: want a whole number from 1 to %d", name, v, most)
	}
	return n, nil
}
