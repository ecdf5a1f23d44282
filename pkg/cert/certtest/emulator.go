// Package certtest emulates the Q-Net statistics API package cert calls
// (InquiryStatSVC/getEventYearPiList and getEventYearSiList), in the spirit
// of net/http/httptest.
//
// Every number it serves is SYNTHETIC, and every item says so in an element
// Q-Net does not have (<synthetic>true</synthetic>): counts derived
// deterministically from the item code, the stage and the year (a hash, no
// clock, no randomness), shaped only so that passers <= examinees <=
// applicants.
// They say nothing about real exams. The XML keeps the portal's shape
// (response/header/resultCode, response/body/items/item); key and quota
// errors use the gateway's OpenAPI_ServiceResponse body (shape unverified).
package certtest

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	Key        string // accepted serviceKey (default "test-key")
	DailyLimit int    // calls before result code 22 (0: no limit)
	// FailAfter, when > 0, makes every call after the first FailAfter
	// answer HTTP 500 with result code 01: a run that fails halfway.
	FailAfter int
	// Malformed serves truncated XML; Drift adds unknown elements and drops
	// ilrcnt (applicants) from every item.
	Malformed, Drift bool
	// Fail5xx makes the next n calls answer HTTP 503 (then normal).
	Fail5xx int
}

// Server is a running emulator.
type Server struct {
	*httptest.Server
	mu    sync.Mutex
	opts  Options
	calls int
}

// NewServer starts an emulator; URL + "/api/service/rest" is the BaseURL.
func NewServer(opts Options) *Server {
	if opts.Key == "" {
		opts.Key = "test-key"
	}
	s := &Server{opts: opts}
	s.Server = httptest.NewServer(s)
	return s
}

// BaseURL is what cert.Config.BaseURL should be.
func (s *Server) BaseURL() string { return s.URL + "/api/service/rest" }

// Calls is the number of requests served.
func (s *Server) Calls() int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls }

// Set replaces the options (faults) of a running server.
func (s *Server) Set(opts Options) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if opts.Key == "" {
		opts.Key = "test-key"
	}
	s.opts = opts
}

var yearRE = regexp.MustCompile(`^\d{4}$`)

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls++
	n, o := s.calls, s.opts
	if o.Fail5xx > 0 {
		s.opts.Fail5xx--
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/xml;charset=UTF-8")
	q := r.URL.Query()
	op := strings.TrimPrefix(r.URL.Path, "/api/service/rest/InquiryStatSVC/")
	switch {
	case q.Get("serviceKey") != o.Key:
		gateway(w, "30", "SERVICE_KEY_IS_NOT_REGISTERED_ERROR")
	case o.DailyLimit > 0 && n > o.DailyLimit:
		gateway(w, "22", "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR")
	case op != "getEventYearPiList" && op != "getEventYearSiList":
		gateway(w, "12", "NO_OPENAPI_SERVICE_ERROR")
	case o.Fail5xx > 0:
		w.WriteHeader(http.StatusServiceUnavailable)
	case o.FailAfter > 0 && n > o.FailAfter:
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, envelope("01", "APPLICATION_ERROR", "", 0))
	case q.Get("jmCd") == "" || !yearRE.MatchString(q.Get("baseYY")):
		fmt.Fprint(w, envelope("10", "INVALID_REQUEST_PARAMETER_ERROR", "", 0))
	case o.Malformed:
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><response><header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header><body><items><item><ilrcnt1>12`)
	default:
		base, _ := strconv.Atoi(q.Get("baseYY"))
		fmt.Fprint(w, envelope("00", "NORMAL SERVICE.", Item(q.Get("jmCd"), op, base, o.Drift), 1))
	}
}

func gateway(w http.ResponseWriter, code, msg string) {
	fmt.Fprintf(w, `<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>%s</returnAuthMsg><returnReasonCode>%s</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>`, msg, code)
}

func envelope(code, msg, items string, total int) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><response><header><resultCode>%s</resultCode><resultMsg>%s</resultMsg></header><body><items>%s</items><numOfRows>100</numOfRows><pageNo>1</pageNo><totalCount>%d</totalCount></body></response>`, code, msg, items, total)
}

// Counts are the synthetic applicants, examinees and passers for an item
// code, an operation (stage) and a year.
func Counts(jmCd, op string, year int) (applicants, examinees, passers int) {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%d", jmCd, op, year)
	v := h.Sum64()
	applicants = 20000 + int(v%60000)
	examinees = applicants * (70 + int(v>>16%20)) / 100
	passers = examinees * (20 + int(v>>32%40)) / 100
	return
}

// Item is the <item> served for baseYY: index 1 = baseYY ... 5 = baseYY-4.
func Item(jmCd, op string, baseYY int, drift bool) string {
	var b strings.Builder
	b.WriteString("<item><synthetic>true</synthetic>")
	if drift {
		b.WriteString("<newField>extra</newField><jmfldnm>synthetic</jmfldnm>")
	}
	for i := 1; i <= 5; i++ {
		a, e, p := Counts(jmCd, op, baseYY-(i-1))
		if !drift {
			fmt.Fprintf(&b, "<ilrcnt%d>%d</ilrcnt%d>", i, a, i)
		}
		fmt.Fprintf(&b, "<ilecnt%d>%d</ilecnt%d><ilpcnt%d>%d</ilpcnt%d>", i, e, i, i, p, i)
	}
	b.WriteString("</item>")
	return b.String()
}
