package transform_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/transform"
)

// driftPages are the real sample page cut to its first n postings
// (compact JSON), then with them changed in each way the parser absorbs or sets aside, and
// pages of other shapes.
func driftPages(t testing.TB, sample []byte, n int) [][]byte {
	t.Helper()
	var page struct {
		Jobs struct {
			Count any              `json:"count"`
			Job   []map[string]any `json:"job"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(sample, &page); err != nil {
		t.Fatal(err)
	}
	jobs := page.Jobs.Job[:n]
	changes := []func(j map[string]any){
		func(j map[string]any) { j["benefits"] = "4대보험"; j["position"].(map[string]any)["remote"] = true },
		func(j map[string]any) { j["position"].(map[string]any)["job-category"] = map[string]any{"code": "9"} },
		func(j map[string]any) { j["keywords"] = j["keyword"]; delete(j, "keyword") },
		func(j map[string]any) { j["id"] = 41232704; j["posting-timestamp"] = 1632734241 },
		func(j map[string]any) {
			j["position"].(map[string]any)["experience-level"].(map[string]any)["code"] = "2"
			j["active"] = "1"
		},
		func(j map[string]any) { j["active"] = false },
		func(j map[string]any) { delete(j, "salary"); delete(j, "opening-timestamp") },
		func(j map[string]any) {
			j["modification-timestamp"] = "1632734241000"
			j["posting-timestamp"] = "2021-09-27T18:17:21+09:00"
			j["expiration-timestamp"] = "2021-10-27 23:59:59"
		},
		func(j map[string]any) { j["expiration-timestamp"] = "next month" },
		func(j map[string]any) { j["salary"] = []any{"99"}; j["keyword"] = []any{"SQL"}; j["company"] = []any{} },
		func(j map[string]any) { delete(j, "modification-timestamp") },
		func(j map[string]any) { j["modification-timestamp"] = "yesterday" },
		func(j map[string]any) { j["keyword"] = nil; j["position"].(map[string]any)["job-code"] = nil },
		func(j map[string]any) { delete(j, "id") },
		func(j map[string]any) { j["id"] = "  " },
		func(j map[string]any) { delete(j["position"].(map[string]any), "title") },
		func(j map[string]any) { j["position"].(map[string]any)["title"] = map[string]any{"ko": "개발자"} },
		func(j map[string]any) { j["position"] = "개발자" },
		func(j map[string]any) { j["ID"] = j["id"]; delete(j, "id") },
		func(j map[string]any) { j["url"] = "https://" + saramin.SyntheticHost + "/x" },
	}
	var out [][]byte
	cut := func(change func(map[string]any)) []byte {
		var p map[string]any
		json.Unmarshal(sample, &p)
		for i := range jobs {
			var j map[string]any
			b, _ := json.Marshal(jobs[i])
			json.Unmarshal(b, &j)
			change(j)
			p["jobs"].(map[string]any)["job"].([]any)[i] = j
		}
		p["jobs"].(map[string]any)["job"] = p["jobs"].(map[string]any)["job"].([]any)[:n]
		p["jobs"].(map[string]any)["count"] = n
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	out = append(out, cut(func(map[string]any) {}))
	for _, change := range changes {
		out = append(out, cut(change))
	}
	for _, s := range []string{`{"jobs":{"job":[1,null,"x",[],{}]}}`, `{"jobs":{"job":[{"id":"1"}]`, `{"jobs":null}`, `[]`, ``,
		"\xef\xbb\xbf{\"jobs\":{\"job\":[]}}", `{"JOBS":{"Job":[{"id":"1","position":{"title":"t"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}]}}`} {
		out = append(out, []byte(s))
	}
	return out
}

// FuzzParsePage checks ParsePage on any page: it never panics; a page
// encoding/json cannot read is set aside whole, and of a readable one each
// record is a row or a record set aside; every row is JSON that decodes
// into a Posting, with the id, title and times encoding/json's generic
// decoding of the record reads. Seeded with the real sample cut to one
// posting (small inputs keep the fuzzer, and its minimizing, quick) and
// its drift variants;
// TestParsePageInvariants checks the whole sample.
func FuzzParsePage(f *testing.F) {
	for _, p := range driftPages(f, samplePage(f), 1) {
		f.Add(p)
	}
	f.Fuzz(checkParsePage)
}

// TestParsePageInvariants holds the whole real sample and its drift
// variants to FuzzParsePage's checks.
func TestParsePageInvariants(t *testing.T) {
	t.Parallel()
	sample := samplePage(t)
	checkParsePage(t, sample)
	pages := driftPages(t, sample, 6)
	for i, p := range pages {
		checkParsePage(t, p)
		if i < 21 {
			parsed := transform.ParsePage(p, "raw/x", "run")
			if n := bytes.Count(parsed.Rows, []byte("\n")) + len(parsed.Bad); n != 6 {
				t.Errorf("drift page %d: %d rows and set aside; want 6", i, n)
			}
		}
	}
}

func checkParsePage(t *testing.T, body []byte) {
	parsed := transform.ParsePage(body, "raw/fuzz", "run-fuzz")
	var resp saramin.Response
	readable := json.Unmarshal(saramin.TrimBOM(body), &resp) == nil
	whole := len(parsed.Bad) == 1 && parsed.Bad[0].Index == -1
	if readable == whole {
		t.Fatalf("envelope readable by encoding/json: %v; page set aside whole: %v (%+v)", readable, whole, parsed.Bad)
	}
	if whole {
		if len(parsed.Rows) != 0 {
			t.Fatal("rows from a page set aside whole")
		}
		return
	}
	records := resp.Jobs.Job
	lines := bytes.Split(parsed.Rows, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	if len(lines)+len(parsed.Bad) != len(records) {
		t.Fatalf("%d rows and %d set aside; the page holds %d records", len(lines), len(parsed.Bad), len(records))
	}
	bad := map[int]bool{}
	for _, q := range parsed.Bad {
		if q.Index < 0 || q.Index >= len(records) || bad[q.Index] || !bytes.Equal(q.Record, records[q.Index]) || q.Reason == "" {
			t.Fatalf("record set aside with index %d of %d, record %s", q.Index, len(records), q.Record)
		}
		bad[q.Index] = true
	}
	k := 0
	for i, rec := range records {
		if bad[i] {
			continue
		}
		line := lines[k]
		k++
		var p saramin.Posting
		if err := json.Unmarshal(line, &p); err != nil {
			t.Fatalf("row %s: %v", line, err)
		}
		if p.RunID != "run-fuzz" || p.SourceObject != "raw/fuzz" || p.ID == "" || p.Title == "" || p.Skills == nil {
			t.Fatalf("row %s", line)
		}
		if msg := reference(rec).differs(p); msg != "" {
			t.Fatalf("record %s\nrow %s\n%s", rec, line, msg)
		}
	}
}

// ref is what encoding/json's generic decoding of a record says of its id,
// title and times, where it can say it simply (the member present once,
// spelled as the API spells it, a string or a number).
type ref struct {
	id, title        *string
	posted, modified *time.Time
}

func reference(rec json.RawMessage) ref {
	var m map[string]any
	if json.Unmarshal(rec, &m) != nil {
		return ref{}
	}
	var r ref
	if plainNames(m) {
		r.id = scalar(m["id"])
		r.posted, r.modified = unix(m["posting-timestamp"]), unix(m["modification-timestamp"])
		if pos, ok := m["position"].(map[string]any); ok && plainNames(pos) {
			r.title = scalar(pos["title"])
		}
	}
	return r
}

// plainNames reports whether no name of m could match a field only
// case-insensitively.
func plainNames(m map[string]any) bool {
	for k := range m {
		if strings.ToLower(k) != k || strings.ContainsFunc(k, func(r rune) bool { return r > 0x7f }) {
			return false
		}
	}
	return true
}

func scalar(v any) *string {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case float64:
		return nil // the text of the number is not kept by the generic decoding
	default:
		return nil
	}
	s = strings.TrimSpace(s)
	return &s
}

// unix reads a timestamp sent as the API sends it: unix seconds in a
// string of digits.
func unix(v any) *time.Time {
	s, ok := v.(string)
	if !ok || s == "" || strings.Trim(s, "0123456789") != "" || len(s) > 10 {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil
	}
	t := time.Unix(n, 0).UTC()
	if t.Year() < 2000 || t.Year() > 2100 {
		return nil
	}
	return &t
}

func (r ref) differs(p saramin.Posting) string {
	switch {
	case r.id != nil && *r.id != p.ID:
		return fmt.Sprintf("id %q; encoding/json reads %q", p.ID, *r.id)
	case r.title != nil && *r.title != p.Title:
		return fmt.Sprintf("title %q; encoding/json reads %q", p.Title, *r.title)
	case r.posted != nil && !r.posted.Equal(p.PostedAt):
		return fmt.Sprintf("posted %v; encoding/json reads %v", p.PostedAt, *r.posted)
	case r.modified != nil && !r.modified.Equal(p.ModifiedAt):
		return fmt.Sprintf("modified %v; encoding/json reads %v", p.ModifiedAt, *r.modified)
	}
	return ""
}
