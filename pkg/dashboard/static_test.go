package dashboard_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

// fetch asks srv for path with the headers given (in pairs), without the
// transport's own gzip, and answers the response and its body as sent.
func fetch(t *testing.T, srv *httptest.Server, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	r, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer r.Body.Close()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return r, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("broken gzip: %v", err)
	}
	return out
}

// TestStaticCompressed: the page's files go compressed exactly when the
// browser accepts gzip, decompress to the files themselves, and carry
// their type.
func TestStaticCompressed(t *testing.T) {
	t.Parallel()
	srv := server(t)
	tests := []struct {
		path, accept, wantType string
		gzip                   bool
	}{
		{"/vendor/echarts.min.js", "gzip, deflate, br, zstd", "text/javascript", true},
		{"/vendor/echarts.min.js", "", "text/javascript", false},
		{"/vendor/echarts.min.js", "br", "text/javascript", false},
		{"/vendor/echarts.min.js", "gzip;q=0, deflate", "text/javascript", false},
		{"/vendor/echarts.min.js", "deflate, gzip;q=0.5", "text/javascript", true},
		{"/vendor/echarts.min.js", "*", "text/javascript", true},
		{"/vendor/echarts.min.js", "*, gzip;q=0", "text/javascript", false},
		{"/vendor/echarts.min.js", "identity", "text/javascript", false},
		{"/app.js", "gzip", "text/javascript", true},
		{"/style.css", "gzip", "text/css", true},
		{"/style.css", "", "text/css", false},
		{"/", "gzip", "text/html", true},
		{"/", "", "text/html", false},
		{"/vendor/echarts.LICENSE", "gzip", "text/plain", true},
	}
	for _, tc := range tests {
		r, body := fetch(t, srv, tc.path, "Accept-Encoding", tc.accept)
		name := tc.path + " (Accept-Encoding: " + tc.accept + ")"
		if r.StatusCode != 200 {
			t.Errorf("%s: %d", name, r.StatusCode)
			continue
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.wantType) {
			t.Errorf("%s: Content-Type %q, want %s", name, ct, tc.wantType)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: the security headers are missing: %v", name, r.Header)
		}
		if !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Vary %q; a cache must keep both forms apart", name, r.Header.Get("Vary"))
		}
		gz := r.Header.Get("Content-Encoding") == "gzip"
		if gz != tc.gzip {
			t.Errorf("%s: Content-Encoding %q, want gzip %v", name, r.Header.Get("Content-Encoding"), tc.gzip)
			continue
		}
		plain := body
		if gz {
			plain = gunzip(t, body)
		}
		if tc.path == "/" {
			if !bytes.Contains(plain, []byte("<!doctype html>")) {
				t.Errorf("%s: not the page: %.200s", name, plain)
			}
			continue
		}
		file, err := os.ReadFile("static" + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(plain, file) {
			t.Errorf("%s: %d bytes, not the file's %d", name, len(plain), len(file))
		}
		if tc.path == "/vendor/echarts.min.js" && gz && len(body) > len(file)*2/5 {
			t.Errorf("%s: %d bytes compressed of %d; want under two fifths", name, len(body), len(file))
		}
	}
}

// TestStaticCached: every file has an ETag, and a browser that holds it is
// answered 304 without a body; the page always revalidates, and the files
// it references by their hash may be kept.
func TestStaticCached(t *testing.T) {
	t.Parallel()
	srv := server(t)
	for _, path := range []string{"/", "/app.js", "/style.css", "/vendor/echarts.min.js"} {
		for _, accept := range []string{"gzip", ""} {
			r, _ := fetch(t, srv, path, "Accept-Encoding", accept)
			etag := r.Header.Get("ETag")
			if !regexp.MustCompile(`^"[^"]+"$`).MatchString(etag) {
				t.Errorf("%s (%q): ETag %q", path, accept, etag)
				continue
			}
			if cc := r.Header.Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("%s asked without its hash: Cache-Control %q, want no-cache (revalidate)", path, cc)
			}
			again, body := fetch(t, srv, path, "Accept-Encoding", accept, "If-None-Match", etag)
			if again.StatusCode != http.StatusNotModified || len(body) != 0 || again.Header.Get("ETag") != etag {
				t.Errorf("%s (%q) with If-None-Match %s: %d, %d bytes, ETag %q; want 304, empty", path, accept, etag, again.StatusCode, len(body), again.Header.Get("ETag"))
			}
			if again.Header.Get("Content-Security-Policy") == "" || again.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: a 304 without the security headers: %v", path, again.Header)
			}
			if changed, _ := fetch(t, srv, path, "Accept-Encoding", accept, "If-None-Match", `"stale"`); changed.StatusCode != 200 {
				t.Errorf("%s with a stale ETag: %d, want 200", path, changed.StatusCode)
			}
		}
		// The compressed and the plain form are different representations.
		gz, _ := fetch(t, srv, path, "Accept-Encoding", "gzip")
		plain, _ := fetch(t, srv, path)
		if gz.Header.Get("ETag") == plain.Header.Get("ETag") {
			t.Errorf("%s: the same ETag %s for the gzip and the plain body", path, gz.Header.Get("ETag"))
		}
		if r, _ := fetch(t, srv, path, "If-None-Match", gz.Header.Get("ETag")); r.StatusCode != 200 {
			t.Errorf("%s asked plain with the gzip ETag: %d, want 200", path, r.StatusCode)
		}
	}

	// The page names its files with their hashes; under the current hash
	// a file may be kept a year, and it is the file.
	_, page := fetch(t, srv, "/")
	refs := regexp.MustCompile(`(?:src|href)="([^"?]+)\?v=([0-9a-f]+)"`).FindAllStringSubmatch(string(page), -1)
	seen := map[string]bool{}
	for _, m := range refs {
		seen[m[1]] = true
		r, body := fetch(t, srv, "/"+m[1]+"?v="+m[2])
		if cc := r.Header.Get("Cache-Control"); r.StatusCode != 200 || !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("%s?v=%s: %d, Cache-Control %q; want kept a year", m[1], m[2], r.StatusCode, cc)
		}
		if file, err := os.ReadFile("static/" + m[1]); err != nil || !bytes.Equal(body, file) {
			t.Errorf("%s?v=%s is not the file (%v)", m[1], m[2], err)
		}
		if r, _ := fetch(t, srv, "/"+m[1]+"?v=0000"); r.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s under another hash: Cache-Control %q, want no-cache", m[1], r.Header.Get("Cache-Control"))
		}
	}
	for _, want := range []string{"style.css", "app.js", "vendor/echarts.min.js"} {
		if !seen[want] {
			t.Errorf("the page does not name %s with its hash: %q", want, refs)
		}
	}
	for _, path := range []string{"/nope.js", "/vendor/", "/index.html"} {
		if r, _ := fetch(t, srv, path); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.StatusCode)
		}
	}
}

// TestAPICompressed: a large answer goes compressed when the browser
// accepts gzip, plain otherwise, and reads the same.
func TestAPICompressed(t *testing.T) {
	t.Parallel()
	srv := server(t)
	const path = "/api/volume?role=all&grain=day&from=2026-01-01&to=2026-09-30"
	gz, zipped := fetch(t, srv, path, "Accept-Encoding", "gzip")
	plain, body := fetch(t, srv, path)
	if gz.StatusCode != 200 || plain.StatusCode != 200 {
		t.Fatalf("%s: %d and %d", path, gz.StatusCode, plain.StatusCode)
	}
	if gz.Header.Get("Content-Encoding") != "gzip" || plain.Header.Get("Content-Encoding") != "" {
		t.Errorf("Content-Encoding %q asked with gzip, %q without", gz.Header.Get("Content-Encoding"), plain.Header.Get("Content-Encoding"))
	}
	if !strings.HasPrefix(gz.Header.Get("Content-Type"), "application/json") || gz.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("compressed answer: %v", gz.Header)
	}
	if len(zipped) >= len(body)/3 {
		t.Errorf("%d bytes compressed of %d", len(zipped), len(body))
	}
	var a, b volume
	if err := json.Unmarshal(gunzip(t, zipped), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	if len(a.Points) != 273 || len(a.Points) != len(b.Points) {
		t.Errorf("%d days compressed, %d plain; want 273", len(a.Points), len(b.Points))
	}
	// A small answer is not worth it.
	if r, _ := fetch(t, srv, "/api/breakdown?by=province&role=all", "Accept-Encoding", "gzip"); r.StatusCode != 200 || r.Header.Get("Content-Encoding") != "" {
		t.Errorf("a small answer: %d, Content-Encoding %q", r.StatusCode, r.Header.Get("Content-Encoding"))
	}
}
