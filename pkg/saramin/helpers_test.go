package saramin_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
)

// testKey looks like a real key and holds characters that URL encoding
// changes, so redaction is checked in both forms.
const testKey = "sk-TEST+secret/KEY=42"

// recorder is an httptest server that counts requests and keeps their
// query parameters.
type recorder struct {
	*httptest.Server
	mu      sync.Mutex
	queries []url.Values
	headers []http.Header
}

// serve starts a server whose handler gets the 0-based number of the
// request along with it.
func serve(t *testing.T, h func(n int, w http.ResponseWriter, r *http.Request)) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		n := len(rec.queries)
		rec.queries = append(rec.queries, r.URL.Query())
		rec.headers = append(rec.headers, r.Header.Clone())
		rec.mu.Unlock()
		h(n, w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

// count returns how many requests reached the server.
func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queries)
}

// query returns the parameters of request i.
func (r *recorder) query(i int) url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.queries[i]
}

// newClient returns a client for base with tiny backoff intervals, no rate
// limit and a short timeout; mods adjust the config.
func newClient(t *testing.T, base string, mods ...func(*saramin.Config)) *saramin.Client {
	t.Helper()
	cfg := saramin.Config{
		BaseURL:        base,
		AccessKey:      testKey,
		Timeout:        5 * time.Second,
		RatePerSecond:  -1,
		MaxTries:       5,
		MaxElapsed:     10 * time.Second,
		InitialBackoff: time.Millisecond,
		MaxBackoff:     5 * time.Millisecond,
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := saramin.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}
