package saramin

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"jobpulse/pkg/kst"
)

// sameAsMarshal reports how AppendNDJSON(p) differs from json.Marshal(p),
// the encoding it replaces: both decoded into map[string]any, keys in the
// same order, one line.
func sameAsMarshal(t *testing.T, p Posting) {
	t.Helper()
	old, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	line := AppendNDJSON([]byte("prefix"), &p)
	if !bytes.HasPrefix(line, []byte("prefix")) || !bytes.HasSuffix(line, []byte("\n")) || bytes.Count(line, []byte("\n")) != 1 {
		t.Fatalf("AppendNDJSON did not append one line: %q", line)
	}
	line = line[len("prefix") : len(line)-1]
	var a, b map[string]any
	if err := json.Unmarshal(old, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(line, &b); err != nil {
		t.Fatalf("AppendNDJSON wrote invalid JSON %s: %v", line, err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("AppendNDJSON wrote\n%s\njson.Marshal writes\n%s", line, old)
	}
	if ka, kb := topKeys(t, old), topKeys(t, line); !reflect.DeepEqual(ka, kb) {
		t.Errorf("keys in order %q; json.Marshal's %q", kb, ka)
	}
	var back Posting
	if err := json.Unmarshal(line, &back); err != nil {
		t.Errorf("the line does not decode into a Posting: %v", err)
	}
}

// topKeys lists an object's member names in order.
func topKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	var keys []string
	depth := 0
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
			expectKey = depth == 1 && v != '['
			continue
		case string:
			if depth == 1 && expectKey {
				keys = append(keys, v)
				expectKey = false
				continue
			}
		}
		expectKey = depth == 1
	}
}

func TestAppendNDJSONMatchesMarshal(t *testing.T) {
	t.Parallel()
	n := 0
	check := func(p Posting) {
		n++
		sameAsMarshal(t, p)
		// The transformer's fields, and lists left nil.
		p.RunID, p.SourceObject, p.Skills = "saramin-run-1", "raw/saramin/x.json", []string{"Python", "SQL"}
		sameAsMarshal(t, p)
		p.LocationCodes, p.Keywords, p.Skills = nil, nil, []string{}
		sameAsMarshal(t, p)
	}
	for i, rec := range sampleRecords(t) {
		p, err := ParseJob(rec)
		if err != nil {
			t.Fatal(err)
		}
		check(p)
		if i%30 == 0 {
			for _, m := range mutants(rec) {
				if p, err := ParseJob(m); err == nil {
					n++
					sameAsMarshal(t, p)
				}
			}
		}
	}
	for _, r := range oddRecords {
		if p, err := ParseJob([]byte(r)); err == nil {
			check(p)
		}
	}
	// Strings every escape applies to, times with fractions and zones.
	nano := time.Date(2021, 9, 27, 9, 17, 21, 123456789, time.UTC)
	zoned := time.Date(2021, 9, 27, 18, 17, 21, 0, kst.Zone)
	odd := "a\"b\\c/\b\f\n\r\t\x00\x1f\x7f<&>\u2028\u2029\xff\xed\xa0\x80é한글\U0001F600"
	check(Posting{ID: odd, URL: odd, Title: odd, CompanyName: "\u2028", Keywords: []string{odd, ""}, PostedAt: nano, ModifiedAt: zoned,
		OpeningAt: &nano, Extra: json.RawMessage(`{ "a" : [1, {"b": "x y"}], "c":"\u003c" }`), Drift: []string{"x"}})
	t.Logf("%d postings compared", n)
}

func FuzzAppendNDJSON(f *testing.F) {
	f.Add("41232704", "제목 <&> \u2028", "a,b", int64(2), int64(1632734241))
	f.Fuzz(func(t *testing.T, id, title, list string, n, unix int64) {
		tm := time.Unix(unix%(1<<35), n%1e9).UTC()
		sameAsMarshal(t, Posting{ID: id, Title: title, URL: list, Keywords: SplitList(list), ExperienceCode: &n, PostedAt: tm, ExpiresAt: &tm, Skills: []string{title}})
	})
}
