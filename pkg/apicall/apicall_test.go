package apicall_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"jobpulse/pkg/apicall"
)

// key holds characters that URL encoding changes, so redaction is checked
// in every form.
const key = "sk-TEST+secret/KEY=42"

// errOwn is an API's own sentinel, as a client declares one.
var errOwn = apicall.Fatal("own: key refused")

func newCaller(t *testing.T, cfg apicall.Config) *apicall.Caller {
	t.Helper()
	cfg.Key = key
	cfg.RatePerSecond = -1
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	return apicall.New(cfg)
}

// serve starts a server with handler h and returns the URL of a request
// carrying the key in its query string.
func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/search?" + url.Values{"access-key": {key}, "q": {"go"}}.Encode()
}

// noKey fails when s shows the key in any form.
func noKey(t *testing.T, s string) {
	t.Helper()
	for _, f := range []string{key, url.QueryEscape(key), url.PathEscape(key), "secret"} {
		if strings.Contains(s, f) {
			t.Errorf("%q shows the key (as %q)", s, f)
		}
	}
}

func TestStatusClasses(t *testing.T) {
	t.Parallel()
	// Classify knows one code and 401; everything else falls back on the
	// status classes.
	classify := func(e *apicall.APIError) error {
		if e.Code == "7" || e.Status == http.StatusUnauthorized {
			return errOwn
		}
		return nil
	}
	tests := []struct {
		status    int
		code      string
		want      error
		retryable bool
	}{
		{http.StatusTooManyRequests, "", apicall.ErrRateLimited, true},
		{http.StatusInternalServerError, "", apicall.ErrServer, true},
		{http.StatusServiceUnavailable, "", apicall.ErrServer, true},
		{http.StatusRequestTimeout, "", apicall.ErrTimeout, true},
		{http.StatusBadRequest, "", apicall.ErrBadRequest, false},
		{http.StatusUnauthorized, "", errOwn, false},
		{http.StatusTooManyRequests, "7", errOwn, false},
		{http.StatusOK, "7", errOwn, false},
		{http.StatusNotFound, "", nil, false},
		{http.StatusOK, "99", nil, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d code %q", tt.status, tt.code), func(t *testing.T) {
			t.Parallel()
			u := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				fmt.Fprintf(w, "failed for %s", r.URL) // echoes the key
			})
			c := newCaller(t, apicall.Config{Classify: classify})
			r, err := c.Do(t.Context(), "search", http.MethodGet, u)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d", r.Status, tt.status)
			}
			err = fmt.Errorf("wrapped: %w", c.Fail("search", r, tt.code, string(r.Body)))
			var ae *apicall.APIError
			if !errors.As(err, &ae) || ae.Kind != tt.want || ae.Status != tt.status || ae.Code != tt.code {
				t.Fatalf("error %v: kind %v, want %v", err, ae.Kind, tt.want)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.want)
			}
			if got := apicall.Retryable(err); got != tt.retryable {
				t.Errorf("Retryable(%v) = %v, want %v", err, got, tt.retryable)
			}
			noKey(t, err.Error())
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		min    time.Duration
		max    time.Duration
	}{
		{"absent", "", 0, 0},
		{"seconds", "120", 120 * time.Second, 120 * time.Second},
		{"zero", "0", 0, 0},
		{"negative", "-5", 0, 0},
		{"HTTP date", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), 58 * time.Minute, time.Hour},
		{"HTTP date in the past", time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0, 0},
		{"unreadable", "soon", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(http.StatusTooManyRequests)
			})
			c := newCaller(t, apicall.Config{})
			r, err := c.Do(t.Context(), "search", http.MethodGet, u)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			err = fmt.Errorf("wrapped: %w", c.Fail("search", r, "", ""))
			if got := apicall.RetryAfter(err); got < tt.min || got > tt.max {
				t.Errorf("RetryAfter = %v, want %v to %v", got, tt.min, tt.max)
			}
		})
	}
	if apicall.RetryAfter(errors.New("other")) != 0 || apicall.RetryAfter(nil) != 0 {
		t.Error("RetryAfter of an error without an *APIError is not 0")
	}
}

// eachError calls f with err and every error it wraps, through both
// forms of Unwrap.
func eachError(err error, f func(error)) {
	if err == nil {
		return
	}
	f(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		eachError(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			eachError(e, f)
		}
	}
}

// TestTransportErrors provokes every failure below HTTP and checks its
// class, its retry class and that no error shows the key.
func TestTransportErrors(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL + "/search?access-key=" + url.QueryEscape(key)
	closed.Close()
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		url       string // instead of a server's
		maxBody   int64
		want      error
		retryable bool
	}{
		{name: "connection refused", url: closedURL, want: apicall.ErrNetwork, retryable: true},
		{name: "bad URL", url: "http://a b/?access-key=" + key, want: nil},
		{name: "timeout", want: apicall.ErrTimeout, retryable: true, handler: func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}},
		{name: "timeout in the body", want: apicall.ErrTimeout, retryable: true, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("{"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
		{name: "body cut short", want: apicall.ErrTruncated, retryable: true, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			fmt.Fprintf(w, "partial %s", r.URL)
		}},
		{name: "redirect loop", want: apicall.ErrNetwork, retryable: true, handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
		}},
		{name: "body too large", maxBody: 16, want: apicall.ErrShape, handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "a long answer for %s", r.URL)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := tt.url
			if tt.handler != nil {
				u = serve(t, tt.handler)
			}
			c := newCaller(t, apicall.Config{Timeout: 100 * time.Millisecond, MaxBody: tt.maxBody})
			_, err := c.Do(t.Context(), "search", http.MethodGet, u)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			if got := apicall.Retryable(err); got != tt.retryable {
				t.Errorf("Retryable(%v) = %v, want %v", err, got, tt.retryable)
			}
			noKey(t, fmt.Sprintf("%+v", err))
			// Nowhere in the chain either, for whoever unwraps it.
			eachError(err, func(e error) { noKey(t, e.Error()) })
		})
	}
}

func TestContextCancelled(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	u := serve(t, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	})
	c := newCaller(t, apicall.Config{Timeout: time.Minute})
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-arrived; cancel() }()
	_, err := c.Do(ctx, "search", http.MethodGet, u)
	if !errors.Is(err, context.Canceled) || errors.Is(err, apicall.ErrNetwork) || apicall.Retryable(err) {
		t.Fatalf("error %v, want context.Canceled, not retryable", err)
	}
	noKey(t, err.Error())
	// Already cancelled: no call is made.
	if _, err := c.Do(ctx, "search", http.MethodGet, u); !errors.Is(err, context.Canceled) || c.Calls() != 1 {
		t.Errorf("after cancel: %v, %d calls; want context.Canceled and 1 call", err, c.Calls())
	}
}

func TestRedirectToAnotherHost(t *testing.T) {
	t.Parallel()
	var reached atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Store(true) }))
	t.Cleanup(other.Close)
	u := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusFound)
	})
	c := newCaller(t, apicall.Config{})
	r, err := c.Do(t.Context(), "search", http.MethodGet, u)
	if err != nil || r.Status != http.StatusFound || reached.Load() {
		t.Fatalf("Do = %v, %v; other host reached %v: want the 302 itself", r, err, reached.Load())
	}
	if err := c.Fail("search", r, "", ""); apicall.Retryable(err) || err.Kind != nil {
		t.Errorf("redirect elsewhere %v: want fatal with no kind", err)
	}
}

func TestRetryable(t *testing.T) {
	t.Parallel()
	own := apicall.Transient("own: token rejected")
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("other"), false},
		{context.Canceled, false},
		{fmt.Errorf("%w (%w)", context.Canceled, apicall.ErrNetwork), false},
		{fmt.Errorf("x: %w", apicall.ErrNetwork), true},
		{fmt.Errorf("x: %w", own), true},
		{fmt.Errorf("x: %w", errOwn), false},
		{fmt.Errorf("x: %w", apicall.ErrQuotaExceeded), false},
		{&apicall.ShapeError{Op: "x", Reason: "y"}, false},
		{&apicall.APIError{Status: 404}, false},
	}
	for _, tt := range tests {
		if got := apicall.Retryable(tt.err); got != tt.want {
			t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, want string
		ok        bool
	}{
		{"", "https://api.test", true},
		{"http://api.test/rest/", "http://api.test/rest", true},
		{"api.test", "", false},
		{"ftp://api.test", "", false},
		{"https://api.test/?access-key=" + key, "", false},
		{"https://user:" + key + "@api.test", "", false},
	}
	for _, tt := range tests {
		got, err := apicall.BaseURL(tt.raw, "https://api.test")
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("BaseURL(%q) = %q, %v; want %q, ok %v", tt.raw, got, err, tt.want, tt.ok)
		}
		if err != nil {
			noKey(t, err.Error())
		}
	}
}
