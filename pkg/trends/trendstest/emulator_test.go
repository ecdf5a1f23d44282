package trendstest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/trends/trendstest"
)

var now = time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)

// paths lists every field path of v with its JSON type, ignoring "_" keys
// and the "..." elision markers; array elements share the path "[]".
func paths(prefix string, v any, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		out[prefix] = "object"
		for k, c := range t {
			if !strings.HasPrefix(k, "_") {
				paths(prefix+"."+k, c, out)
			}
		}
	case []any:
		out[prefix] = "array"
		for _, c := range t {
			if c != "..." {
				paths(prefix+"[]", c, out)
			}
		}
	case string:
		out[prefix] = "string"
	case float64:
		out[prefix] = "number"
	case bool:
		out[prefix] = "bool"
	case nil:
		out[prefix] = "null"
	}
}

func get(t *testing.T, u string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func decode(t *testing.T, b []byte, prefix string) any {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(prefix)) {
		t.Fatalf("body does not start with %q: %.40s", prefix, b)
	}
	var v any
	if err := json.Unmarshal(b[len(prefix):], &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func fixture(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func compare(t *testing.T, want, got map[string]string, allowedExtra map[string]bool) {
	t.Helper()
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if got[k] != want[k] {
			t.Errorf("%s: emulator %q, fixture %q", k, got[k], want[k])
		}
	}
	for k, typ := range got {
		if _, ok := want[k]; !ok && !allowedExtra[k] {
			t.Errorf("%s (%s): in the emulator, not in the fixture", k, typ)
		}
	}
}

// explore and multiline call the emulator as the client does.
func exploreAndMultiline(t *testing.T, base string, kw []string, window string) (explore, multiline []byte) {
	t.Helper()
	var items []map[string]string
	for _, k := range kw {
		items = append(items, map[string]string{"keyword": k, "geo": "KR", "time": window})
	}
	req, _ := json.Marshal(map[string]any{"comparisonItem": items, "category": 0, "property": ""})
	st, ex := get(t, base+"/trends/api/explore?"+url.Values{"hl": {"ko"}, "tz": {"-540"}, "req": {string(req)}}.Encode())
	if st != 200 {
		t.Fatalf("explore %d %s", st, ex)
	}
	var body struct {
		Widgets []struct {
			ID      string          `json:"id"`
			Token   string          `json:"token"`
			Request json.RawMessage `json:"request"`
		} `json:"widgets"`
	}
	if err := json.Unmarshal(ex[5:], &body); err != nil {
		t.Fatal(err)
	}
	w := body.Widgets[0]
	st, ml := get(t, base+"/trends/api/widgetdata/multiline?"+url.Values{"hl": {"ko"}, "tz": {"-540"}, "req": {string(w.Request)}, "token": {w.Token}}.Encode())
	if st != 200 {
		t.Fatalf("multiline %d %s", st, ml)
	}
	return ex, ml
}

func TestShapeMatchesFixtures(t *testing.T) {
	t.Parallel()
	s := trendstest.NewServer(trendstest.Options{Seed: 1, Now: now})
	t.Cleanup(s.Close)
	ex, ml := exploreAndMultiline(t, s.URL, []string{"데이터 분석", "SQL"}, "2024-11-20 2026-11-20")

	// explore: the TIMESERIES widget, field by field; the widget order.
	exFix := fixture(t, "explore_response_excerpt.json")
	exGot := decode(t, ex, ")]}'\n").(map[string]any)
	widgets := exGot["widgets"].([]any)
	want, got := map[string]string{}, map[string]string{}
	paths("", exFix["TIMESERIES_widget"], want)
	paths("", widgets[0], got)
	// The fixture was recorded worldwide (geo {}); KR requests carry geo.country.
	compare(t, want, got, map[string]bool{".request.comparisonItem[].geo.country": true})
	var ids [][]any
	for _, w := range widgets {
		m := w.(map[string]any)
		ids = append(ids, []any{m["id"], m["type"]})
	}
	wantIDs, _ := json.Marshal(exFix["widget_ids_in_order"])
	gotIDs, _ := json.Marshal(ids)
	if string(wantIDs) != string(gotIDs) {
		t.Errorf("widget order %s, want %s", gotIDs, wantIDs)
	}

	// multiline.
	want, got = map[string]string{}, map[string]string{}
	paths("", fixture(t, "multiline_excerpt.json"), want)
	paths("", decode(t, ml, ")]}',\n"), got)
	// The one field Google never sends: the synthetic marker.
	compare(t, want, got, map[string]bool{".default.syntheticData": true})
	if got[".default.syntheticData"] != "bool" {
		t.Errorf(".default.syntheticData: %q, want a bool", got[".default.syntheticData"])
	}
}

func TestDeterministicAndRelative(t *testing.T) {
	t.Parallel()
	kw := []string{"데이터 엔지니어", "빅데이터분석기사", "파이썬"}
	window := "2025-01-01 2026-11-20"
	a := trendstest.NewServer(trendstest.Options{Seed: 5, Now: now})
	t.Cleanup(a.Close)
	b := trendstest.NewServer(trendstest.Options{Seed: 5, Now: now})
	t.Cleanup(b.Close)
	_, m1 := exploreAndMultiline(t, a.URL, kw, window)
	_, m2 := exploreAndMultiline(t, b.URL, kw, window)
	if !bytes.Equal(m1, m2) {
		t.Fatal("same seed and clock, different answers")
	}
	var v struct {
		Default struct {
			TimelineData []struct {
				Time      string `json:"time"`
				Value     []int  `json:"value"`
				IsPartial bool   `json:"isPartial"`
			} `json:"timelineData"`
		} `json:"default"`
	}
	if err := json.Unmarshal(m1[5:], &v); err != nil {
		t.Fatal(err)
	}
	tl := v.Default.TimelineData
	peak := 0
	for i, p := range tl {
		for _, x := range p.Value {
			peak = max(peak, x)
		}
		if p.IsPartial != (i == len(tl)-1) {
			t.Errorf("point %d isPartial %v", i, p.IsPartial)
		}
	}
	if peak != 100 || len(tl) < 90 {
		t.Errorf("peak %d, %d points", peak, len(tl))
	}
	// 데이터 엔지니어 grows: the last quarter's mean beats the first's.
	first, last := 0, 0
	for i := range 13 {
		first += tl[i].Value[0]
		last += tl[len(tl)-14+i].Value[0]
	}
	if last <= first {
		t.Errorf("no growth: %d then %d", first, last)
	}
}

func TestTokenChecked(t *testing.T) {
	t.Parallel()
	s := trendstest.NewServer(trendstest.Options{Seed: 1, Now: now})
	t.Cleanup(s.Close)
	req := `{"time":"2026-01-01 2026-11-20","resolution":"WEEK","locale":"ko","comparisonItem":[{"geo":{"country":"KR"},"complexKeywordsRestriction":{"keyword":[{"type":"BROAD","value":"SQL"}]}}],"requestOptions":{"property":"","backend":"IZG","category":0},"userConfig":{"userType":"USER_TYPE_SCRAPER"}}`
	for _, tc := range []struct {
		name, req, token string
		want             int
	}{
		{"wrong token", req, "APP6_UEAAAAAwrong", http.StatusUnauthorized},
		{"no token", req, "", http.StatusUnauthorized},
		{"malformed req", "{", "x", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := get(t, s.URL+"/trends/api/widgetdata/multiline?"+url.Values{"req": {tc.req}, "token": {tc.token}}.Encode())
			if st != tc.want {
				t.Errorf("status %d, want %d", st, tc.want)
			}
		})
	}
}

func TestAdmin(t *testing.T) {
	t.Parallel()
	s := trendstest.NewServer(trendstest.Options{Seed: 1, Now: now})
	t.Cleanup(s.Close)
	resp, err := http.Post(s.URL+"/_emulator/faults", "application/json", strings.NewReader(`{"kind":"server-error","status":502}`))
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("add fault: %v %v", err, resp)
	}
	if st, _ := get(t, s.URL+"/trends/api/explore?req=x"); st != 502 {
		t.Errorf("status %d, want 502", st)
	}
	resp, err = http.Post(s.URL+"/_emulator/clock?now=2027-01-01T00:00:00Z", "", nil)
	if err != nil || resp.StatusCode != http.StatusNoContent || !s.Now().Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("clock: %v %v %v", err, resp, s.Now())
	}
}
