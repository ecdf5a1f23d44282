package saramin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/retry"
	"jobpulse/pkg/secret"
)

// Defaults used for the zero values of Config.
const (
	DefaultBaseURL        = "https://oapi.saramin.co.kr"
	DefaultTimeout        = 20 * time.Second
	DefaultRatePerSecond  = 2.0
	DefaultMaxTries       = 5
	DefaultMaxElapsed     = 2 * time.Minute
	DefaultInitialBackoff = 500 * time.Millisecond
	DefaultMaxBackoff     = 30 * time.Second
)

// maxBodyBytes bounds the answer read into memory. A full page of 110
// postings is about 200 KB.
const maxBodyBytes = 32 << 20

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
	// redirects only within the same host: see apicall.Config).
	HTTPClient *http.Client
}

// String describes the configuration with the access key redacted, so a
// Config can be logged safely.
func (c Config) String() string {
	key := ""
	if c.AccessKey != "" {
		key = secret.Mask
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
	api            *apicall.Caller
	maxTries       uint
	maxElapsed     time.Duration
	initialBackoff time.Duration
	maxBackoff     time.Duration
}

// Calls counts the HTTP calls made so far, retries included: each counts
// against the key's daily quota.
func (c *Client) Calls() int64 { return c.api.Calls() }

// New checks cfg, fills in the defaults and returns a Client. It fails when
// the access key is empty or the base URL is not an absolute http(s) URL.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.AccessKey) == "" {
		return nil, errors.New("saramin.New: empty access key")
	}
	base, err := apicall.BaseURL(cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, fmt.Errorf("saramin.New: %w", err)
	}
	c := &Client{
		endpoint: base + "/job-search",
		key:      cfg.AccessKey,
		api: apicall.New(apicall.Config{
			Key: cfg.AccessKey, Timeout: orDefault(cfg.Timeout, DefaultTimeout),
			RatePerSecond: cfg.RatePerSecond, DefaultRate: DefaultRatePerSecond, Burst: cfg.Burst,
			MaxBody: maxBodyBytes, Accept: "application/json", Classify: classify, HTTPClient: cfg.HTTPClient,
		}),
		maxTries:       cfg.MaxTries,
		maxElapsed:     orDefault(cfg.MaxElapsed, DefaultMaxElapsed),
		initialBackoff: orDefault(cfg.InitialBackoff, DefaultInitialBackoff),
		maxBackoff:     orDefault(cfg.MaxBackoff, DefaultMaxBackoff),
	}
	if c.maxTries == 0 {
		c.maxTries = DefaultMaxTries
	}
	if c.maxBackoff < c.initialBackoff {
		c.maxBackoff = c.initialBackoff
	}
	return c, nil
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
// fail at once. Errors match ErrInvalidKey and the sentinels of package
// apicall with errors.Is and never contain the access key.
func (c *Client) Search(ctx context.Context, q Query) (*Page, error) {
	vals, err := q.Values()
	if err != nil {
		return nil, fmt.Errorf("saramin search page %d: %w", q.Start, err)
	}
	vals.Set("access-key", c.key)
	reqURL := c.endpoint + "?" + vals.Encode()

	p, tries, err := retry.Do(ctx, retry.Policy{
		Initial: c.initialBackoff, Max: c.maxBackoff, MaxTries: c.maxTries, MaxElapsed: c.maxElapsed,
		Retryable: apicall.Retryable, Wait: apicall.RetryAfter,
	}, func() (*Page, error) { return c.fetch(ctx, reqURL, q.Start) })
	if err != nil {
		return nil, fmt.Errorf("saramin search page %d (%d %s): %w", q.Start, tries, plural(tries, "try", "tries"), err)
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
	r, err := c.api.Do(ctx, op, http.MethodGet, reqURL)
	if err != nil {
		return nil, err
	}
	if r.Status < 200 || r.Status > 299 {
		return nil, c.apiError(r)
	}
	return c.decode(r, start)
}

// op names the endpoint in errors.
const op = "job-search"

// envelope is a job-search answer or an error body: the API's error body is
// {"code": N, "message": "..."}.
type envelope struct {
	Response
	Code    Flex `json:"code"`
	Message Flex `json:"message"`
}

// decode reads a 2xx body into a Page.
func (c *Client) decode(r *apicall.Response, start int) (*Page, error) {
	body := r.Body
	var env envelope
	var drift []string
	if trimmed := TrimBOM(body); len(trimmed) < len(body) {
		body, drift = trimmed, append(drift, "answer began with a byte-order mark, dropped")
	}
	if err := json.Unmarshal(body, &env); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("%w: %d bytes: %v", apicall.ErrTruncated, len(body), err)
		}
		return nil, fmt.Errorf("decode answer: %w", err)
	}
	j := env.Jobs
	if j.Job == nil && !j.Total.Valid && !j.Count.Valid {
		if env.Code.Valid || env.Message.Valid {
			return nil, c.api.Fail(op, r, env.Code.S, env.Message.S)
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
func (c *Client) apiError(r *apicall.Response) error {
	var eb struct {
		Code    Flex `json:"code"`
		Message Flex `json:"message"`
	}
	if json.Unmarshal(r.Body, &eb) == nil && (eb.Code.Valid || eb.Message.Valid) {
		return c.api.Fail(op, r, eb.Code.S, eb.Message.S)
	}
	return c.api.Fail(op, r, "", strings.TrimSpace(string(r.Body)))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
