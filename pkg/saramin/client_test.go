package saramin_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/saramin"
)

// pageBody renders a job-search answer with n synthetic postings numbered
// from first; total is sent as a string, like the real API does.
func pageBody(start, n, first, total int) []byte {
	jobs := make([]map[string]any, n)
	for i := range jobs {
		id := first + i
		jobs[i] = map[string]any{
			"url":                    fmt.Sprintf("https://saramin.synthetic.invalid/jobs/%d", id),
			"id":                     strconv.Itoa(id),
			"position":               map[string]any{"title": fmt.Sprintf("posting %d", id)},
			"posting-timestamp":      "1632734241",
			"modification-timestamp": "1632734241",
		}
	}
	b, _ := json.Marshal(map[string]any{"jobs": map[string]any{
		"count": n, "start": start, "total": strconv.Itoa(total), "job": jobs,
	}})
	return b
}

// pagingServer serves total postings in pages of the requested count.
func pagingServer(t *testing.T, total int) *recorder {
	return serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		start, _ := strconv.Atoi(r.URL.Query().Get("start"))
		count, _ := strconv.Atoi(r.URL.Query().Get("count"))
		first := start * count
		n := max(0, min(count, total-first))
		w.Write(pageBody(start, n, first, total))
	})
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     saramin.Config
		wantErr bool
	}{
		{"defaults", saramin.Config{AccessKey: testKey}, false},
		{"empty key", saramin.Config{}, true},
		{"blank key", saramin.Config{AccessKey: "  "}, true},
		{"relative base URL", saramin.Config{AccessKey: testKey, BaseURL: "oapi.saramin.co.kr"}, true},
		{"ftp base URL", saramin.Config{AccessKey: testKey, BaseURL: "ftp://oapi.saramin.co.kr"}, true},
		{"base URL with query", saramin.Config{AccessKey: testKey, BaseURL: "https://x.test/?access-key=" + testKey}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := saramin.New(tt.cfg)
			if (err != nil) != tt.wantErr || (err == nil) != (c != nil) {
				t.Fatalf("New = %v, %v; want error %v", c, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q shows the key", err)
			}
		})
	}
}

func TestSearchRequest(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Write(pageBody(3, 1, 0, 1))
	})
	c := newClient(t, srv.URL+"/")
	q := saramin.Query{
		Keywords: "백엔드 개발", LocCd: "101000,102000", JobMidCd: "2", JobType: "1,10,2",
		PublishedMin: time.Unix(1632700000, 0), Sort: saramin.SortPostedAsc, Start: 3, Count: 50,
		Fields: []string{"posting-date", "count"},
	}
	p, err := c.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if p.Start != 3 || p.Total != 1 || len(p.Jobs) != 1 {
		t.Errorf("page = start %d total %d jobs %d", p.Start, p.Total, len(p.Jobs))
	}
	srv.mu.Lock()
	h := srv.headers[0]
	srv.mu.Unlock()
	if got := h.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q", got)
	}
	got := srv.query(0)
	want := url.Values{
		"access-key": {testKey}, "keywords": {"백엔드 개발"}, "loc_cd": {"101000,102000"}, "job_mid_cd": {"2"},
		"job_type": {"1,10,2"}, "published_min": {"1632700000"}, "sort": {"pa"}, "start": {"3"}, "count": {"50"},
		"fields": {"posting-date,count"},
	}
	if got.Encode() != want.Encode() {
		t.Errorf("query\n got %s\nwant %s", got.Encode(), want.Encode())
	}
}

func TestPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		total      int
		start      int
		count      int
		wantStarts []int
		wantJobs   int
	}{
		{"250 postings in pages of 110", 250, 0, 110, []int{0, 1, 2}, 250},
		{"count 0 means 110", 250, 0, 0, []int{0, 1, 2}, 250},
		{"resume at page 1", 250, 1, 110, []int{1, 2}, 140},
		{"exact multiple", 220, 0, 110, []int{0, 1}, 220},
		{"single short page", 5, 0, 110, []int{0}, 5},
		{"no results", 0, 0, 110, []int{0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := pagingServer(t, tt.total)
			c := newClient(t, srv.URL)
			var starts []int
			jobs := 0
			for p, err := range c.Pages(context.Background(), saramin.Query{Start: tt.start, Count: tt.count}) {
				if err != nil {
					t.Fatalf("page error: %v", err)
				}
				starts = append(starts, p.Start)
				jobs += len(p.Jobs)
				for _, raw := range p.Jobs {
					if _, err := saramin.ParseJob(raw); err != nil {
						t.Fatalf("ParseJob: %v", err)
					}
				}
			}
			if fmt.Sprint(starts) != fmt.Sprint(tt.wantStarts) || jobs != tt.wantJobs {
				t.Errorf("pages %v with %d jobs, want %v with %d", starts, jobs, tt.wantStarts, tt.wantJobs)
			}
			if srv.count() != len(tt.wantStarts) {
				t.Errorf("%d requests, want %d", srv.count(), len(tt.wantStarts))
			}
			for i := range srv.count() {
				if got := srv.query(i).Get("count"); got != "110" {
					t.Errorf("request %d count = %q, want 110", i, got)
				}
			}
		})
	}
}

func TestPagesStops(t *testing.T) {
	t.Parallel()
	t.Run("empty page before total", func(t *testing.T) {
		srv := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 0 {
				w.Write(pageBody(0, 110, 0, 1000))
				return
			}
			w.Write(pageBody(n, 0, 0, 1000))
		})
		c := newClient(t, srv.URL)
		pages := 0
		for _, err := range c.Pages(context.Background(), saramin.Query{}) {
			if err != nil {
				t.Fatal(err)
			}
			pages++
		}
		if pages != 2 || srv.count() != 2 {
			t.Errorf("%d pages, %d requests; want 2, 2", pages, srv.count())
		}
	})
	t.Run("loop break", func(t *testing.T) {
		srv := pagingServer(t, 1000)
		c := newClient(t, srv.URL)
		for range c.Pages(context.Background(), saramin.Query{}) {
			break
		}
		if srv.count() != 1 {
			t.Errorf("%d requests after break, want 1", srv.count())
		}
	})
	t.Run("error ends the walk", func(t *testing.T) {
		srv := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 0 {
				w.Write(pageBody(0, 110, 0, 1000))
				return
			}
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"code":2,"message":"daily limit exceeded"}`))
		})
		c := newClient(t, srv.URL)
		var errs []error
		pages := 0
		for p, err := range c.Pages(context.Background(), saramin.Query{}) {
			if err != nil {
				if p != nil {
					t.Error("page with an error")
				}
				errs = append(errs, err)
				continue
			}
			pages++
		}
		if pages != 1 || len(errs) != 1 || !errors.Is(errs[0], apicall.ErrQuotaExceeded) {
			t.Fatalf("pages %d, errors %v", pages, errs)
		}
		if !strings.Contains(errs[0].Error(), "saramin search page 1") {
			t.Errorf("error %q does not name the page", errs[0])
		}
		if srv.count() != 2 {
			t.Errorf("%d requests, want 2", srv.count())
		}
	})
}

func TestSearchRetries(t *testing.T) {
	t.Parallel()
	good := pageBody(0, 3, 0, 3)
	tests := []struct {
		name    string
		fail    func(w http.ResponseWriter)
		fails   int
		wantReq int
	}{
		{"503 twice then success", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}, 2, 3},
		{"500 with an HTML page", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte("<html>Internal Server Error</html>"))
		}, 1, 2},
		{"429 without code", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"message":"too many requests"}`))
		}, 2, 3},
		{"body shorter than Content-Length", func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", strconv.Itoa(len(good)))
			w.Write(good[:len(good)/2])
		}, 1, 2},
		{"JSON cut short", func(w http.ResponseWriter) {
			w.Write(good[:len(good)-10])
		}, 1, 2},
		{"not JSON at all", func(w http.ResponseWriter) {
			w.Write([]byte("<?xml version=\"1.0\"?><job-search/>"))
		}, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
				if n < tt.fails {
					tt.fail(w)
					return
				}
				w.Write(good)
			})
			c := newClient(t, srv.URL)
			p, err := c.Search(context.Background(), saramin.Query{})
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			if len(p.Jobs) != 3 {
				t.Errorf("%d jobs, want 3", len(p.Jobs))
			}
			if srv.count() != tt.wantReq {
				t.Errorf("%d requests, want %d", srv.count(), tt.wantReq)
			}
		})
	}
}

func TestSearchRetryAfter(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var arrivals []time.Time
	srv := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		if n == 0 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"message":"too many requests"}`))
			return
		}
		w.Write(pageBody(0, 1, 0, 1))
	})
	// The backoff alone would wait at most 5ms: a second's gap can only
	// come from Retry-After.
	c := newClient(t, srv.URL)
	if _, err := c.Search(context.Background(), saramin.Query{}); err != nil {
		t.Fatalf("Search: %v", err)
	}
	if srv.count() != 2 {
		t.Fatalf("%d requests, want 2", srv.count())
	}
	if gap := arrivals[1].Sub(arrivals[0]); gap < 900*time.Millisecond {
		t.Errorf("retried after %v, want Retry-After's 1s honoured", gap)
	}
}

// TestSearchErrors provokes each kind of failure and checks its sentinel,
// its retry class, the requests made (MaxTries is 3) and that no error
// shows the access key, raw or URL-encoded, though the server echoes it.
func TestSearchErrors(t *testing.T) {
	t.Parallel()
	type handler = func(int, http.ResponseWriter, *http.Request)
	respond := func(status int, body string) handler {
		return func(_ int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(body))
		}
	}
	echo := func(status int) handler {
		return func(_ int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"code":3,"message":"bad request %s key=%s"}`, r.URL.String(), r.URL.Query().Get("access-key"))
		}
	}
	hang := func(_ int, w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	body := pageBody(0, 3, 0, 3)
	tests := []struct {
		name      string
		handler   handler // nil: the server is closed before the call
		want      error   // nil: no sentinel
		retryable bool
		requests  int
		status    int    // of the *APIError, 0: none expected
		code      string // of the *APIError
		timeout   time.Duration
	}{
		// Saramin's own answers: fatal at once.
		{name: "invalid key code 1", handler: respond(401, `{"code":1,"message":"invalid access key"}`), want: saramin.ErrInvalidKey, requests: 1, status: 401, code: "1"},
		{name: "invalid key code as string, status 200", handler: respond(200, `{"code":"1","message":"invalid access key"}`), want: saramin.ErrInvalidKey, requests: 1, status: 200, code: "1"},
		{name: "403 without body", handler: respond(403, ``), want: saramin.ErrInvalidKey, requests: 1, status: 403},
		{name: "quota code 2 with 429", handler: respond(429, `{"code":2,"message":"exceeded"}`), want: apicall.ErrQuotaExceeded, requests: 1, status: 429, code: "2"},
		{name: "quota code 2 with 200", handler: respond(200, `{"code":2,"message":"exceeded"}`), want: apicall.ErrQuotaExceeded, requests: 1, status: 200, code: "2"},
		{name: "quota code with spaces", handler: respond(200, `{"code":" 02 "}`), want: apicall.ErrQuotaExceeded, requests: 1, status: 200, code: " 02 "},
		{name: "quota by message", handler: respond(403, `{"message":"Daily limit exceeded"}`), want: apicall.ErrQuotaExceeded, requests: 1, status: 403},
		{name: "quota by message with 429", handler: respond(429, `{"message":"quota exhausted"}`), want: apicall.ErrQuotaExceeded, requests: 1, status: 429},
		{name: "quota by Korean message", handler: respond(429, `{"message":"일일 호출 한도를 초과했습니다"}`), want: apicall.ErrQuotaExceeded, requests: 1, status: 429},
		{name: "bad parameter code 3", handler: respond(400, `{"code":3,"message":"invalid parameter: count"}`), want: apicall.ErrBadRequest, requests: 1, status: 400, code: "3"},
		{name: "code 3 wins over 401", handler: respond(401, `{"code":3}`), want: apicall.ErrBadRequest, requests: 1, status: 401, code: "3"},
		{name: "bad parameter 400 without code", handler: respond(400, `bad request`), want: apicall.ErrBadRequest, requests: 1, status: 400},
		{name: "unknown 404", handler: respond(404, `not found`), requests: 1, status: 404},
		{name: "unknown code with 200", handler: respond(200, `{"code":99}`), requests: 1, status: 200, code: "99"},
		{name: "error body echoes the URL", handler: echo(400), want: apicall.ErrBadRequest, requests: 1, status: 400, code: "3"},
		{name: "200 error body echoes the URL", handler: echo(200), want: apicall.ErrBadRequest, requests: 1, status: 200, code: "3"},
		// Answers that cannot be read: fatal.
		{name: "no jobs object", handler: respond(200, `{"result":"ok"}`), requests: 1},
		{name: "object where total expected", handler: respond(200, `{"jobs":{"count":1,"start":0,"total":{"n":1},"job":[]}}`), requests: 1},
		// Transient failures: retried until MaxTries.
		{name: "always 503", handler: respond(503, ""), want: apicall.ErrServer, retryable: true, requests: 3, status: 503},
		{name: "always 429", handler: respond(429, `{"code":"9","message":"slow down"}`), want: apicall.ErrRateLimited, retryable: true, requests: 3, status: 429, code: "9"},
		{name: "always truncated", handler: respond(200, `{"jobs":{"count":1,"job":[`), want: apicall.ErrTruncated, retryable: true, requests: 3},
		{name: "truncated after the key", want: apicall.ErrTruncated, retryable: true, requests: 3, handler: func(_ int, w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"jobs":{"total":"` + r.URL.Query().Get("access-key")))
		}},
		{name: "HTML page echoes the URL", want: apicall.ErrServer, retryable: true, requests: 3, status: 502, handler: func(_ int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html>upstream failed for %s</html>", r.URL.RequestURI())
		}},
		{name: "timeout", handler: hang, timeout: 50 * time.Millisecond, want: apicall.ErrTimeout, retryable: true, requests: 3},
		{name: "timeout in the body", timeout: 50 * time.Millisecond, want: apicall.ErrTimeout, retryable: true, requests: 3, handler: func(_ int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body[:10])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
		{name: "redirect loop", want: apicall.ErrNetwork, retryable: true, requests: 3 * 10, handler: func(_ int, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
		}},
		{name: "connection refused", want: apicall.ErrNetwork, retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
				if tt.handler != nil {
					tt.handler(n, w, r)
				}
			})
			if tt.handler == nil {
				srv.Close()
			}
			c := newClient(t, srv.URL, func(cfg *saramin.Config) {
				cfg.MaxTries = 3
				cfg.Timeout = cmp.Or(tt.timeout, cfg.Timeout)
			})
			_, err := c.Search(context.Background(), saramin.Query{})
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			if got := apicall.Retryable(err); got != tt.retryable {
				t.Errorf("Retryable(%v) = %v, want %v", err, got, tt.retryable)
			}
			if srv.count() != tt.requests {
				t.Errorf("%d requests, want %d", srv.count(), tt.requests)
			}
			if tt.retryable && !strings.Contains(err.Error(), "3 tries") {
				t.Errorf("error %q does not count the tries", err)
			}
			var apiErr *apicall.APIError
			if tt.status != 0 && (!errors.As(err, &apiErr) || apiErr.Status != tt.status || apiErr.Code != tt.code) {
				t.Errorf("error %v: want an *APIError with status %d, code %q", err, tt.status, tt.code)
			}
			noKey(t, err.Error())
			noKey(t, fmt.Sprintf("%+v", err))
			for e := err; e != nil; e = errors.Unwrap(e) {
				if ue, ok := e.(*url.Error); ok {
					noKey(t, ue.Error())
				}
			}
		})
	}
}

func TestSearchRetryAfterBeyondMaxElapsed(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newClient(t, srv.URL)
	_, err := c.Search(context.Background(), saramin.Query{})
	if !errors.Is(err, apicall.ErrRateLimited) || apicall.RetryAfter(err) != time.Hour {
		t.Fatalf("error = %v, want ErrRateLimited with RetryAfter 1h", err)
	}
	if srv.count() != 1 {
		t.Errorf("%d requests, want 1 (waiting an hour exceeds MaxElapsed)", srv.count())
	}
}

// noKey fails when s shows the access key in any form.
func noKey(t *testing.T, s string) {
	t.Helper()
	for _, f := range []string{testKey, url.QueryEscape(testKey), url.PathEscape(testKey), "secret"} {
		if strings.Contains(s, f) {
			t.Errorf("%q shows the access key (as %q)", s, f)
		}
	}
}

func TestConfigHidesKey(t *testing.T) {
	t.Parallel()
	cfg := saramin.Config{AccessKey: testKey}
	noKey(t, cfg.String())
	noKey(t, fmt.Sprintf("%v %+v %s", cfg, cfg, cfg))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "cfg", cfg)
	noKey(t, buf.String())
}

func TestRateLimiter(t *testing.T) {
	t.Parallel()
	t.Run("calls beyond the burst wait", func(t *testing.T) {
		srv := pagingServer(t, 1000)
		// One call every 10s after a burst of 2: a third call cannot go
		// out before the deadline, and the limiter says so at once.
		c := newClient(t, srv.URL, func(cfg *saramin.Config) {
			cfg.RatePerSecond = 0.1
			cfg.Burst = 2
		})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var errs []error
		for range 3 {
			_, err := c.Search(ctx, saramin.Query{})
			errs = append(errs, err)
		}
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("calls within the burst failed: %v", errs)
		}
		if errs[2] == nil || apicall.Retryable(errs[2]) {
			t.Errorf("third call error = %v, want a non-retryable limiter error", errs[2])
		}
		if srv.count() != 2 {
			t.Errorf("%d requests reached the server, want 2", srv.count())
		}
	})
	t.Run("retries wait too", func(t *testing.T) {
		srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		c := newClient(t, srv.URL, func(cfg *saramin.Config) {
			cfg.RatePerSecond = 0.1
			cfg.Burst = 2
			cfg.MaxTries = 5
		})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := c.Search(ctx, saramin.Query{}); err == nil {
			t.Fatal("no error")
		}
		if srv.count() != 2 {
			t.Errorf("%d requests reached the server, want 2 (the burst)", srv.count())
		}
	})
	t.Run("shared across pages", func(t *testing.T) {
		srv := pagingServer(t, 1000)
		c := newClient(t, srv.URL, func(cfg *saramin.Config) {
			cfg.RatePerSecond = 0.1
			cfg.Burst = 3
		})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		pages, failed := 0, 0
		for _, err := range c.Pages(ctx, saramin.Query{}) {
			if err != nil {
				failed++
				continue
			}
			pages++
		}
		if pages != 3 || failed != 1 || srv.count() != 3 {
			t.Errorf("pages %d, errors %d, requests %d; want 3, 1, 3", pages, failed, srv.count())
		}
	})
}

func TestSearchContextCancelled(t *testing.T) {
	t.Parallel()
	srv := pagingServer(t, 10)
	c := newClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Search(ctx, saramin.Query{})
	if !errors.Is(err, context.Canceled) || apicall.Retryable(err) {
		t.Fatalf("error = %v, want context.Canceled, not retryable", err)
	}
	if srv.count() != 0 {
		t.Errorf("%d requests, want 0", srv.count())
	}
}

func TestSearchCancelStopsRetries(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		cancel()
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := newClient(t, srv.URL, func(cfg *saramin.Config) { cfg.InitialBackoff = time.Minute; cfg.MaxBackoff = time.Minute })
	_, err := c.Search(ctx, saramin.Query{})
	if !errors.Is(err, context.Canceled) && !errors.Is(err, apicall.ErrServer) {
		t.Fatalf("error = %v", err)
	}
	if srv.count() != 1 {
		t.Errorf("%d requests, want 1", srv.count())
	}
}

func TestSearchUnknownTotal(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n < 2 {
			fmt.Fprintf(w, `{"jobs":{"count":1,"job":[{"id":"%d"}]}}`, n)
			return
		}
		w.Write([]byte(`{"jobs":{"count":0,"job":[]}}`))
	})
	c := newClient(t, srv.URL)
	var totals []int
	for p, err := range c.Pages(context.Background(), saramin.Query{Count: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		totals = append(totals, p.Total)
	}
	if fmt.Sprint(totals) != "[-1 -1 -1]" {
		t.Errorf("totals %v, want three pages with unknown total, ending on the empty one", totals)
	}
}

// TestSearchByteOrderMark: an answer that starts with a UTF-8 byte-order
// mark is read, not taken for a truncated body.
func TestSearchByteOrderMark(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(append([]byte("\xef\xbb\xbf"), pageBody(0, 3, 1, 3)...))
	})
	c := newClient(t, srv.URL)
	p, err := c.Search(context.Background(), saramin.Query{})
	if err != nil || len(p.Jobs) != 3 || p.Total != 3 {
		t.Fatalf("Search = %+v, %v; want the 3 postings read", p, err)
	}
	if srv.count() != 1 {
		t.Errorf("%d requests; want 1 (nothing to retry)", srv.count())
	}
}
