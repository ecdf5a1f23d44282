package notify

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"jobpulse/pkg/kst"
)

// view is an event laid out for a person, before a channel's limits apply.
type view struct {
	emoji, headline string
	summary         string
	fields          []Field // the event's figures
	meta            []Field // source, window, run id
	errText, rerun  string
	itemsLabel      string
	items           []string
	footer          []string
}

func (v view) title() string { return v.emoji + " " + v.headline }

// allFields are the figures followed by the source, window and run id.
func (v view) allFields() []Field {
	return append(append([]Field(nil), v.fields...), v.meta...)
}

func (e Event) view() view {
	emoji, headline := e.headline()
	v := view{
		emoji:    emoji,
		headline: oneLine(headline),
		summary:  strings.TrimSpace(e.Summary),
		errText:  strings.TrimSpace(e.Error),
		rerun:    strings.TrimSpace(e.Rerun),
	}
	for _, f := range e.Fields {
		if f.Label == "" && f.Value == "" {
			continue
		}
		if f.Value == "" {
			f.Value = "—"
		}
		v.fields = append(v.fields, Field{Label: oneLine(f.Label), Value: f.Value})
	}
	if e.Source != "" {
		v.meta = append(v.meta, Field{Label: "Source", Value: string(e.Source)})
	}
	if w := Window(e.From, e.To); w != "" {
		v.meta = append(v.meta, Field{Label: "Window", Value: w})
	}
	if e.RunID != "" {
		v.meta = append(v.meta, Field{Label: "Run id", Value: e.RunID})
	}
	for _, it := range e.Items {
		if it = strings.TrimSpace(it); it != "" {
			v.items = append(v.items, it)
		}
	}
	switch e.Kind {
	case KeywordsFailed:
		v.itemsLabel = "Keywords:"
	case Quarantined:
		v.itemsLabel = "Set aside:"
	case HealthProblem:
		v.itemsLabel = "Findings:"
	case CheckFailed:
		v.itemsLabel = "Failed checks:"
	default:
		v.itemsLabel = "Details:"
	}
	if e.Job != "" {
		v.footer = append(v.footer, "job "+e.Job)
	}
	if e.Step != "" {
		v.footer = append(v.footer, "step "+e.Step)
	}
	if e.Execution != "" {
		v.footer = append(v.footer, "execution "+e.Execution)
	}
	if !e.At.IsZero() {
		v.footer = append(v.footer, FormatKST(e.At))
	}
	return v
}

// FormatKST writes t as a person in Korea reads it: "2026-11-25 09:05 KST".
func FormatKST(t time.Time) string {
	return t.In(kst.Zone).Format("2006-01-02 15:04") + " KST"
}

// Window writes a run's window in KST: "2026-11-25 09:00–10:00 KST" within
// a day, "2026-11-25 23:00–24:00 KST" up to the next midnight, both dates
// otherwise; "" when both ends are zero.
func Window(from, to time.Time) string {
	switch {
	case from.IsZero() && to.IsZero():
		return ""
	case to.IsZero():
		return "from " + FormatKST(from)
	case from.IsZero():
		return "until " + FormatKST(to)
	}
	f, t := from.In(kst.Zone), to.In(kst.Zone)
	day := f.Format("2006-01-02")
	if t.Format("2006-01-02") == day {
		return day + " " + f.Format("15:04") + "–" + t.Format("15:04") + " KST"
	}
	midnight := time.Date(f.Year(), f.Month(), f.Day()+1, 0, 0, 0, 0, kst.Zone)
	if t.Equal(midnight) {
		return day + " " + f.Format("15:04") + "–24:00 KST"
	}
	return day + " " + f.Format("15:04") + "–" + t.Format("2006-01-02 15:04") + " KST"
}

// EmailMessage renders e as an email: a subject such as "[jobpulse]
// loader failed at load (saramin)" and a plain-text body with the same
// content as the Slack message, less tightly cut. The body is sent as
// text/plain alone, which a mail client shows as typed: text from an API
// (a posting's title, an error quoting a record) is never read as HTML,
// so it is written as it is, not escaped. An HTML part would have to
// escape every text (html/template).
func EmailMessage(e Event) (subject, body string) {
	v := e.view()
	subject = "[jobpulse] " + v.headline
	if e.Source != "" {
		subject += " (" + string(e.Source) + ")"
	}
	subject = truncate(oneLine(subject), maxSubject)

	var b strings.Builder
	b.WriteString(v.title() + "\n")
	if v.summary != "" {
		b.WriteString("\n" + truncate(v.summary, maxMailText) + "\n")
	}
	if fields := v.allFields(); len(fields) > 0 {
		b.WriteString("\n")
		for _, f := range fields {
			fmt.Fprintf(&b, "%s: %s\n", f.Label, truncate(oneLine(f.Value), maxMailText))
		}
	}
	if v.errText != "" {
		b.WriteString("\nError:\n" + indent(truncate(v.errText, maxMailText), "    ") + "\n")
	}
	if v.rerun != "" {
		b.WriteString("\nRe-run:\n" + indent(truncate(v.rerun, maxMailText), "    ") + "\n")
	}
	if len(v.items) > 0 {
		b.WriteString("\n" + v.itemsLabel + "\n")
		for _, it := range shown(v.items, maxMailItems) {
			b.WriteString("  - " + truncate(oneLine(it), maxMailText) + "\n")
		}
	}
	if len(v.footer) > 0 {
		b.WriteString("\n" + strings.Join(v.footer, " · ") + "\n")
	}
	b.WriteString("\n-- \njobpulse\n")
	return subject, b.String()
}

// Limits of the email rendering.
const (
	maxSubject   = 200
	maxMailText  = 20000
	maxMailItems = 50
)

// shown returns at most max items, the last saying how many more there
// are.
func shown(items []string, max int) []string {
	if len(items) <= max {
		return items
	}
	out := append([]string(nil), items[:max]...)
	return append(out, fmt.Sprintf("and %d more", len(items)-max))
}

// truncate shortens s to at most max UTF-16 code units (what Slack counts;
// never fewer than the runes), cutting between runes and marking the cut
// with "…".
func truncate(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if max <= 0 {
		return ""
	}
	if utf16Len(s) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if n+w > max-1 {
			return s[:i] + "…"
		}
		n += w
	}
	return s
}

// utf16Len counts s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// oneLine puts s on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}
