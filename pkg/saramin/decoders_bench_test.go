package saramin

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// The decoder comparison behind reader: each candidate walks every token
// of the real sample page (×50, as transform's BenchmarkParsePage) and
// makes each string value a Go string, which is the least a decoder
// filling Posting does. Strings without escapes are taken as substrings of
// the page where the candidate tells where they are (reader, jsontext), as
// reader does. Run with GOEXPERIMENT=jsonv2 for Go's own encoding/json/jsontext
// (stdlib-jsontext), which the build cannot use without it.

var benchSampleIDs = regexp.MustCompile(`"id": "(\d+)"`)

// benchPages is the real sample page ×50 with distinct ids, one text.
func benchPages(tb testing.TB) []byte {
	tb.Helper()
	page, err := os.ReadFile("testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		tb.Fatal(err)
	}
	var all []byte
	for k := range 50 {
		all = append(all, benchSampleIDs.ReplaceAllFunc(page, func(m []byte) []byte {
			id, _ := strconv.ParseInt(string(benchSampleIDs.FindSubmatch(m)[1]), 10, 64)
			return []byte(`"id": "` + strconv.FormatInt(id+int64(k)*100_000_000, 10) + `"`)
		})...)
	}
	return all
}

var sink string

// walkReader walks a stream of values with reader.
func walkReader(text string) int {
	r := reader{s: text}
	n := 0
	var walk func()
	walk = func() {
		switch r.peek() {
		case '{':
			r.open()
			for first := true; r.more('}', first); first = false {
				sink = r.key()
				n++
				walk()
			}
		case '[':
			r.open()
			for first := true; r.more(']', first); first = false {
				walk()
			}
		case '"':
			sink = r.str()
			n++
		default:
			r.skip()
		}
	}
	for r.peek() != 0 && !r.bad {
		walk()
	}
	return n
}

// tokenDecoder is what walkTokens needs of a jsontext.Decoder, from
// go-json-experiment or from Go's own encoding/json/jsontext: the same
// methods over each package's own Kind, Value and Token.
type tokenDecoder[K ~byte, V ~[]byte, T any] interface {
	PeekKind() K
	ReadValue() (V, error)
	InputOffset() int64
	ReadToken() (T, error)
}

// walkTokens walks a stream of values with a jsontext decoder over text;
// unquote is that package's AppendUnquote.
func walkTokens[K ~byte, V ~[]byte, T any](dec tokenDecoder[K, V, T], text string, unquote func([]byte, V) ([]byte, error)) int {
	n := 0
	var buf []byte
	for {
		if dec.PeekKind() == '"' {
			v, err := dec.ReadValue()
			if err != nil {
				panic(err)
			}
			if end := int(dec.InputOffset()); bytes.IndexByte(v, '\\') < 0 {
				sink = text[end-len(v)+1 : end-1]
			} else {
				buf, _ = unquote(buf[:0], v)
				sink = string(buf)
			}
			n++
			continue
		}
		if _, err := dec.ReadToken(); err != nil {
			if errors.Is(err, io.EOF) {
				return n
			}
			panic(err)
		}
	}
}

// walkJSONText walks a stream of values with go-json-experiment's jsontext.
func walkJSONText(data []byte, text string) int {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	return walkTokens[jsontext.Kind, jsontext.Value, jsontext.Token](dec, text, jsontext.AppendUnquote[jsontext.Value])
}

// walkTokenV1 walks a stream of values with encoding/json's Decoder.Token.
func walkTokenV1(data []byte) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	n := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return n
			}
			panic(err)
		}
		if s, ok := tok.(string); ok {
			sink = s
			n++
		}
	}
}

func BenchmarkDecoders(b *testing.B) {
	data := benchPages(b)
	want := walkReader(string(data))
	cases := []struct {
		name string
		walk func(data []byte) int
	}{
		{"reader", func(data []byte) int { return walkReader(string(data)) }},
		{"go-json-experiment-jsontext", func(data []byte) int { return walkJSONText(data, string(data)) }},
		{"encoding-json-v1-Token", walkTokenV1},
	}
	cases = append(cases, stdlibDecoders...)
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if got := c.walk(data); got != want {
				b.Fatalf("%d strings; reader finds %d", got, want)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				c.walk(data)
			}
		})
	}
}

// BenchmarkReadPage reads the sample ×50 into Postings, page by page.
func BenchmarkReadPage(b *testing.B) {
	data := benchPages(b)
	pages := bytes.SplitAfter(data, []byte("\n}"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if len(bytes.TrimSpace(p)) == 0 {
				continue
			}
			if err := ReadPage(p, func() {}, func(int, string, *Posting, error) {}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAppendNDJSON writes the sample's Postings ×50.
func BenchmarkAppendNDJSON(b *testing.B) {
	var posts []Posting
	for _, rec := range sampleRecords(b) {
		p, err := ParseJob(rec)
		if err != nil {
			b.Fatal(err)
		}
		p.RunID, p.SourceObject, p.Skills = "run", "raw/x", []string{"Python", "SQL"}
		posts = append(posts, p)
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		for range 50 {
			buf = buf[:0]
			for i := range posts {
				buf = AppendNDJSON(buf, &posts[i])
			}
		}
	}
	b.SetBytes(int64(len(buf)) * 50)
}
