// Package saramintest is a faithful local emulator of the Saramin (사람인)
// Open API job-search endpoint, in the spirit of net/http/httptest and
// pstest: a test starts a real HTTP server in one line and talks to it over
// HTTP, and a small main (cmd/saramin-emulator) serves the same handler for
// the local stack.
//
// The emulator serves a synthetic job market generated deterministically
// from a seed: tens of thousands of postings over the history, answered in
// exactly the shape of the real API (see README.md). What is served depends
// on the emulator clock: a posting is visible once its posting time is at or
// before the clock, in its latest version as of the clock. Every posting is
// marked synthetic: its URLs use the host saramin.SyntheticHost and its
// company name starts with "(합성) ".
package saramintest

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"jobpulse/pkg/kst"
	"jobpulse/pkg/saramin/codes"
)

// Options configure an emulator. The zero value is usable.
type Options struct {
	// Seed picks the synthetic market; the same seed and clock give the
	// same answers byte for byte.
	Seed int64
	// Now is the emulator clock; the history ends here. Zero means the
	// current hour.
	Now time.Time
	// HistoryDays is how many days of postings exist before Now (default
	// 400, at least 365).
	HistoryDays int
	// Keys are the accepted access keys (default {"test-key"}).
	Keys []string
	// DailyQuota is the number of calls per key per KST day (default 500;
	// negative means unlimited). The count resets at 00:00 Asia/Seoul by the
	// emulator clock.
	DailyQuota int
	// Scale multiplies the posting volume (default 1: about 100 a day).
	Scale float64
	// Addr is the address NewServer listens on (default 127.0.0.1 with a
	// free port). The handler itself ignores it.
	Addr string
}

// Default option values.
const (
	DefaultHistoryDays = 400
	MinHistoryDays     = 365
	DefaultDailyQuota  = 500
	DefaultKey         = "test-key"
	maxScale           = 30
)

func (o Options) withDefaults() (Options, error) {
	if o.Now.IsZero() {
		o.Now = time.Now().Truncate(time.Hour)
	}
	switch {
	case o.HistoryDays == 0:
		o.HistoryDays = DefaultHistoryDays
	case o.HistoryDays < MinHistoryDays:
		return o, fmt.Errorf("HistoryDays %d: must be at least %d", o.HistoryDays, MinHistoryDays)
	}
	if len(o.Keys) == 0 {
		o.Keys = []string{DefaultKey}
	}
	if o.DailyQuota == 0 {
		o.DailyQuota = DefaultDailyQuota
	}
	switch {
	case o.Scale == 0:
		o.Scale = 1
	case o.Scale < 0 || o.Scale > maxScale:
		return o, fmt.Errorf("scale %v: must be in (0, %d]", o.Scale, maxScale)
	}
	return o, nil
}

// Emulator is the emulated API: the market, the clock, the per-key quota and
// the injected faults. Its methods are safe for concurrent use.
type Emulator struct {
	mu     sync.Mutex
	opts   Options
	tables *codes.Tables
	market *market
	now    time.Time
	keys   map[string]bool
	calls  map[string]quotaDay
	faults []*activeFault
}

type quotaDay struct {
	day   int64
	calls int
}

// New builds an emulator and generates its market.
func New(opts Options) (*Emulator, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("saramintest.New: %w", err)
	}
	tables, err := codes.Load()
	if err != nil {
		return nil, fmt.Errorf("saramintest.New: %w", err)
	}
	m, err := newMarket(opts.Seed, tables, opts.Scale, opts.Now, opts.HistoryDays)
	if err != nil {
		return nil, fmt.Errorf("saramintest.New: generate market: %w", err)
	}
	return newEmulator(opts, tables, m), nil
}

func newEmulator(opts Options, tables *codes.Tables, m *market) *Emulator {
	e := &Emulator{opts: opts, tables: tables, market: m, now: opts.Now,
		keys: map[string]bool{}, calls: map[string]quotaDay{}}
	for _, k := range opts.Keys {
		e.keys[k] = true
	}
	return e
}

// Fork returns a new emulator on a copy of e's market, as New(o) would
// build it but without generating the market again: a test suite
// generates a market once and gives each test its own clock (o.Now), keys,
// quota and faults. o's market-shaping options (Seed, Now, HistoryDays,
// Scale, defaults filled in) must be e's.
func (e *Emulator) Fork(o Options) (*Emulator, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("saramintest.Fork: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if o.Seed != e.opts.Seed || !o.Now.Equal(e.opts.Now) || o.HistoryDays != e.opts.HistoryDays || o.Scale != e.opts.Scale {
		return nil, fmt.Errorf("saramintest.Fork: seed %d, clock %s, %d days, scale %v: the market was generated for seed %d, clock %s, %d days, scale %v",
			o.Seed, o.Now.Format(time.RFC3339), o.HistoryDays, o.Scale, e.opts.Seed, e.opts.Now.Format(time.RFC3339), e.opts.HistoryDays, e.opts.Scale)
	}
	return newEmulator(o, e.tables, e.market.clone()), nil
}

// NewHandler builds an emulator and returns it with its HTTP handler, for
// serving on an address of one's choice.
func NewHandler(opts Options) (*Emulator, http.Handler, error) {
	e, err := New(opts)
	if err != nil {
		return nil, nil, err
	}
	return e, e.Handler(), nil
}

// Server is an emulator listening on a loopback address.
type Server struct {
	*Emulator
	// URL is the base URL, e.g. http://127.0.0.1:41234; the endpoint is
	// URL + "/job-search".
	URL string
	srv *httptest.Server
}

// NewServer starts an emulator on 127.0.0.1. Like httptest.NewServer it
// panics when it cannot start (here: on invalid options). Call Close when
// done.
func NewServer(opts Options) *Server {
	e, err := New(opts)
	if err != nil {
		panic(err)
	}
	return Serve(e)
}

// Serve starts e on 127.0.0.1 (or its options' Addr), as NewServer does
// with an emulator of its own; a Fork of a shared emulator, for one.
func Serve(e *Emulator) *Server {
	srv := httptest.NewUnstartedServer(e.Handler())
	if e.opts.Addr != "" {
		ln, err := net.Listen("tcp", e.opts.Addr)
		if err != nil {
			panic(fmt.Sprintf("saramintest.NewServer: listen %s: %v", e.opts.Addr, err))
		}
		srv.Listener.Close()
		srv.Listener = ln
	}
	srv.Start()
	return &Server{Emulator: e, URL: srv.URL, srv: srv}
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Options returns the options in effect, defaults filled in.
func (e *Emulator) Options() Options {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.opts
	o.Keys = slices.Clone(o.Keys)
	return o
}

// Tables returns the code tables the market is drawn from.
func (e *Emulator) Tables() *codes.Tables { return e.tables }

// Now returns the emulator clock.
func (e *Emulator) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// SetNow sets the emulator clock. The market is extended when the clock
// moves past the generated span (it always reaches 60 days beyond the
// clock).
func (e *Emulator) SetNow(t time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.setNowLocked(t)
}

func (e *Emulator) setNowLocked(t time.Time) {
	e.now = t
	e.market.extendTo(kst.Midnight(t).AddDate(0, 0, futureDays+1))
}

// Advance moves the emulator clock by d.
func (e *Emulator) Advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.setNowLocked(e.now.Add(d))
}

// CallsToday returns the calls key has made on the current KST day of the
// emulator clock.
func (e *Emulator) CallsToday(key string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	q := e.calls[key]
	if q.day != dayNumber(e.now) {
		return 0
	}
	return q.calls
}

// IDs returns the ids served at clock now, newest posting first (the
// default sort).
func (e *Emulator) IDs(now time.Time) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.market.extendTo(kst.Midnight(now).AddDate(0, 0, 1))
	lo, hi := e.market.visible(now.Unix())
	out := make([]string, 0, hi-lo)
	for i := hi - 1; i >= lo; i-- {
		out = append(out, strconv.FormatInt(e.market.postings[i].id, 10))
	}
	return out
}

// TruthPosting is one served posting as the market holds it at the
// emulator clock: what a faithful copy of the API's postings should say.
type TruthPosting struct {
	ID string `json:"id"`
	// Version counts the posting's modifications at or before the clock,
	// its close included; 0 is the posting as published.
	Version int `json:"version"`
	// ModifiedAt is the modification-timestamp served at the clock (UTC).
	ModifiedAt time.Time `json:"modified_at"`
	Active     bool      `json:"active"`
}

// Truth returns every posting served at the emulator clock (the ids
// IDs(Now()) returns), in its state at the clock, sorted by id ascending.
func (e *Emulator) Truth() []TruthPosting {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.truthLocked()
}

func (e *Emulator) truthLocked() []TruthPosting {
	now := e.now.Unix()
	lo, hi := e.market.visible(now)
	ps := make([]*posting, 0, hi-lo)
	for i := lo; i < hi; i++ {
		ps = append(ps, &e.market.postings[i])
	}
	slices.SortFunc(ps, func(a, b *posting) int { return cmp.Compare(a.id, b.id) })
	out := make([]TruthPosting, len(ps))
	for i, p := range ps {
		s := p.state(now)
		out[i] = TruthPosting{ID: strconv.FormatInt(p.id, 10), Version: s.version,
			ModifiedAt: time.Unix(s.modified, 0).UTC(), Active: s.active}
	}
	return out
}

// Changes returns the number of postings published, modified or closed in
// [from, to).
func (e *Emulator) Changes(from, to time.Time) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.market.extendTo(kst.Midnight(to).AddDate(0, 0, 1))
	return e.market.changes(from.Unix(), to.Unix())
}

// NextHourWith returns the start of the first whole hour after `after`
// that has changes (changes true) or has none (changes false). It returns
// the zero time when no such hour exists in the generated span.
func (e *Emulator) NextHourWith(changes bool, after time.Time) time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	h := after.Truncate(time.Hour)
	if !h.After(after) {
		h = h.Add(time.Hour)
	}
	for ; h.Before(e.market.genEnd); h = h.Add(time.Hour) {
		if (e.market.changes(h.Unix(), h.Add(time.Hour).Unix()) > 0) == changes {
			return h
		}
	}
	return time.Time{}
}

// HistoryStart returns the first instant of the history: 00:00 KST,
// HistoryDays days before the day of Options.Now. Nothing is served from
// before it.
func (e *Emulator) HistoryStart() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.market.start
}

// DataHiring returns the expected number of data-role postings published on
// the KST day of day: the market's mean volume for that day (weekday pattern
// and Scale included) times its share of data roles. It reads the market's
// model rather than the generated postings, so it is cheap, defined for any
// day and independent of the seed. The share is clamped: days before the
// history take its first day's share (3%), days after Options.Now the last
// one's (9%).
func (e *Emulator) DataHiring(day time.Time) float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := kst.Midnight(day)
	return e.market.meanPostings(d) * e.market.dataShare(d)
}

// HourPair returns the start h of the first whole hour at or after t such
// that the hour [h, h+1h) has changes and the next hour [h+1h, h+2h) has
// none: a busy hour followed by a quiet one, for end-to-end runs that expect
// one cycle to find postings and the next to find nothing.
func (e *Emulator) HourPair(t time.Time) (time.Time, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	h := t.Truncate(time.Hour)
	if h.Before(t) {
		h = h.Add(time.Hour)
	}
	for ; h.Add(2 * time.Hour).Before(e.market.genEnd); h = h.Add(time.Hour) {
		busy := e.market.changes(h.Unix(), h.Add(time.Hour).Unix()) > 0
		if busy && e.market.changes(h.Add(time.Hour).Unix(), h.Add(2*time.Hour).Unix()) == 0 {
			return h, nil
		}
	}
	return time.Time{}, fmt.Errorf("saramintest.HourPair: no busy hour followed by a quiet one after %s", t.Format(time.RFC3339))
}

// visible returns the index range of postings served at clock now.
func (m *market) visible(now int64) (lo, hi int) {
	start := m.start.Unix()
	lo = sort.Search(len(m.postings), func(i int) bool { return m.postings[i].posted >= start })
	hi = sort.Search(len(m.postings), func(i int) bool { return m.postings[i].posted > now })
	return lo, hi
}

func (m *market) changes(from, to int64) int {
	start := m.start.Unix()
	i := sort.Search(len(m.events), func(i int) bool { return m.events[i].at >= from })
	seen := map[int32]bool{}
	for ; i < len(m.events) && m.events[i].at < to; i++ {
		if m.postings[m.events[i].idx].posted >= start {
			seen[m.events[i].idx] = true
		}
	}
	return len(seen)
}

// errKey and friends classify request failures; see README.md for the wire
// form of each.
var (
	errKey      = errors.New("invalid access key")
	errQuota    = errors.New("daily call quota exhausted")
	errParam    = errors.New("bad parameter")
	errInternal = errors.New("internal error")
)

// Error codes of the emulator's error body {"code": N, "message": "..."}.
const (
	CodeInvalidKey    = 1
	CodeQuotaExceeded = 2
	CodeBadParameter  = 3
	// CodeRateLimited answers calls sent faster than the API allows
	// (injected); unlike CodeQuotaExceeded it is worth retrying.
	CodeRateLimited = 4
	CodeInternal    = 99
)

// admit checks the key and counts the call against the key's daily quota.
func (e *Emulator) admit(key string) error {
	if key == "" {
		return fmt.Errorf("%w: access-key is required", errKey)
	}
	if !e.keys[key] {
		return fmt.Errorf("%w: unknown access-key", errKey)
	}
	day := dayNumber(e.now)
	q := e.calls[key]
	if q.day != day {
		q = quotaDay{day: day}
	}
	if e.opts.DailyQuota >= 0 && q.calls >= e.opts.DailyQuota {
		return fmt.Errorf("%w: %d calls today (quota %d, resets at 00:00 KST)", errQuota, q.calls, e.opts.DailyQuota)
	}
	q.calls++
	e.calls[key] = q
	return nil
}
