package trends

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Widget is the TIMESERIES widget of an explore answer.
type Widget struct {
	ID         string
	Token      string
	Request    json.RawMessage // compacted, sent back byte for byte
	Resolution string
	UserType   string
	Warnings   []string
}

// jsonBody strips the anti-XSSI prefix: everything before the first '{',
// as long as it is short (")]}'" or ")]}'," plus whitespace).
func jsonBody(endpoint string, b []byte) ([]byte, error) {
	i := bytes.IndexByte(b, '{')
	if i < 0 || i > 16 {
		return nil, shapeErr(endpoint, b, "no JSON object after the anti-XSSI prefix")
	}
	return b[i:], nil
}

func object(endpoint string, body, raw []byte, what string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, shapeErr(endpoint, body, "%s is not a JSON object", what)
	}
	return m, nil
}

// DecodeExplore finds the TIMESERIES widget in an explore body.
func DecodeExplore(body []byte) (*Widget, error) { return decodeExplore(body) }

func decodeExplore(body []byte) (*Widget, error) {
	js, err := jsonBody("explore", body)
	if err != nil {
		return nil, err
	}
	top, err := object("explore", body, js, "the answer")
	if err != nil {
		return nil, err
	}
	var widgets []json.RawMessage
	if raw, ok := top["widgets"]; !ok || json.Unmarshal(raw, &widgets) != nil {
		return nil, shapeErr("explore", body, "no widgets array")
	}
	var ids []string
	for _, raw := range widgets {
		var w map[string]json.RawMessage
		if json.Unmarshal(raw, &w) != nil {
			continue
		}
		id, _ := asString(w["id"])
		ids = append(ids, id)
		if id != "TIMESERIES" {
			continue
		}
		out := &Widget{ID: id}
		if out.Token, _ = asString(w["token"]); out.Token == "" {
			return nil, shapeErr("explore", body, "TIMESERIES widget has no token")
		}
		var req bytes.Buffer
		if r := bytes.TrimSpace(w["request"]); len(r) == 0 || r[0] != '{' || json.Compact(&req, r) != nil {
			return nil, shapeErr("explore", body, "TIMESERIES widget has no request object")
		}
		out.Request = req.Bytes()
		var meta struct {
			Resolution any `json:"resolution"`
			UserConfig struct {
				UserType any `json:"userType"`
			} `json:"userConfig"`
		}
		_ = json.Unmarshal(out.Request, &meta) // informative only
		out.Resolution, _ = meta.Resolution.(string)
		out.UserType, _ = meta.UserConfig.UserType.(string)
		if out.Resolution == "" {
			out.Warnings = append(out.Warnings, "explore: TIMESERIES request has no resolution")
		}
		return out, nil
	}
	return nil, shapeErr("explore", body, "no TIMESERIES widget among %q", ids)
}

// DecodeMultiline decodes a widgetdata/multiline body of n keywords. The
// returned Series holds Points, Averages and Warnings only.
func DecodeMultiline(body []byte, n int) (*Series, error) { return decodeMultiline(body, n) }

func decodeMultiline(body []byte, n int) (*Series, error) {
	const ep = "multiline"
	js, err := jsonBody(ep, body)
	if err != nil {
		return nil, err
	}
	top, err := object(ep, body, js, "the answer")
	if err != nil {
		return nil, err
	}
	rawDef, ok := top["default"]
	if !ok {
		return nil, shapeErr(ep, body, "no default object")
	}
	def, err := object(ep, body, rawDef, "default")
	if err != nil {
		return nil, err
	}
	warn := newWarnings()
	rawTL, ok := def["timelineData"]
	if !ok {
		key, found := findTimeline(def)
		if !found {
			return nil, shapeErr(ep, body, "no timelineData (nor any array of points with a time) in default")
		}
		warn.add("multiline: timelineData missing; read the points from default.%s", key)
		rawTL = def[key]
	}
	var items []json.RawMessage
	if json.Unmarshal(rawTL, &items) != nil {
		return nil, shapeErr(ep, body, "timelineData is not an array")
	}
	s := &Series{}
	for i, raw := range items {
		var f map[string]json.RawMessage
		if json.Unmarshal(raw, &f) != nil || f == nil {
			warn.add("multiline: skipped timeline items that are not objects")
			continue
		}
		p, err := decodePoint(f, n, warn)
		if err != nil {
			return nil, shapeErr(ep, body, "point %d: %v", i, err)
		}
		s.Points = append(s.Points, p)
	}
	if raw, ok := def["averages"]; ok {
		if avg, err := numbers(raw); err == nil {
			s.Averages = avg
		} else {
			warn.add("multiline: averages unreadable, ignored")
		}
	}
	if raw, ok := def["syntheticData"]; ok {
		var v any
		_ = json.Unmarshal(raw, &v)
		s.Synthetic = truthy(v)
	}
	s.Warnings = warn.list
	return s, nil
}

// findTimeline returns the key of the only array in def whose first
// element is an object with a "time" field.
func findTimeline(def map[string]json.RawMessage) (string, bool) {
	var found []string
	for k, raw := range def {
		var arr []map[string]json.RawMessage
		if json.Unmarshal(raw, &arr) == nil && len(arr) > 0 {
			if _, ok := arr[0]["time"]; ok {
				found = append(found, k)
			}
		}
	}
	if len(found) != 1 {
		return "", false
	}
	return found[0], true
}

func decodePoint(f map[string]json.RawMessage, n int, warn *warnings) (Point, error) {
	var p Point
	rawT, ok := f["time"]
	if !ok {
		return p, fmt.Errorf("no time")
	}
	secs, err := number(rawT)
	if err != nil {
		return p, fmt.Errorf("time: %v", err)
	}
	p.Time = time.Unix(int64(secs), 0).UTC()
	rawV, ok := f["value"]
	if !ok {
		return p, fmt.Errorf("no value")
	}
	if p.Values, err = numbers(rawV); err != nil {
		return p, fmt.Errorf("value: %v", err)
	}
	if bytes.Contains(rawV, []byte(`"`)) {
		warn.add("multiline: value sent as strings, parsed")
	} else if firstByte(rawV) != '[' {
		warn.add("multiline: value sent as a scalar, read as one value")
	}
	if len(p.Values) != n {
		return p, fmt.Errorf("%d values for %d keywords", len(p.Values), n)
	}
	for _, v := range p.Values {
		if v < 0 || v > 100 {
			return p, fmt.Errorf("value %d outside 0-100", v)
		}
	}
	p.HasData = make([]bool, n)
	var hd []any
	rawH, present := f["hasData"]
	if present && json.Unmarshal(rawH, &hd) == nil && len(hd) == n {
		for i, h := range hd {
			p.HasData[i] = truthy(h)
		}
	} else {
		if present {
			warn.add("multiline: hasData unreadable; inferred from value > 0")
		} else {
			warn.add("multiline: hasData missing; inferred from value > 0")
		}
		for i, v := range p.Values {
			p.HasData[i] = v > 0
		}
	}
	if raw, ok := f["isPartial"]; ok {
		var v any
		_ = json.Unmarshal(raw, &v)
		p.IsPartial = truthy(v)
	}
	return p, nil
}

func truthy(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		b, _ := strconv.ParseBool(strings.TrimSpace(t))
		return b
	case float64:
		return t != 0
	}
	return false
}

func firstByte(raw json.RawMessage) byte {
	if r := bytes.TrimSpace(raw); len(r) > 0 {
		return r[0]
	}
	return 0
}

// numbers reads an array of numbers (or numeric strings), or a scalar.
func numbers(raw json.RawMessage) ([]int, error) {
	var arr []json.RawMessage
	if firstByte(raw) != '[' {
		v, err := number(raw)
		if err != nil {
			return nil, err
		}
		return []int{v}, nil
	}
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, fmt.Errorf("not an array")
	}
	out := make([]int, len(arr))
	for i, r := range arr {
		v, err := number(r)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// number reads a JSON number or a string holding one ("42", "<1" is 0).
func number(raw json.RawMessage) (int, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, fmt.Errorf("unreadable %s", raw)
	}
	switch t := v.(type) {
	case float64:
		return int(math.Round(t)), nil
	case string:
		s := strings.TrimSpace(t)
		if strings.HasPrefix(s, "<") {
			return 0, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", t)
		}
		return int(math.Round(f)), nil
	}
	return 0, fmt.Errorf("%s is not a number", raw)
}

func asString(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

type warnings struct {
	seen map[string]bool
	list []string
}

func newWarnings() *warnings { return &warnings{seen: map[string]bool{}} }

func (w *warnings) add(format string, args ...any) {
	m := fmt.Sprintf(format, args...)
	if !w.seen[m] {
		w.seen[m] = true
		w.list = append(w.list, m)
	}
}
