package saramin_test

import (
	"bytes"
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

func TestSearchRetriesExhausted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"always 503", http.StatusServiceUnavailable, "", apicall.ErrServer},
		{"always 429", http.StatusTooManyRequests, `{"code":"9","message":"slow down"}`, apicall.ErrRateLimited},
		{"always truncated", http.StatusOK, `{"jobs":{"count":1,"job":[`, apicall.ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			})
			c := newClient(t, srv.URL, func(cfg *saramin.Config) { cfg.MaxTries = 3 })
			_, err := c.Search(context.Background(), saramin.Query{})
			if !errors.Is(err, tt.want) || !apicall.Retryable(err) {
				t.Fatalf("error = %v, want %v (retryable)", err, tt.want)
			}
			if srv.count() != 3 {
				t.Errorf("%d requests, want MaxTries = 3", srv.count())
			}
			if !strings.Contains(err.Error(), "3 tries") {
				t.Errorf("error %q does not count the tries", err)
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

func TestSearchRetryAfterBeyondMaxElapsed(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newClient(t, srv.URL)
	_, err := c.Search(context.Background(), saramin.Query{})
	var apiErr *apicall.APIError
	if !errors.Is(err, apicall.ErrRateLimited) || !errors.As(err, &apiErr) || apiErr.RetryAfter != time.Hour {
		t.Fatalf("error = %v, want ErrRateLimited with RetryAfter 1h", err)
	}
	if srv.count() != 1 {
		t.Errorf("%d requests, want 1 (waiting an hour exceeds MaxElapsed)", srv.count())
	}
}

func TestSearchTimeout(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	c := newClient(t, srv.URL, func(cfg *saramin.Config) {
		cfg.Timeout = 50 * time.Millisecond
		cfg.MaxTries = 3
	})
	_, err := c.Search(context.Background(), saramin.Query{})
	if !errors.Is(err, apicall.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want ErrTimeout wrapping context.DeadlineExceeded", err)
	}
	if !apicall.Retryable(err) {
		t.Error("timeout not retryable")
	}
	if srv.count() != 3 {
		t.Errorf("%d requests, want 3", srv.count())
	}
}

func TestSearchSlowBodyTimeout(t *testing.T) {
	t.Parallel()
	body := pageBody(0, 3, 0, 3)
	srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:10])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	c := newClient(t, srv.URL, func(cfg *saramin.Config) {
		cfg.Timeout = 50 * time.Millisecond
		cfg.MaxTries = 2
	})
	_, err := c.Search(context.Background(), saramin.Query{})
	if !errors.Is(err, apicall.ErrTimeout) {
		t.Fatalf("error = %v, want ErrTimeout", err)
	}
	if srv.count() != 2 {
		t.Errorf("%d requests, want 2", srv.count())
	}
}

func TestSearchFatalErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		body       string
		want       error
		wantCode   string
		wantStatus int
	}{
		{"invalid key code 1", http.StatusUnauthorized, `{"code":1,"message":"invalid access key"}`, saramin.ErrInvalidKey, "1", 401},
		{"invalid key code as string, status 200", http.StatusOK, `{"code":"1","message":"invalid access key"}`, saramin.ErrInvalidKey, "1", 200},
		{"403 without body", http.StatusForbidden, ``, saramin.ErrInvalidKey, "", 403},
		{"quota code 2 with 429", http.StatusTooManyRequests, `{"code":2,"message":"exceeded"}`, apicall.ErrQuotaExceeded, "2", 429},
		{"quota code 2 with 200", http.StatusOK, `{"code":2,"message":"exceeded"}`, apicall.ErrQuotaExceeded, "2", 200},
		{"quota by message", http.StatusForbidden, `{"message":"Daily limit exceeded"}`, apicall.ErrQuotaExceeded, "", 403},
		{"quota by Korean message", http.StatusTooManyRequests, `{"message":"일일 호출 한도를 초과했습니다"}`, apicall.ErrQuotaExceeded, "", 429},
		{"bad parameter code 3", http.StatusBadRequest, `{"code":3,"message":"invalid parameter: count"}`, apicall.ErrBadRequest, "3", 400},
		{"bad parameter 400 without code", http.StatusBadRequest, `bad request`, apicall.ErrBadRequest, "", 400},
		{"quota code with spaces", http.StatusOK, `{"code":" 02 "}`, apicall.ErrQuotaExceeded, " 02 ", 200},
		{"quota by message with 429", http.StatusTooManyRequests, `{"message":"quota exhausted"}`, apicall.ErrQuotaExceeded, "", 429},
		{"code 3 wins over 401", http.StatusUnauthorized, `{"code":3}`, apicall.ErrBadRequest, "3", 401},
		{"unknown 404", http.StatusNotFound, `not found`, nil, "", 404},
		{"unknown code with 200", http.StatusOK, `{"code":99}`, nil, "99", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			})
			c := newClient(t, srv.URL)
			_, err := c.Search(context.Background(), saramin.Query{})
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			if apicall.Retryable(err) {
				t.Errorf("error %v retryable", err)
			}
			var apiErr *apicall.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an *APIError", err)
			}
			if apiErr.Status != tt.wantStatus || apiErr.Code != tt.wantCode {
				t.Errorf("APIError status %d code %q, want %d %q", apiErr.Status, apiErr.Code, tt.wantStatus, tt.wantCode)
			}
			if srv.count() != 1 {
				t.Errorf("%d requests, want exactly 1", srv.count())
			}
		})
	}
}

// TestAccessKeyNeverShown provokes every kind of failure and checks that
// no error message carries the access key, raw or URL-encoded.
func TestAccessKeyNeverShown(t *testing.T) {
	t.Parallel()
	forms := []string{testKey, url.QueryEscape(testKey), url.PathEscape(testKey), "secret"}
	check := func(t *testing.T, s string) {
		t.Helper()
		for _, f := range forms {
			if strings.Contains(s, f) {
				t.Errorf("%q shows the access key (as %q)", s, f)
			}
		}
	}
	echo := func(status int) func(int, http.ResponseWriter, *http.Request) {
		return func(_ int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"code":3,"message":"bad request %s key=%s"}`, r.URL.String(), r.URL.Query().Get("access-key"))
		}
	}
	tests := []struct {
		name    string
		handler func(int, http.ResponseWriter, *http.Request)
		closed  bool
		timeout time.Duration
		want    error
	}{
		{name: "connection refused", closed: true, want: apicall.ErrNetwork},
		{name: "timeout", timeout: 20 * time.Millisecond, want: apicall.ErrTimeout, handler: func(_ int, w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}},
		{name: "error body echoes the URL", handler: echo(http.StatusBadRequest), want: apicall.ErrBadRequest},
		{name: "200 error body echoes the URL", handler: echo(http.StatusOK), want: apicall.ErrBadRequest},
		{name: "HTML page echoes the URL", want: apicall.ErrServer, handler: func(_ int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html>upstream failed for %s</html>", r.URL.RequestURI())
		}},
		{name: "redirect loop", want: apicall.ErrNetwork, handler: func(_ int, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
		}},
		{name: "truncated", want: apicall.ErrTruncated, handler: func(_ int, w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"jobs":{"total":"` + r.URL.Query().Get("access-key")))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var base string
			if tt.closed {
				srv := serve(t, func(int, http.ResponseWriter, *http.Request) {})
				base = srv.URL
				srv.Close()
			} else {
				base = serve(t, tt.handler).URL
			}
			c := newClient(t, base, func(cfg *saramin.Config) {
				cfg.MaxTries = 2
				if tt.timeout > 0 {
					cfg.Timeout = tt.timeout
				}
			})
			_, err := c.Search(context.Background(), saramin.Query{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			check(t, err.Error())
			check(t, fmt.Sprintf("%+v", err))
			for e := err; e != nil; e = errors.Unwrap(e) {
				if _, ok := e.(*url.Error); ok {
					check(t, e.Error())
				}
			}
		})
	}
	t.Run("config", func(t *testing.T) {
		cfg := saramin.Config{AccessKey: testKey}
		check(t, cfg.String())
		check(t, fmt.Sprintf("%v %+v %s", cfg, cfg, cfg))
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "cfg", cfg)
		check(t, buf.String())
	})
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

func TestSearchShapeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{"no jobs object", `{"result":"ok"}`},
		{"object where total expected", `{"jobs":{"count":1,"start":0,"total":{"n":1},"job":[]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) { w.Write([]byte(tt.body)) })
			c := newClient(t, srv.URL)
			_, err := c.Search(context.Background(), saramin.Query{})
			if err == nil || apicall.Retryable(err) {
				t.Fatalf("error = %v, want a fatal error", err)
			}
			if srv.count() != 1 {
				t.Errorf("%d requests, want 1", srv.count())
			}
		})
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

func TestSearchRefusesRedirectToAnotherHost(t *testing.T) {
	t.Parallel()
	other := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) { w.Write(pageBody(0, 1, 0, 1)) })
	srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusFound)
	})
	c := newClient(t, srv.URL)
	_, err := c.Search(context.Background(), saramin.Query{})
	var apiErr *apicall.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusFound || apicall.Retryable(err) {
		t.Fatalf("error = %v, want a fatal *APIError with status 302", err)
	}
	if strings.Contains(err.Error(), url.QueryEscape(testKey)) || strings.Contains(err.Error(), testKey) {
		t.Errorf("error %q shows the access key", err)
	}
	if other.count() != 0 || srv.count() != 1 {
		t.Errorf("requests: other host %d, API %d; want 0, 1", other.count(), srv.count())
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
