package saramin

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// sameResult reports how ParseJob's result differs from the legacy
// parser's ("" when it does not): the same Posting (Extra compared as
// JSON), the same drift notes in the same order, the same error text.
func sameResult(raw []byte) string {
	got, gerr := ParseJob(raw)
	want, werr := legacyParseJob(raw)
	if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != strings.ReplaceAll(werr.Error(), "legacy", "") {
		return fmt.Sprintf("error %v; the legacy parser's %v", gerr, werr)
	}
	if gerr != nil {
		return ""
	}
	if !sameJSON(got.Extra, want.Extra) {
		return fmt.Sprintf("Extra %s; the legacy parser's %s", got.Extra, want.Extra)
	}
	got.Extra, want.Extra = nil, nil
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("posting\n%+v\nthe legacy parser's\n%+v", got, want)
	}
	return ""
}

// sameJSON reports whether a and b are the same JSON value (or both
// empty).
func sameJSON(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// sampleRecords are the real sample's records, as sent.
func sampleRecords(tb testing.TB) []json.RawMessage {
	tb.Helper()
	b, err := os.ReadFile("testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		tb.Fatal(err)
	}
	var resp Response
	if err := json.Unmarshal(b, &resp); err != nil {
		tb.Fatal(err)
	}
	return resp.Jobs.Job
}

// replacements are what a field is changed to, JSON text.
var replacements = []string{`null`, `""`, `"  "`, `"x"`, `"2"`, `"1632734241000"`, `"2021-09-27T18:17:21+09:00"`,
	`"2021-10-27 23:59:59"`, `0`, `1`, `-1.5e3`, `1632734241`, `true`, `false`, `[]`, `[1]`, `{}`, `{ }`, `{"a":1}`,
	`{"code":"1","name":"x"}`, `"a\u00e9\ud800\n<&>"`, `"\u2028,\u0000"`}

// mutants are variants of record: every member (at any depth) removed,
// replaced by each of replacements, renamed in upper case, given twice;
// unknown members added at the top and under position.
func mutants(record []byte) [][]byte {
	var top map[string]any
	if json.Unmarshal(record, &top) != nil {
		return nil
	}
	var out [][]byte
	add := func(s string) { out = append(out, []byte(s)) }
	var walk func(path []string, m map[string]any)
	walk = func(path []string, m map[string]any) {
		for k, v := range m {
			p := append(slices.Clone(path), k)
			add(string(edit(top, p, nil, true)))
			for _, r := range replacements {
				add(string(edit(top, p, json.RawMessage(r), false)))
			}
			// The same member in upper case, then after the original
			// (two spellings of one field).
			b := edit(top, p, nil, true)
			add(string(edit(jsonMap(b), append(slices.Clone(path), strings.ToUpper(k)), v, false)))
			if sub, ok := v.(map[string]any); ok {
				walk(p, sub)
			}
		}
	}
	walk(nil, top)
	base := string(record[:len(record)-1])
	for _, extra := range []string{`"benefits":"4대보험"`, `"id":"77"`, `"position":{"title":"두 번째"}`, `"position":null`,
		`"position.remote":true`, `"keywords":"a,b"`, `"Position":{"title":"케이스"}`, `"company":{"detail":null}`} {
		add(base + "," + extra + "}")
	}
	pos := strings.Index(string(record), `"position": {`)
	if pos >= 0 {
		at := pos + len(`"position": {`)
		for _, extra := range []string{`"remote":true,`, `"job-category":{"code":"9"},`, `"job-category":null,`, `"Title":"대문자",`, `"title":"앞",`} {
			add(string(record[:at]) + extra + string(record[at:]))
		}
	}
	return out
}

func jsonMap(b []byte) map[string]any {
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}

// edit returns top with the member at path set to v (or removed), as
// JSON; top is not changed.
func edit(top map[string]any, path []string, v any, del bool) []byte {
	c := jsonMap(must(json.Marshal(top)))
	m := c
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			return must(json.Marshal(c))
		}
		m = next
	}
	if del {
		delete(m, path[len(path)-1])
	} else {
		m[path[len(path)-1]] = v
	}
	return must(json.Marshal(c))
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// oddRecords are records of other shapes, and texts that are not JSON.
var oddRecords = []string{`null`, `1`, `"x"`, `true`, `[]`, `["41232704"]`, `{}`, `{"id":"1"}`, ``, ` `, `{`, `{"id":"1",}`,
	`{"id":"1","position":{"title":"x"},"posting-timestamp":"1","modification-timestamp":"1"}`,
	`{"id":"1","position":{"title":"t"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241","url":"https://saramin.synthetic.invalid/x"}`,
	`{"id":"1","position":{"title":"t"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241","url":"https://saramin%2Esynthetic.invalid/x"}`,
	`{"id":"1","position":5,"company":{"detail":"x"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}`,
	`{"id":"1","company":{"detail":[]},"position":{"title":"t"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}`,
	`{"id":"1","position":{"title":"t","industry":{"code":"x"},"industry":"s"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}`,
	`{"id":"1","poſition":{"title":"t"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}`,
	`{"ID":"7","id":"8","position":{"title":"t","Title":"u"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241","position.x":1}`,
	`{"id":"1","position":{"title":"t","x":1},"position.x":2,"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}`,
	`{"id":"1","position":{"title":"t","x":1},"position":{"y":2},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}`,
	"{\"id\":\"1\xff\",\"position\":{\"title\":\"t\xed\xa0\x80\"},\"posting-timestamp\":\"1632734241\",\"modification-timestamp\":\"1632734241\",\"k\xff\":1}",
	`{"id":"1","position":{"title":"t"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241","x":[1,{"a":[]}] }`,
}

func TestParseJobAgreesWithLegacy(t *testing.T) {
	t.Parallel()
	n := 0
	check := func(raw []byte) {
		n++
		if d := sameResult(raw); d != "" {
			t.Errorf("record %s:\n%s", raw, d)
		}
	}
	for _, r := range oddRecords {
		check([]byte(r))
	}
	records := sampleRecords(t)
	for i, rec := range records {
		check(rec)
		if i%10 == 0 { // every kind of value occurs in a tenth of them
			for _, m := range mutants(rec) {
				check(m)
			}
		}
	}
	t.Logf("%d records compared", n)
}

// legacyReadPage is how pages were read before ReadPage.
func legacyReadPage(body []byte) ([]json.RawMessage, error) {
	var resp Response
	if err := json.Unmarshal(TrimBOM(body), &resp); err != nil {
		return nil, err
	}
	return resp.Jobs.Job, nil
}

// samePage reports how ReadPage differs from the legacy reading of body.
func samePage(body []byte) string {
	want, werr := legacyReadPage(body)
	var raws []string
	var errs []string
	gerr := ReadPage(body, func() { raws, errs = nil, nil }, func(i int, raw string, p *Posting, err error) {
		if i != len(raws) {
			errs = append(errs, fmt.Sprintf("index %d out of order", i))
		}
		raws = append(raws, raw)
		if d := sameResult([]byte(raw)); d != "" {
			errs = append(errs, d)
		}
		if q, qerr := ParseJob([]byte(raw)); (qerr == nil) != (err == nil) || err != nil && err.Error() != qerr.Error() || err == nil && !reflect.DeepEqual(q, *p) {
			errs = append(errs, fmt.Sprintf("ReadPage's posting %d differs from ParseJob's", i))
		}
	})
	switch {
	case (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error():
		return fmt.Sprintf("error %v; the legacy reading's %v", gerr, werr)
	case gerr != nil:
		return ""
	case len(errs) > 0:
		return strings.Join(errs, "\n")
	case len(raws) != len(want):
		return fmt.Sprintf("%d postings; the legacy reading has %d", len(raws), len(want))
	}
	for i := range raws {
		if raws[i] != string(want[i]) {
			return fmt.Sprintf("posting %d is %s; the legacy reading's %s", i, raws[i], want[i])
		}
	}
	return ""
}

// oddPages are pages of other shapes.
var oddPages = []string{``, ` `, `null`, `[]`, `"x"`, `{}`, `{"jobs":null}`, `{"jobs":"x"}`, `{"jobs":{"job":"x"}}`, `{"jobs":{"job":null}}`,
	`{"jobs":{"job":[1]},"jobs":{"count":1}}`, `{"jobs":{"job":[1]},"jobs":{"job":null}}`, `{"jobs":{"job":[1]},"jobs":{"job":[2,3]}}`,
	`{"jobs":{"job":[1]`, `{"jobs":{"job":[1]}} x`, `{"JOBS":{"Job":[1]}}`, `{"jobs":{"job":[1], "total":{}, "count": [1,2]}}`,
	"\xef\xbb\xbf{\"jobs\":{\"job\":[{}]}}", `{"jobs":{"job":[{"id":"1"}]},"x":[1,2,{"y":null}]}`, `{"jobs":{"job":[{"id":"1"},]}}`,
	`{"jobs":{"job":[01]}}`, `{"jobs":{"job":["\x01"]}}`, `{"jobs":{"job":["\q"]}}`, `{"jobs":{"job":[-]}}`, `{"jobs":{"job":[1.]}}`,
	`{"jobs":{"job":[1e]}}`, `{"jobs":{"job":[tru]}}`, `{"jobs":{"job":[{"a" 1}]}}`, `{"jobs":{"job":[{1:1}]}}`,
	`{"jobs":{"job":[` + strings.Repeat("[", 10010) + strings.Repeat("]", 10010) + `]}}`,
	`{"jobs":{"job":[` + strings.Repeat("[", 9990) + strings.Repeat("]", 9990) + `]}}`,
}

func TestReadPageAgreesWithLegacy(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{string(body), string(body[:len(body)/2]), string(body) + "\n\n", strings.ReplaceAll(string(body), `"jobs"`, `"Jobs"`)}
	pages = append(pages, oddPages...)
	for _, p := range pages {
		if d := samePage([]byte(p)); d != "" {
			t.Errorf("page %.200q:\n%s", p, d)
		}
	}
}

func FuzzParseJob(f *testing.F) {
	for _, r := range oddRecords {
		f.Add([]byte(r))
	}
	for i, rec := range sampleRecords(f) {
		f.Add([]byte(rec))
		if i == 0 {
			for _, m := range mutants(rec)[:200] {
				f.Add(m)
			}
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if d := sameResult(raw); d != "" {
			t.Errorf("record %q:\n%s", raw, d)
		}
	})
}

func FuzzReadPage(f *testing.F) {
	for _, p := range oddPages {
		if len(p) < 1000 {
			f.Add([]byte(p))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if d := samePage(body); d != "" {
			t.Errorf("page %q:\n%s", body, d)
		}
	})
}
