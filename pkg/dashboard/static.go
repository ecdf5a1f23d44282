package dashboard

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// assets serves the page's files from memory: compressed with gzip when
// the browser accepts it (ECharts is 1.1 MB, 370 KB compressed), each
// with an ETag so that a browser revalidates with a 304 rather than
// downloading again. The page's own references carry the file's hash
// (style.css?v=…), and a file asked for under its current hash may be kept
// for a year; the page itself is always revalidated, so a new version is
// seen at the next load.
type assets struct {
	files map[string]*asset // by URL path, "/" for the page
}

// asset is one file, with its gzip form made on the first request that
// accepts it.
type asset struct {
	body        []byte
	contentType string
	hash        string // of body: the ETag and the ?v= of the page's references
	once        sync.Once
	gz          []byte // nil when compressing does not pay
}

// immutable is how long a file asked for under its current hash may be
// kept.
const immutable = "public, max-age=31536000, immutable"

// contentTypes are the types of the files the page is made of.
var contentTypes = map[string]string{
	".html":    "text/html; charset=utf-8",
	".js":      "text/javascript; charset=utf-8",
	".css":     "text/css; charset=utf-8",
	".json":    "application/json; charset=utf-8",
	".svg":     "image/svg+xml",
	".png":     "image/png",
	".ico":     "image/x-icon",
	".txt":     "text/plain; charset=utf-8",
	".license": "text/plain; charset=utf-8",
}

// references are the page's src and href attributes.
var references = regexp.MustCompile(`\b(src|href)="([^"?#:]+)"`)

// newAssets reads every file of files into memory, and the page
// (index.html) with its references to them versioned by their hashes.
func newAssets(files fs.FS) (*assets, error) {
	a := &assets{files: map[string]*asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		ct, ok := contentTypes[strings.ToLower(path.Ext(name))]
		if !ok {
			ct = "application/octet-stream"
		}
		a.files["/"+name] = &asset{body: body, contentType: ct, hash: digest(body)}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: read the page's files: %w", err)
	}
	page, ok := a.files["/index.html"]
	if !ok {
		return nil, fmt.Errorf("dashboard: the page's files have no index.html")
	}
	delete(a.files, "/index.html")
	body := references.ReplaceAllFunc(page.body, func(m []byte) []byte {
		sub := references.FindSubmatch(m)
		if f, ok := a.files["/"+string(sub[2])]; ok {
			return fmt.Appendf(nil, `%s="%s?v=%s"`, sub[1], sub[2], f.hash)
		}
		return m
	})
	a.files["/"] = &asset{body: body, contentType: page.contentType, hash: digest(body)}
	return a, nil
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.files[r.URL.Path]
	if !ok || r.URL.Path == "/index.html" {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Vary", "Accept-Encoding")
	if r.URL.Path != "/" && r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", immutable)
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	body, etag := f.body, `"`+f.hash+`"`
	if gz := f.gzipped(); gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = gz, `"`+f.hash+`-gzip"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match with a 304, HEAD and ranges.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// gzipped is f compressed, made once; nil when it would not be smaller
// by a tenth (images, tiny files).
func (f *asset) gzipped() []byte {
	f.once.Do(func() {
		if !compressible(f.contentType) {
			return
		}
		gz := compress(f.body, gzip.BestCompression)
		if len(gz) < len(f.body)*9/10 {
			f.gz = gz
		}
	})
	return f.gz
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.HasPrefix(contentType, "application/json") || contentType == "image/svg+xml"
}

func compress(b []byte, level int) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, level) // a valid level: no error
	_, _ = w.Write(b)                        // a bytes.Buffer does not fail
	_ = w.Close()
	return buf.Bytes()
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip: named
// or through *, with a q above 0.
func acceptsGzip(header string) bool {
	gzipQ, anyQ := -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if n, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = n
				} else {
					q = 0
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "gzip", "x-gzip":
			gzipQ = q
		case "*":
			anyQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return anyQ > 0
}
