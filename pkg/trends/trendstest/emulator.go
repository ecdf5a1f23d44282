// Package trendstest is a local emulator of the two Google Trends web
// endpoints package trends uses (explore and widgetdata/multiline), in the
// spirit of net/http/httptest: a test starts a real HTTP server in one line,
// and cmd/trends-emulator serves the same handler for the local stack.
//
// Every number it serves is synthetic: interest for data-career keywords
// drawn deterministically from a seed and the emulator clock (growth over
// the years, a yearly cycle, exam-season spikes for certifications, noise),
// rescaled to 0-100 within each request like the real service. With
// Options.Hiring the data keywords also follow the data hiring of a
// synthetic job market (saramintest's), hiringLag (4) weeks later. The
// answers keep the real shape (checked against the recorded fixtures) with
// one extra field that marks them synthetic: the multiline answer's default
// object carries "syntheticData": true, which Google never sends.
package trendstest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure an emulator. The zero value is usable.
type Options struct {
	// Seed picks the synthetic noise and the token secret.
	Seed int64
	// Now is the emulator clock (default: the current hour).
	Now time.Time
	// Hiring, when set, is the data hiring of a synthetic job market: the
	// number of data-role postings published on the day of its argument
	// (00:00 UTC of each day is passed), e.g. saramintest's
	// (*Emulator).DataHiring. The data keywords then follow it 4 weeks
	// later: the volume of the week starting at t is the model volume times
	// (mean daily hiring of the week starting 4 weeks before t /
	// mean daily hiring over the 364 days before Now) to the power of the
	// keyword's weight (see models). It must be deterministic and safe for
	// concurrent use; nil leaves every keyword at its model volume.
	Hiring func(day time.Time) float64
}

// FaultKind names an injected failure.
type FaultKind string

// Fault kinds.
const (
	FaultRateLimit   FaultKind = "rate-limit"   // HTTP 429, Retry-After if set
	FaultServerError FaultKind = "server-error" // HTTP Status (default 500)
	FaultSlow        FaultKind = "slow"         // wait Delay, then answer
	FaultBadToken    FaultKind = "bad-token"    // explore hands out a token multiline refuses
	FaultDrift       FaultKind = "drift"        // change the shape, see Drift*
)

// Drift variants.
const (
	DriftRenameTimeline = "rename-timeline" // timelineData -> timeline
	DriftRetypeValue    = "retype-value"    // value as strings ["81","1"]
	DriftExtraField     = "extra-field"     // new fields in default and every point
	DriftDropHasData    = "drop-hasdata"    // no hasData
	DriftDropTime       = "drop-time"       // no time in points (not understandable)
	DriftDropDefault    = "drop-default"    // no default object (not understandable)
	DriftNoTimeseries   = "no-timeseries"   // explore without TIMESERIES widget
	DriftNotJSON        = "not-json"        // an HTML page with status 200
)

// Fault is applied to the next Count requests (0 means 1, negative until
// cleared) to Endpoint ("explore", "multiline"; "" both).
type Fault struct {
	Kind       FaultKind `json:"kind"`
	Endpoint   string    `json:"endpoint,omitempty"`
	Count      int       `json:"count,omitempty"`
	Status     int       `json:"status,omitempty"`
	RetryAfter int       `json:"retry_after_seconds,omitempty"`
	Delay      string    `json:"delay,omitempty"` // Go duration
	Drift      string    `json:"drift,omitempty"`
}

// Emulator holds the clock, the faults and the request log.
type Emulator struct {
	mu     sync.Mutex
	seed   int64
	now    time.Time
	hiring func(time.Time) float64 // nil: no hiring effect
	ref    float64                 // reference daily hiring (0 without hiring)
	secret []byte
	faults []*Fault
	calls  map[string]int
}

// New returns an emulator.
func New(opts Options) *Emulator {
	if opts.Now.IsZero() {
		opts.Now = time.Now().Truncate(time.Hour)
	}
	secret := make([]byte, 8)
	binary.LittleEndian.PutUint64(secret, uint64(opts.Seed)^0x5eed)
	e := &Emulator{seed: opts.Seed, now: opts.Now, secret: secret, calls: map[string]int{}, hiring: opts.Hiring}
	if opts.Hiring != nil {
		e.ref = hiringRef(opts.Hiring, opts.Now)
	}
	return e
}

// Server is an emulator behind a real HTTP server.
type Server struct {
	*Emulator
	URL string
	srv *httptest.Server
}

// NewServer starts an emulator on a local port.
func NewServer(opts Options) *Server {
	e := New(opts)
	s := httptest.NewServer(e.Handler())
	return &Server{Emulator: e, URL: s.URL, srv: s}
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Now returns the clock.
func (e *Emulator) Now() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }

// SetNow moves the clock.
func (e *Emulator) SetNow(t time.Time) { e.mu.Lock(); defer e.mu.Unlock(); e.now = t }

// AddFault queues a fault.
func (e *Emulator) AddFault(f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f.Count == 0 {
		f.Count = 1
	}
	e.faults = append(e.faults, &f)
}

// ClearFaults removes every fault.
func (e *Emulator) ClearFaults() { e.mu.Lock(); defer e.mu.Unlock(); e.faults = nil }

// Calls returns how many requests each endpoint received.
func (e *Emulator) Calls(endpoint string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls[endpoint]
}

// take returns the first fault for endpoint and uses it up.
func (e *Emulator) take(endpoint string) *Fault {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls[endpoint]++
	for i, f := range e.faults {
		if f.Endpoint != "" && f.Endpoint != endpoint {
			continue
		}
		if f.Drift != "" && !driftApplies(f.Drift, endpoint) {
			continue
		}
		g := *f
		if f.Count > 0 {
			if f.Count--; f.Count == 0 {
				e.faults = append(e.faults[:i], e.faults[i+1:]...)
			}
		}
		return &g
	}
	return nil
}

func driftApplies(d, endpoint string) bool {
	if d == DriftNoTimeseries {
		return endpoint == "explore"
	}
	return d == DriftNotJSON || endpoint == "multiline"
}

// Handler serves the endpoints and the admin API:
//
//	GET|POST /trends/api/explore
//	GET      /trends/api/widgetdata/multiline
//	POST     /_emulator/faults   (JSON Fault)    DELETE /_emulator/faults
//	POST     /_emulator/clock?now=RFC3339
func (e *Emulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/trends/api/explore", e.explore)
	mux.HandleFunc("GET /trends/api/widgetdata/multiline", e.multiline)
	mux.HandleFunc("POST /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		e.AddFault(f)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("DELETE /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		e.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /_emulator/clock", func(w http.ResponseWriter, r *http.Request) {
		t, err := time.Parse(time.RFC3339, r.URL.Query().Get("now"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		e.SetNow(t)
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// applyFault answers the fault when it ends the request; it returns the
// drift (if any) for the handler to apply.
func applyFault(w http.ResponseWriter, r *http.Request, f *Fault) (drift string, done bool) {
	if f == nil {
		return "", false
	}
	switch f.Kind {
	case FaultRateLimit:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		http.Error(w, "<html><body>429. That’s an error. We're sorry, but you have sent too many requests to us recently.</body></html>", http.StatusTooManyRequests)
		return "", true
	case FaultServerError:
		st := f.Status
		if st == 0 {
			st = http.StatusInternalServerError
		}
		http.Error(w, "<html><body>Server Error</body></html>", st)
		return "", true
	case FaultSlow:
		d, _ := time.ParseDuration(f.Delay)
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return "", true
		}
	case FaultDrift:
		if f.Drift == DriftNotJSON {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			fmt.Fprint(w, "<!doctype html><html><body>Google Trends</body></html>")
			return "", true
		}
		return f.Drift, false
	case FaultBadToken:
		return string(FaultBadToken), false
	}
	return "", false
}

type exploreReq struct {
	ComparisonItem []struct {
		Keyword string `json:"keyword"`
		Geo     string `json:"geo"`
		Time    string `json:"time"`
	} `json:"comparisonItem"`
	Category int    `json:"category"`
	Property string `json:"property"`
}

func (e *Emulator) explore(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	drift, done := applyFault(w, r, e.take("explore"))
	if done {
		return
	}
	var req exploreReq
	if err := json.Unmarshal([]byte(r.FormValue("req")), &req); err != nil || len(req.ComparisonItem) == 0 || len(req.ComparisonItem) > 5 {
		http.Error(w, "<html><body>400. That’s an error. Your client has issued a malformed or illegal request.</body></html>", http.StatusBadRequest)
		return
	}
	window := req.ComparisonItem[0].Time
	if _, _, err := parseWindow(window); err != nil {
		http.Error(w, "400 bad time", http.StatusBadRequest)
		return
	}
	var items []any
	for _, c := range req.ComparisonItem {
		geo := map[string]string{}
		if c.Geo != "" {
			geo["country"] = c.Geo
		}
		items = append(items, om{
			{"geo", geo},
			{"complexKeywordsRestriction", om{{"keyword", []om{{{"type", "BROAD"}, {"value", c.Keyword}}}}}},
		})
	}
	hl := r.FormValue("hl")
	if hl == "" {
		hl = "en-US"
	}
	tsReq := om{
		{"time", window}, {"resolution", "WEEK"}, {"locale", hl}, {"comparisonItem", items},
		{"requestOptions", om{{"property", req.Property}, {"backend", "IZG"}, {"category", req.Category}}},
		{"userConfig", om{{"userType", "USER_TYPE_SCRAPER"}}},
	}
	reqJSON, _ := json.Marshal(tsReq)
	token := e.token(reqJSON)
	if drift == string(FaultBadToken) {
		token = "APP6_UEAAAAA" + strings.Repeat("x", 32)
	}
	var bullets []om
	for _, c := range req.ComparisonItem {
		bullets = append(bullets, om{{"text", c.Keyword}})
	}
	var widgets []om
	if drift != DriftNoTimeseries {
		widgets = append(widgets, om{
			{"request", json.RawMessage(reqJSON)}, {"lineAnnotationText", "관심도"}, {"bullets", bullets},
			{"showLegend", false}, {"showAverages", true},
			{"helpDialog", om{{"title", "시간 흐름에 따른 관심도"}, {"content", "숫자는 특정 지역 및 기간에서 차트의 가장 높은 지점 대비 검색 관심도를 나타냅니다."}}},
			{"token", token}, {"id", "TIMESERIES"}, {"type", "fe_line_chart"}, {"title", "시간 흐름에 따른 관심도"},
			{"template", "fe"}, {"embedTemplate", "fe_embed"}, {"version", "1"}, {"isLong", true}, {"isCurated", false},
		})
	}
	other := func(id, typ string, i int) om {
		rq, _ := json.Marshal(om{{"id", id}, {"index", i}, {"time", window}})
		return om{{"request", json.RawMessage(rq)}, {"token", e.token(rq)}, {"id", id}, {"type", typ},
			{"title", id}, {"template", "fe"}, {"embedTemplate", "fe_embed"}, {"version", "1"}, {"isLong", false}, {"isCurated", false}}
	}
	widgets = append(widgets, other("GEO_MAP", "fe_multi_heat_map", -1))
	for i := range req.ComparisonItem {
		widgets = append(widgets, other(fmt.Sprintf("TITLE_%d", i), "fe_text", i),
			other(fmt.Sprintf("GEO_MAP_%d", i), "fe_geo_chart_explore", i),
			other(fmt.Sprintf("RELATED_QUERIES_%d", i), "fe_related_searches", i))
	}
	body, _ := json.Marshal(om{{"widgets", widgets}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write([]byte(")]}'\n"))
	w.Write(body)
}

// token binds a widget request to the emulator's secret.
func (e *Emulator) token(req []byte) string {
	var buf bytes.Buffer
	_ = json.Compact(&buf, req)
	m := hmac.New(sha256.New, e.secret)
	m.Write(buf.Bytes())
	return "APP6_UEAAAAA" + base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:32]
}

type widgetReq struct {
	Time           string `json:"time"`
	ComparisonItem []struct {
		ComplexKeywordsRestriction struct {
			Keyword []struct {
				Value string `json:"value"`
			} `json:"keyword"`
		} `json:"complexKeywordsRestriction"`
	} `json:"comparisonItem"`
}

func (e *Emulator) multiline(w http.ResponseWriter, r *http.Request) {
	drift, done := applyFault(w, r, e.take("multiline"))
	if done {
		return
	}
	raw := []byte(r.FormValue("req"))
	var req widgetReq
	if err := json.Unmarshal(raw, &req); err != nil || len(req.ComparisonItem) == 0 {
		http.Error(w, "<html><body>400. That’s an error.</body></html>", http.StatusBadRequest)
		return
	}
	if !hmac.Equal([]byte(r.FormValue("token")), []byte(e.token(raw))) {
		http.Error(w, "<html><body>401. That’s an error. Unauthorized.</body></html>", http.StatusUnauthorized)
		return
	}
	from, to, err := parseWindow(req.Time)
	if err != nil {
		http.Error(w, "400 bad time", http.StatusBadRequest)
		return
	}
	var keywords []string
	for _, c := range req.ComparisonItem {
		var parts []string
		for _, k := range c.ComplexKeywordsRestriction.Keyword {
			parts = append(parts, k.Value)
		}
		keywords = append(keywords, strings.Join(parts, " + "))
	}
	body := e.timeline(keywords, from, to, drift)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write([]byte(")]}',\n"))
	w.Write(body)
}

// timeline builds the multiline body: weekly points, each keyword's volume
// (moved by the lagged hiring when there is one) divided by the request's
// peak volume, times 100; default is marked syntheticData.
func (e *Emulator) timeline(keywords []string, from, to time.Time, drift string) []byte {
	now := e.Now()
	weeks := weekStarts(from, to, now)
	vol := make([][]float64, len(weeks))
	peak := 0.0
	for i, t := range weeks {
		vol[i] = make([]float64, len(keywords))
		lagged := 0.0
		if e.hiring != nil {
			lagged = weekHiring(e.hiring, t.AddDate(0, 0, -7*hiringLag))
		}
		for j, k := range keywords {
			vol[i][j] = volume(e.seed, k, t) * hiringFactor(modelFor(k).hiring, lagged, e.ref)
			peak = max(peak, vol[i][j])
		}
	}
	sums := make([]int, len(keywords))
	points := make([]om, 0, len(weeks))
	for i, t := range weeks {
		vals := make([]int, len(keywords))
		hasData := make([]bool, len(keywords))
		fv := make([]string, len(keywords))
		for j := range keywords {
			if peak > 0 { // no hiring at all leaves every volume 0
				vals[j] = int(math.Round(100 * vol[i][j] / peak))
			}
			hasData[j] = vals[j] > 0
			fv[j] = strconv.Itoa(vals[j])
			sums[j] += vals[j]
		}
		p := om{{"time", strconv.FormatInt(t.Unix(), 10)}, {"formattedTime", formatWeek(t)},
			{"formattedAxisTime", fmt.Sprintf("%d. %d. %d.", t.Year(), t.Month(), t.Day())}}
		switch drift {
		case DriftRetypeValue:
			p = append(p, kv{"value", fv})
		default:
			p = append(p, kv{"value", vals})
		}
		if drift != DriftDropHasData {
			p = append(p, kv{"hasData", hasData})
		}
		p = append(p, kv{"formattedValue", fv})
		if t.Add(7 * 24 * time.Hour).After(now.Add(-dataLag)) {
			p = append(p, kv{"isPartial", true})
		}
		if drift == DriftExtraField {
			p = append(p, kv{"confidence", "HIGH"})
		}
		if drift == DriftDropTime {
			p = p[1:]
		}
		points = append(points, p)
	}
	avg := make([]int, len(keywords))
	for j := range avg {
		if len(weeks) > 0 {
			avg[j] = int(math.Round(float64(sums[j]) / float64(len(weeks))))
		}
	}
	name := "timelineData"
	if drift == DriftRenameTimeline {
		name = "timeline"
	}
	def := om{{name, points}, {"averages", avg}, {"syntheticData", true}}
	if drift == DriftExtraField {
		def = append(def, kv{"dataVersion", 2})
	}
	top := om{{"default", def}}
	if drift == DriftDropDefault {
		top = om{{"data", def}}
	}
	b, _ := json.Marshal(top)
	return b
}

// formatWeek is the display label of a week (never parsed by clients).
func formatWeek(t time.Time) string {
	end := t.AddDate(0, 0, 6)
	return fmt.Sprintf("%d년 %d월 %d일~%d월 %d일", t.Year(), t.Month(), t.Day(), end.Month(), end.Day())
}

// parseWindow reads "YYYY-MM-DD YYYY-MM-DD" (dates as UTC midnights).
func parseWindow(s string) (time.Time, time.Time, error) {
	a, b, ok := strings.Cut(s, " ")
	if !ok {
		return time.Time{}, time.Time{}, fmt.Errorf("time %q: want two dates", s)
	}
	from, err1 := time.Parse(time.DateOnly, a)
	to, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil || to.Before(from) {
		return time.Time{}, time.Time{}, fmt.Errorf("time %q: bad dates", s)
	}
	return from, to, nil
}

// om is a JSON object that keeps its key order, like the real answers.
type om []kv

type kv struct {
	k string
	v any
}

func (o om) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.k)
		v, err := json.Marshal(p.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
