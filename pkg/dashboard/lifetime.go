package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"jobpulse/pkg/warehouse"
)

// The index of each end in warehouse.Ends(), as postRow holds it.
var (
	endEarly   = endIndex(warehouse.EndedEarly)
	endExpired = endIndex(warehouse.EndedExpired)
	endClosed  = endIndex(warehouse.EndedClosed)
	endOpen    = endIndex(warehouse.EndedOpen)
)

func endIndex(end string) uint8 { return uint8(slices.Index(warehouse.Ends(), end)) }

// Ends counts postings by how their time open ended (warehouse.Ends).
type Ends struct {
	ClosedEarly int64 `json:"closed_early"` // closed before the deadline
	Expired     int64 `json:"expired"`      // closed at or after it
	Closed      int64 `json:"closed"`       // closed; no deadline (none, or a placeholder)
	Open        int64 `json:"open"`         // still open: censored
	// EarlyShare is the share closed early of the postings with a deadline
	// that ended (ClosedEarly / (ClosedEarly + Expired)); null without any.
	EarlyShare *float64 `json:"early_share"`
}

func (e *Ends) add(end uint8, n int64) {
	switch end {
	case endEarly:
		e.ClosedEarly += n
	case endExpired:
		e.Expired += n
	case endClosed:
		e.Closed += n
	default:
		e.Open += n
	}
}

func (e *Ends) merge(o Ends) {
	e.ClosedEarly += o.ClosedEarly
	e.Expired += o.Expired
	e.Closed += o.Closed
	e.Open += o.Open
}

// Survival is how long a group of postings stayed open: the Kaplan-Meier
// curve of the share still open by days since posting (postings still
// open counted as censored on the warehouse clock's day, never dropped),
// its median with a 95% interval, and how the postings ended.
type Survival struct {
	Postings int64  `json:"postings"`
	Ends     Ends   `json:"ends"`
	Median   Median `json:"median"`
	Curve    []Step `json:"curve"`
}

func survivalOf(t tally, e Ends) Survival {
	sv := Survival{Ends: e, Curve: kaplanMeier(t)}
	sv.Postings = e.ClosedEarly + e.Expired + e.Closed + e.Open
	if n := e.ClosedEarly + e.Expired; n > 0 {
		r := float64(e.ClosedEarly) / float64(n)
		sv.Ends.EarlyShare = &r
	}
	sv.Median = medianOf(sv.Curve)
	return sv
}

// Cohort is the median days open of the postings first posted in one
// month, of the role and of the market. A recent month's postings are
// mostly still open: its median is null until half of them have closed.
type Cohort struct {
	Month          string `json:"month"` // YYYY-MM
	Postings       int64  `json:"postings"`
	Open           int64  `json:"open"` // of Postings, still open (censored)
	Median         *int   `json:"median"`
	MarketPostings int64  `json:"market_postings"`
	MarketMedian   *int   `json:"market_median"`
}

// Lifetime is how long f's postings stayed open, against the whole
// market under the same other filters, and the median by posting month.
type Lifetime struct {
	Role    Survival `json:"role"`
	Market  Survival `json:"market"`
	Cohorts []Cohort `json:"cohorts"`
}

// Lifetime estimates how long the postings first posted in f's dates
// stayed open (Kaplan-Meier over whole KST days, survival.go), for f's
// role and for the whole market under f's other filters (entry level,
// province: the first a posting lists, industry, experience), and the
// median of each month's postings. The median's 95% interval is
// Brookmeyer-Crowley's on the log-log scale with Greenwood's variance.
func (s *Store) Lifetime(ctx context.Context, f Filter) (Lifetime, error) {
	snap, err := s.current()
	if err != nil {
		return Lifetime{}, fmt.Errorf("lifetime: %w", err)
	}
	m := snap.compile(f)
	type group struct {
		role, market tally
		ends         [2]Ends // role, market
	}
	var all group
	months := map[int32]*group{}
	var g *group                  // the month of the rows at hand
	var monthEnd int32 = -1 << 31 // its last day
	rows := span(snap.posts, postDay, m.from, m.to)
	for i := range rows {
		r := &rows[i]
		if !m.whereFacts(r) {
			continue
		}
		// Rows come by day: a month's group is looked up when it starts.
		if r.day > monthEnd {
			start := period(r.day, "month")
			monthEnd = dayOf(nextPeriod(dateOf(start), "month")) - 1
			if g = months[start]; g == nil {
				g = &group{}
				months[start] = g
			}
		}
		const n = 1 // a row is a posting
		ended, days := r.end != endOpen, int(r.days)
		g.market.add(days, ended, n)
		g.ends[1].add(r.end, n)
		if m.ofRole(r.role) {
			g.role.add(days, ended, n)
			g.ends[0].add(r.end, n)
		}
	}
	// The whole period is the sum of its months.
	for _, g := range months {
		all.role.merge(g.role)
		all.market.merge(g.market)
		for i := range all.ends {
			all.ends[i].merge(g.ends[i])
		}
	}
	out := Lifetime{Role: survivalOf(all.role, all.ends[0]), Market: survivalOf(all.market, all.ends[1]), Cohorts: []Cohort{}}
	for start := periodStart(f.From, "month"); !start.After(f.To); start = nextPeriod(start, "month") {
		c := Cohort{Month: start.Format("2006-01")}
		if g := months[dayOf(start)]; g != nil {
			role, market := survivalOf(g.role, g.ends[0]), survivalOf(g.market, g.ends[1])
			c.Postings, c.Open, c.Median = role.Postings, role.Ends.Open, role.Median.Days
			c.MarketPostings, c.MarketMedian = market.Postings, market.Median.Days
		}
		out.Cohorts = append(out.Cohorts, c)
	}
	return out, nil
}

// lifetime answers GET /api/lifetime: how long the postings of the dates
// stayed open, with every filter of the other views (experience
// included) but the grain.
func (s *Server) lifetime(r *http.Request, q url.Values) (any, error) {
	if err := only(q, "role", "entry", "province", "industry", "experience", "from", "to"); err != nil {
		return nil, err
	}
	f, err := s.filter(r, q, nil)
	if err != nil {
		return nil, err
	}
	lt, err := s.store.Lifetime(r.Context(), f)
	echo := f.echo()
	delete(echo, "grain")
	return map[string]any{"filter": echo, "role": lt.Role, "market": lt.Market, "cohorts": lt.Cohorts}, err
}
