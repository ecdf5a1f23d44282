package trends

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"

	"jobpulse/pkg/apicall"

	"jobpulse/pkg/kst"
	"jobpulse/pkg/retry"
)

// Defaults used for the zero values of Config.
const (
	DefaultBaseURL        = "https://trends.google.com"
	DefaultGeo            = "KR"
	DefaultHL             = "ko"
	DefaultTZ             = -540 // minutes, opposite sign: KST is UTC+9
	DefaultTimeout        = 30 * time.Second
	DefaultRatePerSecond  = 0.2 // one call every 5 s: the limit is unknown and aggressive
	DefaultMaxTries       = 5
	DefaultMaxElapsed     = 5 * time.Minute
	DefaultInitialBackoff = 5 * time.Second
	DefaultMaxBackoff     = 90 * time.Second
	// MaxKeywords is the most keywords one request may compare.
	MaxKeywords = 5
)

const maxBodyBytes = 8 << 20

// Config configures a Client. Zero values take the defaults above.
type Config struct {
	BaseURL  string // scheme and host (default DefaultBaseURL)
	Geo      string // default "KR"
	HL       string // default "ko"
	TZ       *int   // minutes west of UTC (default -540)
	Category int    // explore category (default 0: all)
	Property string // "" (web search), "images", "news", "youtube", "froogle"
	// ExploreMethod is GET (default) or POST (what pytrends uses since 2023).
	ExploreMethod  string
	Timeout        time.Duration // per HTTP call
	RatePerSecond  float64       // negative: no limit
	Burst          int           // default 1
	MaxTries       uint          // per Interest call, the first included
	MaxElapsed     time.Duration
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	// HTTPClient sends the requests (default: a client with a cookie jar,
	// so the NID cookie Google sets is sent back).
	HTTPClient *http.Client
}

// Client fetches interest over time. Safe for concurrent use; all calls
// share one rate limiter.
type Client struct {
	base, geo, hl, tz, property, exploreMethod string
	category                                   int
	api                                        *apicall.Caller
	maxElapsed, initial, maxBackoff            time.Duration
	maxTries                                   uint
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := apicall.BaseURL(cfg.BaseURL, DefaultBaseURL)
	if err != nil {
		return nil, fmt.Errorf("trends.New: %w", err)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		jar, _ := cookiejar.New(nil)
		hc = &http.Client{Jar: jar}
	}
	c := &Client{
		base: base, geo: cmp.Or(cfg.Geo, DefaultGeo), hl: cmp.Or(cfg.HL, DefaultHL),
		tz: strconv.Itoa(DefaultTZ), property: cfg.Property, category: cfg.Category,
		exploreMethod: strings.ToUpper(cmp.Or(cfg.ExploreMethod, http.MethodGet)),
		api: apicall.New(apicall.Config{Timeout: orDur(cfg.Timeout, DefaultTimeout),
			RatePerSecond: cfg.RatePerSecond, DefaultRate: DefaultRatePerSecond, Burst: cfg.Burst,
			MaxBody: maxBodyBytes, Accept: "application/json, text/javascript, */*", Classify: classify, HTTPClient: hc}),
		maxElapsed: orDur(cfg.MaxElapsed, DefaultMaxElapsed), initial: orDur(cfg.InitialBackoff, DefaultInitialBackoff),
		maxBackoff: orDur(cfg.MaxBackoff, DefaultMaxBackoff), maxTries: cfg.MaxTries,
	}
	if c.exploreMethod != http.MethodGet && c.exploreMethod != http.MethodPost {
		return nil, fmt.Errorf("trends.New: ExploreMethod %q: want GET or POST", cfg.ExploreMethod)
	}
	if cfg.TZ != nil {
		c.tz = strconv.Itoa(*cfg.TZ)
	}
	if c.maxTries == 0 {
		c.maxTries = DefaultMaxTries
	}
	if c.maxBackoff < c.initial {
		c.maxBackoff = c.initial
	}
	return c, nil
}

func orDur(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Series is the interest over time of one request.
type Series struct {
	Keywords []string // in request order; Point.Values follow it
	Geo      string
	// Window is the time parameter sent ("2024-01-01 2024-12-31", KST dates).
	Window     string
	From, To   time.Time
	Resolution string // from the widget request ("WEEK", "DAY", ...), "" if absent
	UserType   string // widget request userConfig.userType, e.g. USER_TYPE_SCRAPER
	Points     []Point
	Averages   []int // default.averages when present
	// Anchor, AnchorMean and Scale are set by Normalize (Scale 0 means not
	// normalized).
	Anchor     string
	AnchorMean float64
	Scale      float64
	// Synthetic is true when the answer said it was synthetic (the
	// emulator's syntheticData field; Google never sends it).
	Synthetic bool
	// Warnings lists the shape changes tolerated while decoding.
	Warnings []string
	// RawExplore and RawMultiline are the bodies as received, for the lake.
	RawExplore, RawMultiline []byte
	// ExploreURL and MultilineURL are the URLs called (no secrets in them).
	ExploreURL, MultilineURL string
	FetchedAt                time.Time
}

// Point is one period.
type Point struct {
	Time      time.Time // period start, UTC
	Values    []int     // 0-100, one per keyword
	HasData   []bool    // one per keyword
	IsPartial bool      // the period is not over: provisional
	Scaled    []float64 // Values * Series.Scale, set by Normalize
}

// Interest fetches the interest over time of 1 to 5 keywords between from
// and to (calendar days in KST, both included). The first keyword is, by
// convention, the anchor shared by every request (see Groups and Normalize).
func (c *Client) Interest(ctx context.Context, keywords []string, from, to time.Time) (*Series, error) {
	if err := validate(keywords, from, to); err != nil {
		return nil, fmt.Errorf("trends.Interest %v: %w", keywords, err)
	}
	window := from.In(kst.Zone).Format(time.DateOnly) + " " + to.In(kst.Zone).Format(time.DateOnly)
	type item struct {
		Keyword string `json:"keyword"`
		Geo     string `json:"geo"`
		Time    string `json:"time"`
	}
	req := struct {
		ComparisonItem []item `json:"comparisonItem"`
		Category       int    `json:"category"`
		Property       string `json:"property"`
	}{Category: c.category, Property: c.property}
	for _, k := range keywords {
		req.ComparisonItem = append(req.ComparisonItem, item{k, c.geo, window})
	}
	reqJSON, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("trends.Interest: %w", err)
	}
	exploreURL := c.base + "/trends/api/explore?" + c.params(string(reqJSON), "")

	s, tries, err := retry.Do(ctx, retry.Policy{
		Initial: c.initial, Max: c.maxBackoff, MaxTries: c.maxTries, MaxElapsed: c.maxElapsed,
		Retryable: apicall.Retryable, Wait: apicall.RetryAfter,
	}, func() (*Series, error) { return c.attempt(ctx, exploreURL, keywords) })
	if err != nil {
		return nil, fmt.Errorf("trends.Interest %v %s (%d tries): %w", keywords, window, tries, err)
	}
	s.Geo, s.Window = c.geo, window
	s.From, s.To = from, to
	return s, nil
}

func validate(keywords []string, from, to time.Time) error {
	if len(keywords) == 0 || len(keywords) > MaxKeywords {
		return fmt.Errorf("%w: %d keywords, want 1 to %d", apicall.ErrBadRequest, len(keywords), MaxKeywords)
	}
	seen := map[string]bool{}
	for _, k := range keywords {
		if strings.TrimSpace(k) == "" || seen[k] {
			return fmt.Errorf("%w: empty or repeated keyword %q", apicall.ErrBadRequest, k)
		}
		seen[k] = true
	}
	if from.IsZero() || to.Before(from) {
		return fmt.Errorf("%w: window %v to %v", apicall.ErrBadRequest, from, to)
	}
	return nil
}

func (c *Client) params(req, token string) string {
	v := url.Values{"hl": {c.hl}, "tz": {c.tz}, "req": {req}}
	if token != "" {
		v.Set("token", token)
	}
	return v.Encode()
}

// attempt runs explore then multiline once.
func (c *Client) attempt(ctx context.Context, exploreURL string, keywords []string) (*Series, error) {
	explore, err := c.fetch(ctx, "explore", c.exploreMethod, exploreURL)
	if err != nil {
		return nil, err
	}
	w, err := decodeExplore(explore)
	if err != nil {
		return nil, err
	}
	multiURL := c.base + "/trends/api/widgetdata/multiline?" + c.params(string(w.Request), w.Token)
	multi, err := c.fetch(ctx, "multiline", http.MethodGet, multiURL)
	if err != nil {
		return nil, err
	}
	s, err := decodeMultiline(multi, len(keywords))
	if err != nil {
		return nil, err
	}
	s.Keywords = append([]string(nil), keywords...)
	s.Resolution, s.UserType = w.Resolution, w.UserType
	s.Warnings = append(w.Warnings, s.Warnings...)
	s.RawExplore, s.RawMultiline = explore, multi
	s.ExploreURL, s.MultilineURL = exploreURL, multiURL
	s.FetchedAt = time.Now()
	return s, nil
}

// fetch makes one HTTP call and returns the 2xx body.
func (c *Client) fetch(ctx context.Context, endpoint, method, u string) ([]byte, error) {
	r, err := c.api.Do(ctx, endpoint, method, u)
	if err != nil {
		return nil, err
	}
	if r.Status < 200 || r.Status > 299 {
		return nil, c.api.Fail(endpoint, r, "", strings.TrimSpace(string(r.Body)))
	}
	return r.Body, nil
}
