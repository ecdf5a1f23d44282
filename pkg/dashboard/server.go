// Package dashboard serves the data-job market at a glance: a page, in
// Korean first, with charts drawn by Apache ECharts (installed through npm
// and embedded in the binary, so the page works offline), and the JSON API
// behind it, answered from an in-memory snapshot of the warehouse's
// aggregates. Every filter is validated against the values the data holds;
// a bad one is a 400 that says what is allowed, never a 500.
package dashboard

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"jobpulse/pkg/logging"
	"jobpulse/pkg/role"
	"jobpulse/pkg/skills"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/engine"
)

//go:embed static
var static embed.FS

// Config is what the dashboard reads from its environment.
type Config struct {
	Addr      string `env:"DASHBOARD_ADDR, default=127.0.0.1:8080" help:"address to serve on (Cloud Run: :$PORT)"`
	Warehouse engine.Config
	Project   string        `env:"GOOGLE_CLOUD_PROJECT" help:"GCP project of the BigQuery datasets (WAREHOUSE=bigquery)"`
	Refresh   time.Duration `env:"DASHBOARD_REFRESH, default=10s" help:"how often to look for a newer warehouse"`
	logging.Config
}

// Validate requires the project of the BigQuery datasets when the
// dashboard reads BigQuery.
func (c Config) Validate() error {
	if c.Warehouse.Kind == engine.BigQuery && c.Project == "" {
		return errors.New("GOOGLE_CLOUD_PROJECT is required with WAREHOUSE=bigquery: want the GCP project of the BigQuery datasets")
	}
	return nil
}

// Server is the dashboard's HTTP handler.
type Server struct {
	store *Store
	log   *slog.Logger
	mux   *http.ServeMux
}

// NewServer routes the page and the API over store.
func NewServer(store *Store, log *slog.Logger) *Server {
	s := &Server{store: store, log: log, mux: http.NewServeMux()}
	files, _ := fs.Sub(static, "static")
	page, err := newAssets(files)
	if err != nil {
		// The files are embedded in the binary: they are there.
		panic(err)
	}
	s.mux.Handle("GET /", page)
	s.mux.HandleFunc("GET /api/meta", s.api(s.meta))
	s.mux.HandleFunc("GET /api/volume", s.api(s.volume))
	s.mux.HandleFunc("GET /api/breakdown", s.api(s.breakdown))
	s.mux.HandleFunc("GET /api/indicators", s.api(s.indicators))
	s.mux.HandleFunc("GET /api/skills", s.api(s.skills))
	s.mux.HandleFunc("GET /api/postings", s.api(s.grid))
	s.mux.HandleFunc("GET /api/top", s.api(s.top))
	s.mux.HandleFunc("GET /api/roles", s.api(s.roles))
	s.mux.HandleFunc("GET /api/lifetime", s.api(s.lifetime))
	s.mux.HandleFunc("GET /api/search-share", s.api(s.searchShare))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if !store.Ready() {
			http.Error(w, errNoSnapshot.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	return s
}

// contentPolicy lets the page run its own scripts and nothing else: no
// inline script or event handler, no eval, no plugin. The page writes text
// from the APIs only as text; should markup slip in anyway, it could not
// run. Inline styles are allowed for ECharts' tooltips.
const contentPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentPolicy)
	// A JSON answer repeating a bad filter is never read as a page.
	h.Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// badRequest is a filter the data cannot answer.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

func bad(format string, args ...any) error { return &badRequest{fmt.Sprintf(format, args...)} }

// api serves a view: its answer as JSON, or its error (400 for a bad
// filter, 503 before the first snapshot, 500 otherwise).
func (s *Server) api(view func(*http.Request, url.Values) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := view(r, r.URL.Query())
		s.answer(w, r, v, err)
	}
}

func (s *Server) meta(r *http.Request, q url.Values) (any, error) {
	if err := only(q); err != nil {
		return nil, err
	}
	return s.store.Meta(r.Context())
}

func (s *Server) volume(r *http.Request, q url.Values) (any, error) {
	if err := only(q, "role", "entry", "experience", "province", "industry", "from", "to", "grain"); err != nil {
		return nil, err
	}
	f, err := s.filter(r, q, nil)
	if err != nil {
		return nil, err
	}
	pts, err := s.store.Volume(r.Context(), f)
	return map[string]any{"filter": f.echo(), "points": nonNil(pts)}, err
}

func (s *Server) breakdown(r *http.Request, q url.Values) (any, error) {
	if err := only(q, "by", "role", "entry", "experience", "province", "industry", "from", "to"); err != nil {
		return nil, err
	}
	by := q.Get("by")
	if _, ok := breakdowns[by]; !ok {
		return nil, bad("by=%q: want province, district, industry, industry_detail or experience", by)
	}
	f, err := s.filter(r, q, nil)
	if err != nil {
		return nil, err
	}
	if by == "district" && f.Province == "" {
		// 중구 and 동구 are in many cities: districts are counted within one
		// province.
		return nil, bad("by=district needs a province")
	}
	b, err := s.store.Breakdown(r.Context(), by, f)
	return map[string]any{"by": by, "filter": f.echo(), "rows": nonNil(b.Rows), "postings": b.Postings, "each_region": b.EachRegion}, err
}

func (s *Server) indicators(r *http.Request, q url.Values) (any, error) {
	if err := only(q, "role", "entry", "experience", "province", "industry", "keyword", "exam", "from", "to", "span"); err != nil {
		return nil, err
	}
	// The weeks both series cover, unless the whole span is asked for.
	all := false
	switch q.Get("span") {
	case "", "overlap":
	case "all":
		all = true
	default:
		return nil, bad("span=%q: want overlap (the weeks postings and interest both cover) or all", q.Get("span"))
	}
	m, err := s.store.Meta(r.Context())
	if err != nil {
		return nil, err
	}
	// The whole history unless asked otherwise (correlations want weeks),
	// within the five years a view may span, and never after its end.
	whole := func(to time.Time) time.Time {
		first, err := time.Parse(time.DateOnly, m.First)
		switch {
		case err != nil:
			return to.AddDate(0, 0, -180)
		case first.Before(to.AddDate(-5, 0, 0)):
			return to.AddDate(-5, 0, 0)
		case first.After(to):
			return to
		}
		return first
	}
	f, err := s.filter(r, q, whole)
	if err != nil {
		return nil, err
	}
	// By default the role's own keyword, and for the whole market the
	// anchor every request is scaled on.
	keyword := q.Get("keyword")
	switch {
	case keyword == "":
		keyword = defaultKeyword(f.Role, m.Keywords)
	case !slices.Contains(m.Keywords, keyword):
		return nil, bad("keyword=%q: not followed (the keywords are %s)", keyword, strings.Join(m.Keywords, ", "))
	}
	exam := cmp.Or(q.Get("exam"), defaultExam(f.Role))
	if q.Has("exam") && !slices.Contains(m.Exams, exam) {
		return nil, bad("exam=%q: no statistics (the exams are %s)", exam, strings.Join(m.Exams, ", "))
	}
	in, err := s.store.Indicators(r.Context(), f, keyword, exam, all)
	return map[string]any{"filter": f.echo(), "indicators": in}, err
}

func (s *Server) skills(r *http.Request, q url.Values) (any, error) {
	if err := only(q, "role", "entry", "experience", "province", "industry", "from", "to", "category"); err != nil {
		return nil, err
	}
	f, err := s.filter(r, q, nil)
	if err != nil {
		return nil, err
	}
	category := skills.Category(q.Get("category"))
	if category != "" && !category.Valid() {
		return nil, bad("category=%q: want one of %v", category, skills.Categories())
	}
	d, err := s.store.Skills(r.Context(), f, category)
	echo := f.echo()
	echo["category"] = string(category)
	return map[string]any{"filter": echo, "postings": d.Postings, "skills": nonNil(d.Skills), "categories": skillCategories()}, err
}

// roles answers the data roles beside the other kinds of IT work, with the
// classifier's measured precision and recall (package role, checked
// against its labelled sets by its tests).
func (s *Server) roles(r *http.Request, q url.Values) (any, error) {
	if err := only(q, "entry", "experience", "province", "industry", "from", "to"); err != nil {
		return nil, err
	}
	f, err := s.filter(r, q, nil)
	if err != nil {
		return nil, err
	}
	ev, err := role.Evaluated()
	if err != nil {
		return nil, err
	}
	mix, err := s.store.Roles(r.Context(), f)
	echo := f.echo()
	delete(echo, "role")
	delete(echo, "grain")
	return map[string]any{"filter": echo, "before": map[string]string{"from": mix.BeforeFrom, "to": mix.BeforeTo},
		"market": mix.Market, "market_before": mix.MarketBefore, "groups": mix.Groups, "rows": nonNil(mix.Rows),
		"evaluated": ev}, err
}

// skillCategory is a category of skills as /api/skills lists them.
type skillCategory struct {
	ID string `json:"id"`
	Ko string `json:"ko"`
	En string `json:"en"`
}

// skillCategories lists the categories of skills, in display order.
func skillCategories() []skillCategory {
	var out []skillCategory
	for _, c := range skills.Categories() {
		out = append(out, skillCategory{ID: string(c), Ko: c.Label("ko"), En: c.Label("en")})
	}
	return out
}

// maxDays bounds a view's span.
const maxDays = 5*366 + 1

// filter reads and checks the filters of a request against the values the
// snapshot holds. Without from, the view starts at from(to), or 180 days
// before to when from is nil.
func (s *Server) filter(r *http.Request, q url.Values, from func(to time.Time) time.Time) (Filter, error) {
	m, err := s.store.Meta(r.Context())
	if err != nil {
		return Filter{}, err
	}
	f := Filter{Role: cmp.Or(q.Get("role"), "all"), Province: q.Get("province"), Industry: q.Get("industry"), Grain: cmp.Or(q.Get("grain"), "week")}
	if f.Role != "all" && !slices.Contains(m.Roles, f.Role) && !slices.Contains(m.Groups, f.Role) {
		return f, bad("role=%q: want all or one of %s", f.Role, strings.Join(append(slices.Clone(m.Roles), m.Groups...), ", "))
	}
	if f.Province != "" && !slices.Contains(m.Provinces, f.Province) {
		return f, bad("province=%q: no posting has it (the provinces are %s)", f.Province, strings.Join(m.Provinces, ", "))
	}
	if f.Industry != "" && !slices.Contains(m.Industries, f.Industry) {
		return f, bad("industry=%q: no posting has it", f.Industry)
	}
	if f.Experience = q.Get("experience"); f.Experience != "" && !slices.ContainsFunc(m.Experience, func(l warehouse.ExperienceLevel) bool { return l.Key == f.Experience }) {
		keys := make([]string, len(m.Experience))
		for i, l := range m.Experience {
			keys[i] = l.Key
		}
		return f, bad("experience=%q: want one of %s", f.Experience, strings.Join(keys, ", "))
	}
	switch q.Get("entry") {
	case "", "0", "false":
	case "1", "true":
		f.Entry = true
	default:
		return f, bad("entry=%q: want 1 (newcomers only) or 0", q.Get("entry"))
	}
	if !slices.Contains([]string{"day", "week", "month"}, f.Grain) {
		return f, bad("grain=%q: want day, week or month", f.Grain)
	}
	last, _ := time.Parse(time.DateOnly, m.Last)
	if last.IsZero() {
		last = time.Now().UTC().Truncate(24 * time.Hour)
	}
	if f.To, err = day(q.Get("to"), last, "to"); err != nil {
		return f, err
	}
	if from == nil {
		from = func(to time.Time) time.Time { return to.AddDate(0, 0, -180) }
	}
	if f.From, err = day(q.Get("from"), from(f.To), "from"); err != nil {
		return f, err
	}
	switch {
	case f.From.After(f.To):
		return f, bad("from=%s is after to=%s", f.From.Format(time.DateOnly), f.To.Format(time.DateOnly))
	case f.To.Sub(f.From) > maxDays*24*time.Hour:
		return f, bad("from=%s to=%s spans more than five years", f.From.Format(time.DateOnly), f.To.Format(time.DateOnly))
	}
	return f, nil
}

// echo is the filter as the answer repeats it.
func (f Filter) echo() map[string]any {
	return map[string]any{"role": f.Role, "entry": f.Entry, "experience": f.Experience, "province": f.Province, "industry": f.Industry,
		"from": f.From.Format(time.DateOnly), "to": f.To.Format(time.DateOnly), "grain": f.Grain}
}

func day(v string, def time.Time, name string) (time.Time, error) {
	if v == "" {
		return def, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return t, bad("%s=%q: want a date like 2026-11-25", name, v)
	}
	return t, nil
}

// only rejects parameters a view does not know, so that a mistyped filter
// is not silently ignored.
func only(q url.Values, known ...string) error {
	for k := range q {
		if !slices.Contains(known, k) {
			if len(known) == 0 {
				return bad("unknown parameter %q: this view takes none", k)
			}
			return bad("unknown parameter %q: want %s", k, strings.Join(known, ", "))
		}
	}
	return nil
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body bytes.Buffer
	if err := json.NewEncoder(&body).Encode(v); err != nil {
		s.fail(w, r, fmt.Errorf("%s: encode the answer: %w", r.URL.Path, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	b := body.Bytes()
	// A large answer (a day-by-day year, the indicators' weeks) goes
	// compressed when the browser takes it.
	if len(b) > gzipAbove && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		b = compress(b, gzip.BestSpeed)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	if _, err := w.Write(b); err != nil {
		s.log.Warn("answer not written", "path", r.URL.Path, "error", err)
	}
}

// gzipAbove is the size of an answer, in bytes, above which compressing it
// pays.
const gzipAbove = 1400

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := http.StatusInternalServerError
	var br *badRequest
	switch {
	case errors.As(err, &br):
		code = http.StatusBadRequest
	case errors.Is(err, errNoSnapshot):
		// Up before the warehouse could be read (in the cloud, before the
		// first load created its tables): say so, and keep trying.
		code = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "60")
	case errors.Is(err, warehouse.ErrWarehouseBusy):
		// The loader holds the warehouse for a moment: no log, no detail.
		code = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "5")
		err = warehouse.ErrWarehouseBusy
	case errors.Is(err, errNoPostings):
		code = http.StatusServiceUnavailable
	default:
		s.log.Error("dashboard query failed", "path", r.URL.Path, "query", r.URL.RawQuery, "error", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	msg := err.Error()
	if code == http.StatusInternalServerError {
		msg = "the warehouse snapshot could not answer; see the server log"
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Serve serves h on ln until ctx ends, then shuts down within 10 s.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Info("dashboard serving", "url", "http://"+ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("dashboard: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("dashboard: shutdown: %w", err)
	}
	return nil
}
