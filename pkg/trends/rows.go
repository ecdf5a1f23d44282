package trends

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/kst"
)

// Capture is one request as the lake keeps it: both answers exactly as
// received, with what was asked. It holds no secret (the endpoints take
// none).
type Capture struct {
	Keywords     []string  `json:"keywords"`
	Geo          string    `json:"geo"`
	Window       string    `json:"window"` // "YYYY-MM-DD YYYY-MM-DD", KST dates
	ExploreURL   string    `json:"explore_url"`
	MultilineURL string    `json:"multiline_url"`
	FetchedAt    time.Time `json:"fetched_at"`
	Explore      string    `json:"explore"`   // body as received
	Multiline    string    `json:"multiline"` // body as received
}

// Capture returns the series' raw answers and request, for the lake.
func (s *Series) Capture() Capture {
	return Capture{Keywords: s.Keywords, Geo: s.Geo, Window: s.Window, ExploreURL: s.ExploreURL,
		MultilineURL: s.MultilineURL, FetchedAt: s.FetchedAt.UTC(), Explore: string(s.RawExplore), Multiline: string(s.RawMultiline)}
}

// ParseCapture decodes a Capture written by the extractor back into a
// Series (not normalized). What cannot be understood is an *apicall.ShapeError.
func ParseCapture(b []byte) (*Series, error) {
	var c Capture
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, &apicall.ShapeError{Op: "capture", Reason: "not a capture: " + err.Error(), Body: b}
	}
	if len(c.Keywords) == 0 || len(c.Keywords) > MaxKeywords {
		return nil, &apicall.ShapeError{Op: "capture", Reason: fmt.Sprintf("%d keywords", len(c.Keywords)), Body: b}
	}
	from, to, err := parseWindow(c.Window)
	if err != nil {
		return nil, &apicall.ShapeError{Op: "capture", Reason: err.Error(), Body: b}
	}
	w, err := decodeExplore([]byte(c.Explore))
	if err != nil {
		return nil, err
	}
	s, err := decodeMultiline([]byte(c.Multiline), len(c.Keywords))
	if err != nil {
		return nil, err
	}
	s.Keywords, s.Geo, s.Window, s.From, s.To = c.Keywords, c.Geo, c.Window, from, to
	s.Resolution, s.UserType = w.Resolution, w.UserType
	s.Warnings = append(w.Warnings, s.Warnings...)
	s.RawExplore, s.RawMultiline = []byte(c.Explore), []byte(c.Multiline)
	s.ExploreURL, s.MultilineURL, s.FetchedAt = c.ExploreURL, c.MultilineURL, c.FetchedAt
	return s, nil
}

// parseWindow reads "YYYY-MM-DD YYYY-MM-DD" as KST dates.
func parseWindow(w string) (from, to time.Time, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(w), " ")
	if ok {
		from, err = time.ParseInLocation(time.DateOnly, a, kst.Zone)
		if err == nil {
			to, err = time.ParseInLocation(time.DateOnly, strings.TrimSpace(b), kst.Zone)
		}
	}
	if !ok || err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("window %q is not two dates", w)
	}
	return from, to, nil
}

// RequestID names a request by what was asked (keywords in order, geo,
// window), so fetching the same request again yields the same id.
func RequestID(keywords []string, geo, window string) string {
	h := sha256.Sum256([]byte(strings.Join(keywords, "\x1f") + "\x1e" + geo + "\x1e" + window))
	return hex.EncodeToString(h[:8])
}

// Row is one keyword's interest in one period of one request: the clean
// row the transformer writes and the warehouse loads.
type Row struct {
	Keyword    string `json:"keyword"`
	Period     string `json:"period"`     // KST date the period starts, YYYY-MM-DD
	Resolution string `json:"resolution"` // WEEK, DAY, ... ("" if not said)
	Interest   int    `json:"interest"`   // 0-100 within the request, as Google gave it
	HasData    bool   `json:"has_data"`
	IsPartial  bool   `json:"is_partial"` // the period was not over when fetched
	// Scaled is Interest * Scale: 100 is the anchor's mean over the window.
	Scaled     float64 `json:"interest_scaled"`
	Anchor     string  `json:"anchor"`
	AnchorMean float64 `json:"anchor_mean"`
	Scale      float64 `json:"scale"`
	// RequestID names the request (RequestID); RequestKeywords are its
	// keywords in order, joined by ", ".
	RequestID       string    `json:"request_id"`
	RequestKeywords string    `json:"request_keywords"`
	Geo             string    `json:"geo"`
	WindowFrom      string    `json:"window_from"` // KST dates
	WindowTo        string    `json:"window_to"`
	FetchedAt       time.Time `json:"fetched_at"`
	Synthetic       bool      `json:"synthetic"`
	RunID           string    `json:"run_id"`
	SourceObject    string    `json:"source_object"`
}

// Rows flattens a normalized series into one Row per keyword and period.
func Rows(s *Series, runID, object string) []Row {
	id := RequestID(s.Keywords, s.Geo, s.Window)
	from, to, _ := parseWindow(s.Window)
	var out []Row
	for _, p := range s.Points {
		for k, kw := range s.Keywords {
			r := Row{Keyword: kw, Period: p.Time.In(kst.Zone).Format(time.DateOnly), Resolution: s.Resolution,
				IsPartial: p.IsPartial, Anchor: s.Anchor, AnchorMean: s.AnchorMean, Scale: s.Scale,
				RequestID: id, RequestKeywords: strings.Join(s.Keywords, ", "), Geo: s.Geo,
				WindowFrom: from.Format(time.DateOnly), WindowTo: to.Format(time.DateOnly),
				FetchedAt: s.FetchedAt.UTC(), Synthetic: s.Synthetic, RunID: runID, SourceObject: object}
			if k < len(p.Values) {
				r.Interest = p.Values[k]
			}
			if k < len(p.HasData) {
				r.HasData = p.HasData[k]
			}
			if k < len(p.Scaled) {
				r.Scaled = p.Scaled[k]
			}
			out = append(out, r)
		}
	}
	return out
}
