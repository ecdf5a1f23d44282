// Package apicall is the HTTP layer every source API client (Saramin,
// Google Trends, Q-Net) calls through: one call with the caller's context,
// a rate limiter and a per-call timeout; transport failures classified as
// timeouts or network errors; HTTP statuses mapped to retry classes;
// Retry-After read; and the API key redacted from every error it returns.
// The sentinel errors here mean the same thing whichever API failed; a
// client declares its API's own answers (error codes in a body, a refused
// token) with Fatal and Transient, and Retryable tells them apart.
package apicall

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// sentinel is an error callers test with errors.Is, with its retry class.
type sentinel struct {
	msg       string
	transient bool
}

func (s *sentinel) Error() string { return s.msg }

// Fatal returns a new sentinel error that Retryable calls final: retrying
// cannot help.
func Fatal(msg string) error { return &sentinel{msg: msg} }

// Transient returns a new sentinel error that Retryable calls worth
// another try.
func Transient(msg string) error { return &sentinel{msg: msg, transient: true} }

// The sentinels every API shares. Errors a Caller returns match one of
// them, or an API's own, with errors.Is.
var (
	// ErrRateLimited means the API asked to slow down (HTTP 429 without an
	// API code that says more). Retried, honouring Retry-After.
	ErrRateLimited = Transient("rate limited")
	// ErrServer means the API failed on its side (HTTP 5xx, or an API code
	// that says so). Retried.
	ErrServer = Transient("server error")
	// ErrTimeout means one call took longer than its timeout, or the server
	// answered 408. Retried.
	ErrTimeout = Transient("request timed out")
	// ErrNetwork means a call failed below HTTP: connection refused or
	// reset, DNS failure, too many redirects. Retried.
	ErrNetwork = Transient("network error")
	// ErrTruncated means the answer was cut short while it was read, or
	// was not valid JSON or XML. Retried.
	ErrTruncated = Transient("truncated or invalid response body")
	// ErrBadRequest means the request was malformed (HTTP 400, an API code
	// that says so, or a request that failed validation before it was
	// sent). Fatal.
	ErrBadRequest = Fatal("bad request")
	// ErrQuotaExceeded means the key's daily quota is spent. Fatal for this
	// run: the next one resumes.
	ErrQuotaExceeded = Fatal("daily quota exceeded")
	// ErrShape means an answer arrived whole but could not be understood.
	// Fatal for that request: quarantine the body (ShapeError.Body).
	ErrShape = Fatal("response shape not understood")
)

// Retryable reports whether err is worth another try: the first sentinel
// in its chain is transient. A cancelled context, a fatal sentinel and an
// error with no sentinel are not.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var s *sentinel
	return errors.As(err, &s) && s.transient
}

// RetryAfter returns the delay an *APIError in err asked for with
// Retry-After (0 when none), for retry.Policy.Wait.
func RetryAfter(err error) time.Duration {
	var e *APIError
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// APIError is a failure the API answered: a non-2xx status, or an error
// code in a body (which may come with status 200). It unwraps to its Kind.
type APIError struct {
	// Op names the endpoint or operation called ("job-search",
	// "multiline", "getEventYearPiList").
	Op string
	// Status is the HTTP status code.
	Status int
	// Code is the API's error code as text ("" when the answer had none).
	Code string
	// Message is the API's error message, or the start of the body, with
	// the key redacted.
	Message string
	// RetryAfter is the delay the Retry-After header asked for (0 when
	// absent).
	RetryAfter time.Duration
	// Kind is the sentinel the failure maps to, nil for none (an unknown
	// 4xx, an unknown code).
	Kind error
}

// Error describes the failure with its kind, status, code and message.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Status != 0 { // 0: an answer read from the lake, not a live call
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	} else {
		b.WriteString(": answer")
	}
	if e.Kind != nil {
		fmt.Fprintf(&b, " (%s)", e.Kind)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %q", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// Unwrap returns the sentinel, so errors.Is matches it.
func (e *APIError) Unwrap() error { return e.Kind }

// statusKind maps an HTTP status to its shared sentinel: 429 rate limited,
// 5xx server error, 408 timeout, 400 bad request; nil for the rest.
func statusKind(status int) error {
	switch {
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500 && status <= 599:
		return ErrServer
	case status == http.StatusRequestTimeout:
		return ErrTimeout
	case status == http.StatusBadRequest:
		return ErrBadRequest
	}
	return nil
}

// ShapeError is an answer that arrived whole but could not be understood.
// It matches ErrShape.
type ShapeError struct {
	// Op names the endpoint or operation called.
	Op string
	// Reason says what was missing or unreadable.
	Reason string
	// Body is the raw body (or its start), for quarantine.
	Body []byte
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("%s: response shape not understood: %s", e.Op, e.Reason)
}

// Unwrap returns ErrShape.
func (e *ShapeError) Unwrap() error { return ErrShape }

// Config configures a Caller. Zero values take the defaults given.
type Config struct {
	// Key is the secret the requests carry (in their URLs); it is
	// redacted from every error. "" when the API takes none.
	Key string
	// Timeout bounds each call, body included. Required.
	Timeout time.Duration
	// RatePerSecond is the steady call rate: 0 takes DefaultRate, negative
	// means no limit. Burst is how many calls may go out at once (default
	// 1).
	RatePerSecond, DefaultRate float64
	Burst                      int
	// MaxBody bounds the body read into memory; a larger one is a
	// *ShapeError. Required.
	MaxBody int64
	// Accept is the Accept header sent.
	Accept string
	// Classify maps an API's failure answer to its own sentinel (a code in
	// the body, a status that means something particular to it), or
	// returns nil to fall back on statusKind. Nil: statusKind only.
	Classify func(*APIError) error
	// HTTPClient sends the requests (default: one that follows redirects
	// only within the same host, so a key in the URL never reaches another
	// server).
	HTTPClient *http.Client
}

// Caller makes the HTTP calls of one API client. It is safe for concurrent
// use; all calls share one rate limiter.
type Caller struct {
	cfg      Config
	limiter  *rate.Limiter
	redactor secret.Redactor
	calls    atomic.Int64
}

// New returns a Caller for cfg.
func New(cfg Config) *Caller {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{CheckRedirect: sameOriginRedirect}
	}
	burst := max(cfg.Burst, 1)
	limit := rate.Limit(cfg.RatePerSecond)
	switch {
	case cfg.RatePerSecond < 0:
		limit = rate.Inf
	case cfg.RatePerSecond == 0:
		limit = rate.Limit(cfg.DefaultRate)
	}
	return &Caller{cfg: cfg, limiter: rate.NewLimiter(limit, burst), redactor: secret.NewRedactor(cfg.Key)}
}

// sameOriginRedirect follows redirects only within the original host and
// scheme, or up from http to https. A redirect elsewhere is answered with
// the redirect response itself, which becomes an *APIError with no kind:
// fatal.
func sameOriginRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	from := via[0].URL
	if req.URL.Host != from.Host || (req.URL.Scheme != from.Scheme && req.URL.Scheme != "https") {
		return http.ErrUseLastResponse
	}
	return nil
}

// BaseURL checks an API's base URL (def when raw is "") and returns it
// without a trailing slash. It must be an absolute http(s) URL carrying
// neither a query nor credentials; the error never echoes it, since a
// misconfigured one could hold the key.
func BaseURL(raw, def string) (string, error) {
	if raw == "" {
		raw = def
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("base URL is not an absolute http(s) URL")
	}
	if u.RawQuery != "" || u.User != nil {
		return "", fmt.Errorf("base URL %s://%s must carry neither a query nor credentials", u.Scheme, u.Host)
	}
	return strings.TrimRight(raw, "/"), nil
}

// Calls counts the HTTP calls made so far, retries included.
func (c *Caller) Calls() int64 { return c.calls.Load() }

// Response is a whole answer, whatever its status.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Fail returns the *APIError of an answer, with the API's code and message
// (the message redacted and shortened) and the kind Classify or statusKind
// gives it.
func (c *Caller) Fail(op string, r *Response, code, message string) *APIError {
	e := &APIError{Op: op, Status: r.Status, Code: code, Message: shorten(c.redactor.String(message), 300),
		RetryAfter: retry.After(r.Header)}
	if c.cfg.Classify != nil {
		e.Kind = c.cfg.Classify(e)
	}
	if e.Kind == nil {
		e.Kind = statusKind(e.Status)
	}
	return e
}

// Do makes one call: it waits on the rate limiter, sends the request
// bounded by the timeout and reads the whole body. Any answer is returned,
// whatever its status (see Fail). Errors wrap the caller's context error
// when it ended (not retried), ErrTimeout, ErrNetwork, ErrTruncated (the
// body was cut short) or ErrShape (the body was too large); none holds the
// key.
func (c *Caller) Do(ctx context.Context, op, method, url string) (*Response, error) {
	r, err := c.do(ctx, method, url)
	if err != nil {
		return nil, c.redactor.Error(fmt.Errorf("%s: %w", op, err))
	}
	if int64(len(r.Body)) > c.cfg.MaxBody {
		return nil, &ShapeError{Op: op, Reason: fmt.Sprintf("body larger than %d bytes", c.cfg.MaxBody),
			Body: []byte(c.redactor.String(string(r.Body[:min(len(r.Body), 1024)])))}
	}
	return r, nil
}

func (c *Caller) do(ctx context.Context, method, url string) (*Response, error) {
	if err := c.limiter.Wait(ctx); err != nil {
		return nil, fmt.Errorf("rate limiter: %w", err)
	}
	callCtx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(callCtx, method, url, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", c.redactor.Error(err))
	}
	if c.cfg.Accept != "" {
		req.Header.Set("Accept", c.cfg.Accept)
	}
	c.calls.Add(1)
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		// The URL of net/http's error holds the key: cleaned here, before the
		// wrapping errors below copy its message.
		return nil, c.callError(ctx, callCtx, c.redactor.Error(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBody+1))
	if err != nil {
		if ce := c.callError(ctx, callCtx, err); !errors.Is(ce, ErrNetwork) {
			return nil, ce
		}
		return nil, fmt.Errorf("%w: reading body after %d bytes: %w", ErrTruncated, len(body), err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// callError classifies a failed call or body read: the caller's context
// ending is returned as is (and is not retried), the per-call timeout
// becomes ErrTimeout, anything else ErrNetwork.
func (c *Caller) callError(ctx, callCtx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", context.Cause(ctx), err)
	}
	var ne net.Error
	if errors.Is(callCtx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("%w after %s: %w", ErrTimeout, c.cfg.Timeout, err)
	}
	return fmt.Errorf("%w: %w", ErrNetwork, err)
}

// shorten cuts s to n runes.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
