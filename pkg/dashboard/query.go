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
}

// Row is one bar of a breakdown.
type Row struct {
	Name     string  `json:"name"`
	Postings int64   `json:"postings"`
	Share    float64 `json:"share"` // of the breakdown's total
}

// where is the cube's filter for f; role filters only when byRole.
const where = ` WHERE date BETWEEN $from AND $to
	AND ($entry = false OR entry)
	AND ($province = '' OR province = $province)
	AND ($industry = '' OR industry = $industry)`

func (f Filter) args() []any {
	return []any{
		sql.Named("from", f.From), sql.Named("to", f.To), sql.Named("entry", f.Entry),
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
	var out []Point
	index := map[string]int{}
	for rows.Next() {
		var p Point
		if err := rows.Scan(&p.Date, &p.Postings, &p.Market, &p.Entry); err != nil {
			return nil, fmt.Errorf("volume: %w", err)
		}
		if p.Market > 0 {
			p.Share = float64(p.Postings) / float64(p.Market)
		}
		if p.Postings > 0 {
			p.EntryPct = float64(p.Entry) / float64(p.Postings)
		}
		index[p.Date] = len(out)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("volume: %w", err)
	}
	if f.Entry || f.Province != "" || f.Industry != "" {
		return out, nil
	}
	// Open postings at the end of each period (the table has them by role
	// only).
	open, err := s.db.QueryContext(ctx, `SELECT strftime(date_trunc($grain, date), '%Y-%m-%d') AS d, arg_max(open_postings, date)
		FROM open_daily WHERE role = $role AND date BETWEEN $from AND $to GROUP BY d`, f.args()...)
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

// breakdowns are the dimensions a breakdown may group by, with the table
// that holds each: provinces and industry categories by day, districts and
// industry details by month. Names chosen here, never user text.
var breakdowns = map[string]struct{ col, table, dates string }{
	"province":        {"province", "cube", "date BETWEEN $from AND $to"},
	"industry":        {"industry", "cube", "date BETWEEN $from AND $to"},
	"district":        {"district", "detail", "month BETWEEN date_trunc('month', $from) AND $to"},
	"industry_detail": {"industry_detail", "detail", "month BETWEEN date_trunc('month', $from) AND $to"},
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
	Before   *float64 `json:"before"` // null when the earlier period has no postings
}

// Skills lists the 15 skills most asked of f's role in f's months, with
// their share in as many months before.
func (s *Store) Skills(ctx context.Context, f Filter) ([]Skill, error) {
	months := (f.To.Year()-f.From.Year())*12 + int(f.To.Month()-f.From.Month()) + 1
	q := `WITH span AS (SELECT date_trunc('month', $from::DATE) AS a, $to::DATE AS b,
	                          date_trunc('month', $from::DATE) - to_months($months) AS p),
	  cur AS (SELECT skill, sum(postings) AS n FROM skills, span WHERE month BETWEEN a AND b AND ($role = 'all' OR role = $role) GROUP BY skill),
	  prev AS (SELECT skill, sum(postings) AS n FROM skills, span WHERE month >= p AND month < a AND ($role = 'all' OR role = $role) GROUP BY skill),
	  tot AS (SELECT sum(postings) FILTER (WHERE month BETWEEN a AND b) AS cur, sum(postings) FILTER (WHERE month >= p AND month < a) AS prev
	          FROM role_month, span WHERE ($role = 'all' OR role = $role))
	  SELECT cur.skill, cur.n, cur.n / tot.cur, prev.n / nullif(tot.prev, 0)
	  FROM cur LEFT JOIN prev USING (skill), tot ORDER BY cur.n DESC, cur.skill LIMIT 15`
	rows, err := s.db.QueryContext(ctx, q, append(f.args(), sql.Named("months", months))...)
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
