package saramin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"jobpulse/pkg/retry"
	"jobpulse/pkg/secret"
)

// Defaults used for the zero values of Config.
const (
	DefaultBaseURL        = "https://oapi.saramin.co.kr"
	DefaultTimeout        = 20 * time.Second
	DefaultRatePerSecond  = 2.0
	DefaultBurst          = 1
	DefaultMaxTries       = 5
	DefaultMaxElapsed     = 2 * time.Minute
	DefaultInitialBackoff = 500 * time.Millisecond
	DefaultMaxBackoff     = 30 * time.Second
)

// maxBodyBytes bounds the answer read into memory. A full page of 110
// postings is about 200 KB.
const maxBodyBytes = 32 << 20

// redactedValue replaces the access key wherever it could be shown.
const redactedValue = secret.Mask

// Config configures a Client. Zero values take the defaults above.
type Config struct {
	// BaseURL is the API's scheme and host (default DefaultBaseURL); the
	// client calls {BaseURL}/job-search.
	BaseURL string
	// AccessKey is the key issued by Saramin. Required. It is never
	// written to errors or logs.
	AccessKey string
	// Timeout bounds each HTTP call, body included (default 20s).
	Timeout time.Duration
	// RatePerSecond is the steady call rate (default 2); negative means
	// no limit. Retries wait on the limiter too.
	RatePerSecond float64
	// Burst is how many calls may go out at once before the rate applies
	// (default 1).
	Burst int
	// MaxTries bounds the attempts per page, the first included
	// (default 5).
	MaxTries uint
	// MaxElapsed bounds the time spent retrying one page (default 2m). A
	// Retry-After longer than what is left ends the retries.
	MaxElapsed time.Duration
	// InitialBackoff is the first wait between attempts (default 500ms);
	// later waits grow exponentially, with jitter.
	InitialBackoff time.Duration
	// MaxBackoff caps a single wait between attempts (default 30s).
	MaxBackoff time.Duration
	// HTTPClient sends the requests (default: a new http.Client with no
	// timeout of its own, since Timeout applies per call, that follows
	// redirects only within the same scheme and host).
	HTTPClient *http.Client
}

// String describes the configuration with the access key redacted, so a
// Config can be logged safely.
func (c Config) String() string {
	key := ""
	if c.AccessKey != "" {
		key = redactedValue
	}
	return fmt.Sprintf("saramin.Config{BaseURL:%q AccessKey:%s Timeout:%s RatePerSecond:%g Burst:%d MaxTries:%d MaxElapsed:%s}",
		c.BaseURL, key, c.Timeout, c.RatePerSecond, c.Burst, c.MaxTries, c.MaxElapsed)
}

// LogValue renders the configuration for slog with the access key redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.Bool("access_key_set", c.AccessKey != ""),
		slog.Duration("timeout", c.Timeout),
		slog.Float64("rate_per_second", c.RatePerSecond),
		slog.Int("burst", c.Burst),
		slog.Uint64("max_tries", uint64(c.MaxTries)),
		slog.Duration("max_elapsed", c.MaxElapsed),
	)
}

// Client calls the job-search endpoint. It is safe for concurrent use; all
// calls share one rate limiter.
type Client struct {
	endpoint       string
	key            string
	redactor       secret.Redactor
	http           *http.Client
	limiter        *rate.Limiter
	timeout        time.Duration
	maxTries       uint
	maxElapsed     time.Duration
	initialBackoff time.Duration
	maxBackoff     time.Duration
	calls          atomic.Int64
}

// Calls counts the HTTP calls made so far, retries included: each counts
// against the key's daily quota.
func (c *Client) Calls() int64 { return c.calls.Load() }

// New checks cfg, fills in the defaults and returns a Client. It fails when
// the access key is empty or the base URL is not an absolute http(s) URL.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.AccessKey) == "" {
		return nil, errors.New("saramin.New: empty access key")
	}
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	// The base URL is not echoed in these errors: a misconfigured one
	// could hold the key.
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("saramin.New: base URL is not an absolute http(s) URL")
	}
	if u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("saramin.New: base URL %s://%s must carry neither a query nor credentials", u.Scheme, u.Host)
	}
	c := &Client{
		endpoint:       strings.TrimRight(base, "/") + "/job-search",
		key:            cfg.AccessKey,
		redactor:       secret.NewRedactor(cfg.AccessKey),
		http:           cfg.HTTPClient,
		timeout:        orDefault(cfg.Timeout, DefaultTimeout),
		maxTries:       cfg.MaxTries,
		maxElapsed:     orDefault(cfg.MaxElapsed, DefaultMaxElapsed),
		initialBackoff: orDefault(cfg.InitialBackoff, DefaultInitialBackoff),
		maxBackoff:     orDefault(cfg.MaxBackoff, DefaultMaxBackoff),
	}
	if c.http == nil {
		c.http = &http.Client{CheckRedirect: sameOriginRedirect}
	}
	if c.maxTries == 0 {
		c.maxTries = DefaultMaxTries
	}
	if c.maxBackoff < c.initialBackoff {
		c.maxBackoff = c.initialBackoff
	}
	burst := cfg.Burst
	if burst <= 0 {
		burst = DefaultBurst
	}
	switch r := cfg.RatePerSecond; {
	case r < 0:
		c.limiter = rate.NewLimiter(rate.Inf, burst)
	case r == 0:
		c.limiter = rate.NewLimiter(rate.Limit(DefaultRatePerSecond), burst)
	default:
		c.limiter = rate.NewLimiter(rate.Limit(r), burst)
	}
	return c, nil
}

// sameOriginRedirect follows redirects only within the original scheme and
// host: the access key travels in the query string and must not be handed
// to another server. A redirect elsewhere is answered with the redirect
// response itself, which Search reports as a fatal *APIError.
func sameOriginRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return http.ErrUseLastResponse
	}
	return nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Page is one answer of the job-search endpoint.
type Page struct {
	// Start is the page index the API reports (the requested one when the
	// answer has none).
	Start int
	// Count is the number of postings the API reports on this page
	// (len(Jobs) when the answer has none).
	Count int
	// Total is the number of postings matching the query, or -1 when the
	// answer does not say.
	Total int
	// Jobs holds each posting as the raw JSON object the API sent; decode
	// one with ParseJob.
	Jobs []json.RawMessage
	// Raw is the response body as received, less a byte-order mark.
	Raw []byte
	// Drift names what was read past in the answer's form (a byte-order
	// mark), for the caller to log.
	Drift []string
}

// Search fetches one page. Each attempt waits on the rate limiter and is
// bounded by Config.Timeout; rate limiting, 5xx answers, timeouts, network
// failures and truncated or invalid bodies are retried with exponential
// backoff (honouring Retry-After), up to Config.MaxTries attempts and
// Config.MaxElapsed. An invalid key, an exhausted quota and bad parameters
// fail at once. Errors match the sentinels of this package with errors.Is
// and never contain the access key.
func (c *Client) Search(ctx context.Context, q Query) (*Page, error) {
	vals, err := q.Values()
	if err != nil {
		return nil, fmt.Errorf("saramin search page %d: %w", q.Start, err)
	}
	vals.Set("access-key", c.key)
	reqURL := c.endpoint + "?" + vals.Encode()

	p, tries, err := retry.Do(ctx, retry.Policy{
		Initial: c.initialBackoff, Max: c.maxBackoff, MaxTries: c.maxTries, MaxElapsed: c.maxElapsed,
		Retryable: Retryable,
		Wait: func(err error) time.Duration {
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				return apiErr.RetryAfter
			}
			return 0
		},
	}, func() (*Page, error) { return c.fetch(ctx, reqURL, q.Start) })
	if err != nil {
		return nil, c.redact(fmt.Errorf("saramin search page %d (%d %s): %w", q.Start, tries, plural(tries, "try", "tries"), err))
	}
	return p, nil
}

// Pages walks the result pages of q, starting at q.Start with page size
// q.Count (MaxCount when 0), one Search per page. It yields each page as it
// arrives and never holds more than one; it stops after the page that
// reaches Total, after an empty page, after the first error (yielded with a
// nil page) or when the loop body breaks.
func (c *Client) Pages(ctx context.Context, q Query) iter.Seq2[*Page, error] {
	return func(yield func(*Page, error) bool) {
		if q.Count == 0 {
			q.Count = MaxCount
		}
		for start := q.Start; ; start++ {
			q.Start = start
			p, err := c.Search(ctx, q)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(p, nil) {
				return
			}
			if len(p.Jobs) == 0 {
				return
			}
			if p.Total >= 0 && (start+1)*q.Count >= p.Total {
				return
			}
		}
	}
}

// fetch makes one attempt: rate limiter, HTTP call, body, decoding.
func (c *Client) fetch(ctx context.Context, reqURL string, start int) (*Page, error) {
	if err := c.limiter.Wait(ctx); err != nil {
		return nil, fmt.Errorf("rate limiter: %w", err)
	}
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(callCtx, http.MethodGet, reqURL, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", c.redactURLError(err))
	}
	req.Header.Set("Accept", "application/json")
	c.calls.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.callError(ctx, callCtx, err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		if ce := c.callError(ctx, callCtx, err); !errors.Is(ce, ErrNetwork) {
			return nil, ce
		}
		return nil, fmt.Errorf("%w: reading body after %d bytes: %w", ErrTruncated, len(body), err)
	}
	if len(body) > maxBodyBytes {
		return nil, fmt.Errorf("answer larger than %d bytes", maxBodyBytes)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.apiError(resp, body)
	}
	return c.decode(resp, body, start)
}

// envelope is a job-search answer or an error body: the API's error body is
// {"code": N, "message": "..."}.
type envelope struct {
	Response
	Code    Flex `json:"code"`
	Message Flex `json:"message"`
}

// decode reads a 2xx body into a Page.
func (c *Client) decode(resp *http.Response, body []byte, start int) (*Page, error) {
	var env envelope
	var drift []string
	if trimmed := TrimBOM(body); len(trimmed) < len(body) {
		body, drift = trimmed, append(drift, "answer began with a byte-order mark, dropped")
	}
	if err := json.Unmarshal(body, &env); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("%w: %d bytes: %v", ErrTruncated, len(body), err)
		}
		return nil, fmt.Errorf("decode answer: %w", err)
	}
	j := env.Jobs
	if j.Job == nil && !j.Total.Valid && !j.Count.Valid {
		if env.Code.Valid || env.Message.Valid {
			return nil, &APIError{Status: resp.StatusCode, Code: env.Code.S,
				Message: c.redactString(env.Message.S), RetryAfter: retry.After(resp.Header)}
		}
		return nil, fmt.Errorf("answer has no jobs object (%d bytes)", len(body))
	}
	for _, f := range []struct {
		name string
		v    Flex
	}{{"total", j.Total}, {"count", j.Count}, {"start", j.Start}} {
		if f.v.Shape != "" {
			// The page's own counts cannot be read past: the answer's
			// envelope changed.
			return nil, fmt.Errorf("answer's jobs.%s is an %s, not a number", f.name, f.v.Shape)
		}
	}
	p := &Page{Start: start, Count: len(j.Job), Total: -1, Jobs: j.Job, Raw: body, Drift: drift}
	if n, ok := j.Start.Int(); ok {
		p.Start = int(n)
	}
	if n, ok := j.Count.Int(); ok {
		p.Count = int(n)
	}
	if n, ok := j.Total.Int(); ok {
		p.Total = int(n)
	}
	return p, nil
}

// apiError builds the error of a non-2xx answer from its body, JSON or not.
func (c *Client) apiError(resp *http.Response, body []byte) error {
	e := &APIError{Status: resp.StatusCode, RetryAfter: retry.After(resp.Header)}
	var eb struct {
		Code    Flex `json:"code"`
		Message Flex `json:"message"`
	}
	if json.Unmarshal(body, &eb) == nil && (eb.Code.Valid || eb.Message.Valid) {
		e.Code = eb.Code.S
		e.Message = eb.Message.S
	} else {
		e.Message = strings.TrimSpace(string(body))
	}
	e.Message = c.redactString(shorten(e.Message, 300))
	return e
}

// callError classifies a failed HTTP call or body read: the caller's
// context ending is returned as is (and is not retried), the per-call
// timeout becomes ErrTimeout, anything else ErrNetwork.
func (c *Client) callError(ctx, callCtx context.Context, err error) error {
	err = c.redactURLError(err)
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", context.Cause(ctx), err)
	}
	var ne net.Error
	if errors.Is(callCtx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("%w after %s: %w", ErrTimeout, c.timeout, err)
	}
	return fmt.Errorf("%w: %w", ErrNetwork, err)
}

// redactURLError rewrites the URL a *url.Error carries (the request URL,
// access key included) with the key replaced.
func (c *Client) redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: c.redactString(redactURL(ue.URL)), Err: ue.Err}
	}
	return err
}

// redact returns err with the access key removed from its message, the
// chain kept for errors.Is and errors.As.
func (c *Client) redact(err error) error { return c.redactor.Error(err) }

// redactString replaces the access key, raw or URL-escaped, in s.
func (c *Client) redactString(s string) string { return c.redactor.String(s) }

// redactURL replaces the access-key parameter of a URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	if _, ok := q["access-key"]; !ok {
		return raw
	}
	q.Set("access-key", redactedValue)
	u.RawQuery = q.Encode()
	return u.String()
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
