package dashboard

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Filter narrows the postings a view counts. The zero values mean "any".
type Filter struct {
	Role     string // "all" or a data role ("other": the rest of the market)
	Entry    bool   // only postings open to newcomers (신입)
	Province string
	Industry string
	From, To time.Time // KST days, both included
	Grain    string    // day, week or month
}

// Point is one period of a series.
type Point struct {
	Date     string  `json:"date"`
	Postings int64   `json:"postings"`       // new postings of the role
	Market   int64   `json:"market"`         // new postings of every role, same other filters
	Share    float64 `json:"share"`          // postings / market
	Entry    int64   `json:"entry"`          // of postings, those open to newcomers
	Open     *int64  `json:"open,omitempty"` // open postings of the role at the period's end
	EntryPct float64 `json:"entry_pct"`      // entry / postings
	// Partial marks a period the dates cut: its count is not comparable
	// with the whole periods'.
	Partial bool `json:"partial"`
}

// Row is one bar of a breakdown.
type Row struct {
	Name     string  `json:"name"`
	Postings int64   `json:"postings"`
	Share    float64 `json:"share"` // of the breakdown's total
}

// where is the cube's filter for f; role filters only when byRole.
const where = ` WHERE date BETWEEN $from::DATE AND $to::DATE
	AND ($entry = false OR entry)
	AND ($province = '' OR province = $province)
	AND ($industry = '' OR industry = $industry)`

func (f Filter) args() []any {
	return []any{
		// Dates travel as text and are cast to DATE in the SQL: a time.Time
		// binds as TIMESTAMPTZ and would move with the server's time zone.
		sql.Named("from", f.From.Format(time.DateOnly)), sql.Named("to", f.To.Format(time.DateOnly)), sql.Named("entry", f.Entry),
		sql.Named("province", f.Province), sql.Named("industry", f.Industry),
		sql.Named("role", f.Role), sql.Named("grain", f.Grain),
	}
}

// Volume is the series of new postings of f's role against the whole
// market under the same filters, with the entry-level count and, without
// province, industry or entry filters, the open postings.
func (s *Store) Volume(ctx context.Context, f Filter) ([]Point, error) {
	q := `SELECT strftime(date_trunc($grain, date), '%Y-%m-%d') AS d,
	        coalesce(sum(postings) FILTER (WHERE $role = 'all' OR role = $role), 0),
	        sum(postings),
	        coalesce(sum(postings) FILTER (WHERE ($role = 'all' OR role = $role) AND entry), 0)
	      FROM cube` + where + ` GROUP BY d ORDER BY d`
	rows, err := s.db.QueryContext(ctx, q, f.args()...)
	if err != nil {
		return nil, fmt.Errorf("volume: %w", err)
	}
	defer rows.Close()
	counts := map[string]Point{}
	for rows.Next() {
		var p Point
		if err := rows.Scan(&p.Date, &p.Postings, &p.Market, &p.Entry); err != nil {
			return nil, fmt.Errorf("volume: %w", err)
		}
		counts[p.Date] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("volume: %w", err)
	}
	// Every period of the span, those without postings included, so that
	// the axis and the comparisons are not fooled by gaps.
	var out []Point
	index := map[string]int{}
	for start := periodStart(f.From, f.Grain); !start.After(f.To); start = nextPeriod(start, f.Grain) {
		key := start.Format(time.DateOnly)
		p := counts[key]
		p.Date = key
		p.Partial = start.Before(f.From) || nextPeriod(start, f.Grain).AddDate(0, 0, -1).After(f.To)
		if p.Market > 0 {
			p.Share = float64(p.Postings) / float64(p.Market)
		}
		if p.Postings > 0 {
			p.EntryPct = float64(p.Entry) / float64(p.Postings)
		}
		index[key] = len(out)
		out = append(out, p)
	}
	if f.Entry || f.Province != "" || f.Industry != "" {
		return out, nil
	}
	// Open postings at the end of each period (the table has them by role
	// only).
	open, err := s.db.QueryContext(ctx, `SELECT strftime(date_trunc($grain, date), '%Y-%m-%d') AS d, arg_max(open_postings, date)
		FROM open_daily WHERE role = $role AND date BETWEEN $from::DATE AND $to::DATE GROUP BY d`, f.args()...)
	if err != nil {
		return nil, fmt.Errorf("volume: open postings: %w", err)
	}
	defer open.Close()
	for open.Next() {
		var d string
		var n int64
		if err := open.Scan(&d, &n); err != nil {
			return nil, fmt.Errorf("volume: open postings: %w", err)
		}
		if i, ok := index[d]; ok {
			out[i].Open = &n
		}
	}
	return out, open.Err()
}

// periodStart is the first day of t's period: t, its week's Monday, or
// its month's first day (as DuckDB's date_trunc counts them).
func periodStart(t time.Time, grain string) time.Time {
	switch grain {
	case "week":
		return t.AddDate(0, 0, -int((t.Weekday()+6)%7))
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

func nextPeriod(start time.Time, grain string) time.Time {
	switch grain {
	case "week":
		return start.AddDate(0, 0, 7)
	case "month":
		return start.AddDate(0, 1, 0)
	}
	return start.AddDate(0, 0, 1)
}

// breakdowns are the dimensions a breakdown may group by, with the table
// that holds each. Names chosen here, never user text.
var breakdowns = map[string]struct{ col, table, dates string }{
	"province":        {"province", "cube", "date BETWEEN $from::DATE AND $to::DATE"},
	"industry":        {"industry", "cube", "date BETWEEN $from::DATE AND $to::DATE"},
	"district":        {"district", "detail", "date BETWEEN $from::DATE AND $to::DATE"},
	"industry_detail": {"industry_detail", "detail", "date BETWEEN $from::DATE AND $to::DATE"},
}

// Breakdown counts f's postings by province, industry, district or
// industry detail, largest first.
func (s *Store) Breakdown(ctx context.Context, by string, f Filter) ([]Row, error) {
	b, ok := breakdowns[by]
	if !ok {
		return nil, fmt.Errorf("breakdown: unknown dimension %q", by)
	}
	q := `SELECT ` + b.col + ` AS name, sum(postings) AS n FROM ` + b.table + ` WHERE ` + b.dates + `
		AND ($entry = false OR entry)
		AND ($province = '' OR province = $province)
		AND ($industry = '' OR industry = $industry)
		AND ($role = 'all' OR role = $role) AND ` + b.col + ` <> '' GROUP BY name ORDER BY n DESC, name`
	rows, err := s.db.QueryContext(ctx, q, f.args()...)
	if err != nil {
		return nil, fmt.Errorf("breakdown: %w", err)
	}
	defer rows.Close()
	var out []Row
	var total int64
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.Name, &r.Postings); err != nil {
			return nil, fmt.Errorf("breakdown: %w", err)
		}
		total += r.Postings
		out = append(out, r)
	}
	for i := range out {
		out[i].Share = float64(out[i].Postings) / float64(total)
	}
	return out, rows.Err()
}

// Skill is one skill's demand: the share of the role's postings asking for
// it, in the period and in the period of the same length before.
type Skill struct {
	Name     string   `json:"name"`
	Postings int64    `json:"postings"`
	Share    float64  `json:"share"`
	Before   *float64 `json:"before"` // null when the earlier period is not (fully) in the warehouse
}

// Skills lists the 15 skills most asked of f's role in f's days, with
// their share in as many days just before (null when the warehouse does
// not reach that far back, or holds no posting of the role then).
func (s *Store) Skills(ctx context.Context, f Filter, first time.Time) ([]Skill, error) {
	days := int(f.To.Sub(f.From).Hours()/24) + 1
	prevFrom := f.From.AddDate(0, 0, -days)
	q := `WITH cur AS (SELECT skill, sum(postings) AS n FROM skills WHERE date BETWEEN $from::DATE AND $to::DATE AND ($role = 'all' OR role = $role) GROUP BY skill),
	  prev AS (SELECT skill, sum(postings) AS n FROM skills WHERE date BETWEEN $prev::DATE AND $from::DATE - 1 AND ($role = 'all' OR role = $role) GROUP BY skill),
	  tot AS (SELECT sum(postings) FILTER (WHERE date BETWEEN $from::DATE AND $to::DATE) AS cur,
	                 sum(postings) FILTER (WHERE date BETWEEN $prev::DATE AND $from::DATE - 1) AS prev
	          FROM cube WHERE ($role = 'all' OR role = $role))
	  SELECT cur.skill, cur.n, cur.n / tot.cur, CASE WHEN $covered THEN coalesce(prev.n, 0) / nullif(tot.prev, 0) END
	  FROM cur LEFT JOIN prev USING (skill), tot ORDER BY cur.n DESC, cur.skill LIMIT 15`
	args := append(f.args(), sql.Named("prev", prevFrom.Format(time.DateOnly)), sql.Named("covered", !first.IsZero() && !prevFrom.Before(first)))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("skills: %w", err)
	}
	defer rows.Close()
	var out []Skill
	for rows.Next() {
		var k Skill
		var before sql.NullFloat64
		if err := rows.Scan(&k.Name, &k.Postings, &k.Share, &before); err != nil {
			return nil, fmt.Errorf("skills: %w", err)
		}
		if before.Valid {
			k.Before = &before.Float64
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Meta is what the page needs before it can ask anything: the values each
// filter takes, the history the warehouse holds and how fresh it is.
type Meta struct {
	Roles      []string    `json:"roles"`
	Provinces  []string    `json:"provinces"`
	Industries []string    `json:"industries"`
	Keywords   []string    `json:"keywords"` // followed in Google Trends
	Exams      []string    `json:"exams"`
	First      string      `json:"first"` // first and last posting day
	Last       string      `json:"last"`
	Postings   int64       `json:"postings"`
	Coverage   []Row       `json:"coverage"` // postings per month (Name: YYYY-MM)
	Synthetic  bool        `json:"synthetic"`
	Loaded     LoadedTimes `json:"loaded"`
	Snapshot   time.Time   `json:"snapshot"`
}

// LoadedTimes are each source's newest load.
type LoadedTimes struct {
	Saramin *time.Time `json:"saramin"`
	Trends  *time.Time `json:"trends"`
	Cert    *time.Time `json:"cert"`
}

// Meta returns the snapshot's facts, read once per snapshot: every request
// checks its filters against them.
func (s *Store) Meta(ctx context.Context) (Meta, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.meta != nil {
		return *s.meta, nil
	}
	m, err := s.readMeta(ctx)
	if err != nil {
		return m, err
	}
	m.Snapshot = s.copied
	s.meta = &m
	return m, nil
}

// readMeta reads the snapshot's facts.
func (s *Store) readMeta(ctx context.Context) (Meta, error) {
	var m Meta
	lists := []struct {
		dst *[]string
		q   string
	}{
		{&m.Roles, `SELECT role FROM cube GROUP BY role ORDER BY sum(postings) DESC, role`},
		{&m.Provinces, `SELECT province FROM cube WHERE province <> '' GROUP BY province ORDER BY sum(postings) DESC, province`},
		{&m.Industries, `SELECT industry FROM cube WHERE industry <> '' GROUP BY industry ORDER BY sum(postings) DESC, industry`},
		{&m.Keywords, `SELECT DISTINCT keyword FROM trend ORDER BY keyword`},
		{&m.Exams, `SELECT DISTINCT exam FROM cert ORDER BY exam`},
	}
	for _, l := range lists {
		v, err := s.strings(ctx, l.q)
		if err != nil {
			return m, fmt.Errorf("meta: %w", err)
		}
		*l.dst = v
	}
	var first, last sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT strftime(min(date), '%Y-%m-%d'), strftime(max(date), '%Y-%m-%d') FROM cube`).Scan(&first, &last); err != nil {
		return m, fmt.Errorf("meta: %w", err)
	}
	m.First, m.Last = first.String, last.String
	var sar, tr, ce sql.NullTime
	if err := s.db.QueryRowContext(ctx, `SELECT synthetic, postings, saramin_loaded, trends_loaded, cert_loaded FROM facts`).Scan(&m.Synthetic, &m.Postings, &sar, &tr, &ce); err != nil {
		return m, fmt.Errorf("meta: %w", err)
	}
	m.Loaded = LoadedTimes{Saramin: ptr(sar), Trends: ptr(tr), Cert: ptr(ce)}
	rows, err := s.db.QueryContext(ctx, `SELECT strftime(month, '%Y-%m'), postings FROM coverage ORDER BY month`)
	if err != nil {
		return m, fmt.Errorf("meta: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.Name, &r.Postings); err != nil {
			return m, fmt.Errorf("meta: %w", err)
		}
		if m.Postings > 0 {
			r.Share = float64(r.Postings) / float64(m.Postings)
		}
		m.Coverage = append(m.Coverage, r)
	}
	m.Coverage = nonNil(m.Coverage)
	return m, rows.Err()
}

func (s *Store) strings(ctx context.Context, q string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func ptr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
