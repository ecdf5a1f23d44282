package dashboard

import (
	"context"
	"fmt"
	"time"

	"jobpulse/pkg/role"
)

// RoleCount is one role's or group's new postings in a period and in the
// period of the same length just before.
type RoleCount struct {
	Role string `json:"role"` // a data role, a comparison group, or "other"
	// Kind is "data" (a data role), "group" (other IT work) or "other"
	// (outside IT; outside the data roles when the warehouse holds no
	// groups).
	Kind     string  `json:"kind"`
	Ko       string  `json:"ko"`
	En       string  `json:"en"`
	Postings int64   `json:"postings"`
	Share    float64 `json:"share"` // of RoleMix.Market; 0 when the market is empty
	// BeforePostings and BeforeShare are null when the warehouse does not
	// cover the earlier period whole, or holds no posting of the filters
	// then (share only).
	BeforePostings *int64   `json:"before_postings"`
	BeforeShare    *float64 `json:"before_share"`
}

// RoleMix is the data roles beside the other kinds of IT work: every data
// role, every comparison group (when the warehouse holds any) and the rest,
// under the filters' entry level, experience, province and industry (a role filter does
// not apply: the rows are the roles).
type RoleMix struct {
	From, To             string `json:"-"`
	BeforeFrom, BeforeTo string `json:"-"`
	Market               int64  `json:"market"`        // postings of every role in the period
	MarketBefore         *int64 `json:"market_before"` // null when the earlier period is not covered
	// Groups: the warehouse holds comparison groups (a Go classifier
	// loaded it); without them "other" is everything outside the data
	// roles and no group row is listed.
	Groups bool        `json:"groups"`
	Rows   []RoleCount `json:"rows"`
}

// Roles counts f's postings (its entry level, experience, province and industry, in
// its days) per data role, comparison group and the rest, with the same
// counts for as many days just before.
func (s *Store) Roles(ctx context.Context, f Filter) (RoleMix, error) {
	snap, err := s.current()
	if err != nil {
		return RoleMix{}, fmt.Errorf("roles: %w", err)
	}
	days := int(f.To.Sub(f.From).Hours()/24) + 1
	prevFrom := f.From.AddDate(0, 0, -days)
	wide := f
	wide.From, wide.Role = prevFrom, "all"
	m := snap.compile(wide)
	cur := dayOf(f.From)
	now, before := map[code]int64{}, map[code]int64{}
	var market, marketBefore int64
	sel := span(snap.postings(m), detailDay, m.from, m.to)
	for i := range sel {
		r := &sel[i]
		if !m.counts(r) {
			continue
		}
		if r.day >= cur {
			now[r.role]++
			market++
		} else {
			before[r.role]++
			marketBefore++
		}
	}
	out := RoleMix{From: f.From.Format(time.DateOnly), To: f.To.Format(time.DateOnly),
		BeforeFrom: prevFrom.Format(time.DateOnly), BeforeTo: f.From.AddDate(0, 0, -1).Format(time.DateOnly),
		Market: market, Groups: len(snap.meta.Groups) > 0, Rows: []RoleCount{}}
	// The earlier period is covered when the warehouse's first day is not
	// after its start.
	covered := len(snap.detail) > 0 && snap.detail[0].day <= dayOf(prevFrom)
	if covered {
		out.MarketBefore = &marketBefore
	}
	add := func(name, kind, ko, en string) {
		c, _ := snap.lookup(name)
		rc := RoleCount{Role: name, Kind: kind, Ko: ko, En: en}
		if c != 0 {
			rc.Postings = now[c]
		}
		if market > 0 {
			rc.Share = float64(rc.Postings) / float64(market)
		}
		if covered {
			var n int64
			if c != 0 {
				n = before[c]
			}
			rc.BeforePostings = &n
			if marketBefore > 0 {
				sh := float64(n) / float64(marketBefore)
				rc.BeforeShare = &sh
			}
		}
		out.Rows = append(out.Rows, rc)
	}
	for _, r := range role.Roles() {
		add(string(r), "data", r.Label("ko"), r.Label("en"))
	}
	if out.Groups {
		for _, g := range role.Groups() {
			add(string(g), "group", g.Label("ko"), g.Label("en"))
		}
		add("other", "other", role.NoGroup.Label("ko"), role.NoGroup.Label("en"))
	} else {
		add("other", "other", role.None.Label("ko"), role.None.Label("en"))
	}
	return out, nil
}
