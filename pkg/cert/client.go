package cert

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"jobpulse/pkg/retry"
	"jobpulse/pkg/secret"
)

// The service implemented: HRD Korea (한국산업인력공단) Q-Net open API
// InquiryStatSVC, operations getEventYearPiList (필기, written) and
// getEventYearSiList (실기, practical), key issued on data.go.kr. Called
// with serviceKey, jmCd and baseYY, they answer XML
// response/header/{resultCode,resultMsg} and
// response/body/{items/item, numOfRows, pageNo, totalCount}, one item with
// ilrcnt1..5 (접수), ilecnt1..5 (응시) and ilpcnt1..5 (합격).
//
// Unverified (from public client code, not from a live answer or the
// portal's guide): that index 1 is baseYY and index 5 is baseYY-4; the
// gateway's error body OpenAPI_ServiceResponse/cmmMsgHeader/
// {returnReasonCode,returnAuthMsg} for key and quota errors; whether these
// operations honour pageNo/numOfRows (sent anyway; paging follows
// totalCount). 빅데이터분석기사's jmCd is unknown, so only exams with a
// known code are asked (Config.Exams).
const (
	DefaultBaseURL  = "http://openapi.q-net.or.kr/api/service/rest"
	DefaultTimeout  = 10 * time.Second // Q-Net sometimes never answers
	DefaultMaxTries = 4
	DefaultRate     = 5 // calls per second
	numOfRows       = 100
	maxBody         = 4 << 20
	yearsPerItem    = 5
)

// Operations, with the stage each one reports.
var operations = []struct{ Op, Stage string }{
	{"getEventYearPiList", StageWritten},
	{"getEventYearSiList", StagePractical},
}

// Exam is one item asked of the API.
type Exam struct {
	Name string `json:"name"` // "정보처리기사"
	JmCd string `json:"jmcd"` // "1320"
}

// DefaultExams are the items whose Q-Net code is known (정보처리기사 1320,
// used by public Q-Net clients and the data.go.kr sample request).
var DefaultExams = []Exam{{Name: "정보처리기사", JmCd: "1320"}}

// Config configures a Client. Zero values take the defaults.
type Config struct {
	BaseURL        string // up to and including /api/service/rest
	ServiceKey     string // the decoded key from data.go.kr: a secret
	Exams          []Exam
	Timeout        time.Duration
	MaxTries       uint
	InitialBackoff time.Duration // default 1 s
	RatePerSecond  float64       // negative: no limit
	HTTPClient     *http.Client
}

// Client calls the statistics API. Safe for concurrent use.
type Client struct {
	base, key string
	exams     []Exam
	timeout   time.Duration
	initial   time.Duration
	maxTries  uint
	http      *http.Client
	limiter   *rate.Limiter
	calls     atomic.Int64
}

// Calls counts the HTTP calls made so far, retries included: each counts
// against the service key's daily limit.
func (c *Client) Calls() int64 { return c.calls.Load() }

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base := strings.TrimRight(cmp.Or(cfg.BaseURL, DefaultBaseURL), "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("cert.New: BaseURL is not an absolute http(s) URL")
	}
	if strings.TrimSpace(cfg.ServiceKey) == "" {
		return nil, errors.New("cert.New: no ServiceKey")
	}
	c := &Client{base: base, key: cfg.ServiceKey, exams: cfg.Exams, timeout: cfg.Timeout,
		initial: cfg.InitialBackoff, maxTries: cfg.MaxTries, http: cfg.HTTPClient}
	if len(c.exams) == 0 {
		c.exams = DefaultExams
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.initial <= 0 {
		c.initial = time.Second
	}
	if c.maxTries == 0 {
		c.maxTries = DefaultMaxTries
	}
	if c.http == nil {
		c.http = &http.Client{}
	}
	switch r := cfg.RatePerSecond; {
	case r < 0:
		c.limiter = rate.NewLimiter(rate.Inf, 1)
	case r == 0:
		c.limiter = rate.NewLimiter(DefaultRate, 1)
	default:
		c.limiter = rate.NewLimiter(rate.Limit(r), 1)
	}
	return c, nil
}

// Page is one answer of the API as received, with what was asked: what the
// extractor lands in the lake. It never holds the service key.
type Page struct {
	Exam      Exam      `json:"exam"`
	Op        string    `json:"op"`
	Stage     string    `json:"stage"`
	BaseYear  int       `json:"base_year"`
	PageNo    int       `json:"page_no"`
	URL       string    `json:"url"` // without the service key
	FetchedAt time.Time `json:"fetched_at"`
	Body      string    `json:"body"` // XML as received
}

// Stats fetches, for every configured exam and both stages, the five years
// ending at year (baseYY). It returns all of them or an error: a run that
// fails halfway returns nothing, so the caller keeps its previous set.
// Years the API reports with no examinees are left out.
func (c *Client) Stats(ctx context.Context, year int) ([]Stat, error) {
	pages, err := c.Pages(ctx, year)
	if err != nil {
		return nil, err
	}
	var out []Stat
	for _, p := range pages {
		st, err := ParsePage(p)
		if err != nil {
			return nil, fmt.Errorf("cert.Stats %d %s: %w", year, p.Exam.Name, err)
		}
		out = append(out, st...)
	}
	return out, nil
}

// Pages fetches the answers Stats reads, as received: all of them or an
// error.
func (c *Client) Pages(ctx context.Context, year int) ([]Page, error) {
	if year < 2000 || year > 2100 {
		return nil, fmt.Errorf("cert.Pages: %w: year %d", ErrBadParameter, year)
	}
	var out []Page
	for _, ex := range c.exams {
		for _, op := range operations {
			pages, err := c.list(ctx, op.Op, url.Values{"jmCd": {ex.JmCd}, "baseYY": {strconv.Itoa(year)}})
			if err != nil {
				return nil, fmt.Errorf("cert.Pages %d %s (%s): %w", year, ex.Name, op.Op, err)
			}
			for i := range pages {
				pages[i].Exam, pages[i].Stage, pages[i].BaseYear = ex, op.Stage, year
			}
			out = append(out, pages...)
		}
	}
	return out, nil
}

// ParsePage reads the statistics in one answer. Unknown elements are
// ignored; what cannot be understood is a *ShapeError.
func ParsePage(p Page) ([]Stat, error) {
	env, err := decode(p.Op, []byte(p.Body))
	if err != nil {
		return nil, err
	}
	var out []Stat
	for _, it := range env.Body.Items.Item {
		st, err := it.stats(p.Op, p.Exam, p.Stage, p.BaseYear, p.URL)
		if err != nil {
			return nil, err
		}
		out = append(out, st...)
	}
	return out, nil
}

// list fetches every page of one operation.
func (c *Client) list(ctx context.Context, op string, q url.Values) ([]Page, error) {
	var out []Page
	seen := 0
	for page := 1; ; page++ {
		p := url.Values{}
		for k, v := range q {
			p[k] = v
		}
		p.Set("pageNo", strconv.Itoa(page))
		p.Set("numOfRows", strconv.Itoa(numOfRows))
		public := c.base + "/InquiryStatSVC/" + op + "?" + p.Encode()
		p.Set("serviceKey", c.key)
		r, body, err := c.retry(ctx, op, c.base+"/InquiryStatSVC/"+op+"?"+p.Encode())
		if err != nil {
			return nil, err
		}
		out = append(out, Page{Op: op, PageNo: page, URL: public, FetchedAt: time.Now().UTC(), Body: string(body)})
		seen += len(r.Body.Items.Item)
		total, _ := strconv.Atoi(strings.TrimSpace(r.Body.TotalCount))
		if len(r.Body.Items.Item) == 0 || seen >= total || page >= 1000 {
			return out, nil
		}
	}
}

type answer struct {
	env  *envelope
	body []byte
}

func (c *Client) retry(ctx context.Context, op, u string) (*envelope, []byte, error) {
	r, tries, err := retry.Do(ctx, retry.Policy{Initial: c.initial, Max: 30 * c.initial, MaxTries: c.maxTries, Retryable: Retryable},
		func() (answer, error) {
			env, body, err := c.fetch(ctx, op, u)
			return answer{env, body}, err
		})
	if err != nil {
		return nil, nil, fmt.Errorf("%d tries: %w", tries, err)
	}
	return r.env, r.body, nil
}

// fetch makes one call and decodes it.
func (c *Client) fetch(ctx context.Context, op, u string) (*envelope, []byte, error) {
	if err := c.limiter.Wait(ctx); err != nil {
		return nil, nil, err
	}
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(callCtx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, c.redact(err)
	}
	req.Header.Set("Accept", "application/xml")
	c.calls.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, c.callError(ctx, callCtx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, nil, c.callError(ctx, callCtx, err)
	}
	env, derr := decode(op, body)
	var re *ResultError
	if errors.As(derr, &re) {
		return nil, nil, derr // a result code says more than the status
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, &HTTPError{Op: op, Status: resp.StatusCode}
	}
	if derr != nil {
		return nil, nil, derr
	}
	return env, body, nil
}

func (c *Client) callError(ctx, callCtx context.Context, err error) error {
	err = c.redact(err)
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", context.Cause(ctx), err)
	}
	var ne net.Error
	if errors.Is(callCtx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("%w after %s: %w", ErrTimeout, c.timeout, err)
	}
	return fmt.Errorf("%w: %w", ErrNetwork, err)
}

// redact removes the service key (raw and URL-encoded) from err, keeping
// the chain for errors.Is and errors.As.
func (c *Client) redact(err error) error { return secret.NewRedactor(c.key).Error(err) }

// envelope is response/header and response/body. Elements it does not
// name are ignored, so added fields never stop a run.
type envelope struct {
	XMLName xml.Name
	Header  struct {
		ResultCode string `xml:"resultCode"`
		ResultMsg  string `xml:"resultMsg"`
	} `xml:"header"`
	Body struct {
		Items struct {
			Item []item `xml:"item"`
		} `xml:"items"`
		NumOfRows  string `xml:"numOfRows"`
		PageNo     string `xml:"pageNo"`
		TotalCount string `xml:"totalCount"`
	} `xml:"body"`
	// The data.go.kr gateway's own error body (unverified shape).
	Cmm struct {
		ErrMsg           string `xml:"errMsg"`
		ReturnAuthMsg    string `xml:"returnAuthMsg"`
		ReturnReasonCode string `xml:"returnReasonCode"`
	} `xml:"cmmMsgHeader"`
}

// item keeps every child element by name.
type item struct {
	Fields []struct {
		XMLName xml.Name
		Value   string `xml:",chardata"`
	} `xml:",any"`
}

func (it item) get(name string) (string, bool) {
	for _, f := range it.Fields {
		if strings.EqualFold(f.XMLName.Local, name) {
			return strings.TrimSpace(f.Value), true
		}
	}
	return "", false
}

// count reads a count; a missing or empty element is 0.
func (it item) count(op, name string) (int, error) {
	v, ok := it.get(name)
	v = strings.ReplaceAll(v, ",", "")
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, &ShapeError{Op: op, Reason: fmt.Sprintf("%s is %q, not a count", name, v)}
	}
	return n, nil
}

func (it item) stats(op string, ex Exam, stage string, year int, src string) ([]Stat, error) {
	var out []Stat
	// The emulator marks its made-up figures; Q-Net never sends this.
	v, _ := it.get("synthetic")
	synthetic := v == "true"
	for i := 1; i <= yearsPerItem; i++ {
		var n [3]int
		for j, p := range []string{"ilrcnt", "ilecnt", "ilpcnt"} {
			v, err := it.count(op, p+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			n[j] = v
		}
		if n[1] == 0 && n[2] == 0 {
			continue // no exam that year, or not reported
		}
		s := Stat{Exam: ex.Name, JmCd: ex.JmCd, Stage: stage, Year: year - (i - 1), Applicants: n[0], Examinees: n[1],
			Passers: n[2], PassRate: Rate(n[2], n[1]), Source: src, Quality: QualityOfficial, Origin: OriginAPI, Synthetic: synthetic}
		if err := s.Validate(); err != nil {
			return nil, &ShapeError{Op: op, Reason: err.Error()}
		}
		out = append(out, s)
	}
	return out, nil
}

func decode(op string, body []byte) (*envelope, error) {
	var env envelope
	start := body
	if len(start) > 512 {
		start = start[:512]
	}
	if err := xml.NewDecoder(bytes.NewReader(body)).Decode(&env); err != nil {
		return nil, &ShapeError{Op: op, Reason: "malformed XML: " + err.Error(), Body: start}
	}
	switch env.XMLName.Local {
	case "OpenAPI_ServiceResponse":
		code := strings.TrimSpace(env.Cmm.ReturnReasonCode)
		if code == "" {
			code = "99"
		}
		return nil, &ResultError{Op: op, Code: code, Msg: strings.TrimSpace(env.Cmm.ReturnAuthMsg)}
	case "response":
	default:
		return nil, &ShapeError{Op: op, Reason: "root element <" + env.XMLName.Local + ">", Body: start}
	}
	switch code := strings.TrimSpace(env.Header.ResultCode); code {
	case "00", "03": // normal; no data
		return &env, nil
	case "":
		return nil, &ShapeError{Op: op, Reason: "no response/header/resultCode", Body: start}
	default:
		return nil, &ResultError{Op: op, Code: code, Msg: strings.TrimSpace(env.Header.ResultMsg)}
	}
}
