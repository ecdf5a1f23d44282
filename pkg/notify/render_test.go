package notify_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"jobpulse/pkg/notify"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/source"
)

// hourStart is 2026-11-25 09:00 KST.
var hourStart = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

const runID = "saramin-20261125T000000Z-20261125T010000Z"

// sample is a realistic event of kind k.
func sample(k notify.Kind) notify.Event {
	e := notify.Event{
		Kind:      k,
		Job:       "loader",
		Step:      "load",
		Source:    source.Saramin,
		RunID:     runID,
		Execution: "jobpulse-loader-x7k2p",
		From:      hourStart,
		To:        hourStart.Add(time.Hour),
		Summary:   "Summary of " + string(k),
		Fields:    []notify.Field{{Label: "Found", Value: "120"}, {Label: "New", Value: "7"}},
		At:        hourStart.Add(65 * time.Minute),
	}
	if k.Failure() {
		e.Error = "bigquery: load job 3f9a2c1d4e5b6a7f failed: 2 rows rejected"
		e.Rerun = "gcloud run jobs execute jobpulse-loader --args=--replay=" + runID
		e.Items = []string{"데이터 엔지니어", "quarantine/saramin/postings/run=x/part-00000.ndjson"}
	}
	return e
}

func TestTitle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    notify.Event
		want string
	}{
		{notify.Event{Kind: notify.StepFailed, Job: "loader", Step: "load"}, "🚨 loader failed at load"},
		{notify.Event{Kind: notify.StepFailed, Job: "loader"}, "🚨 loader failed"},
		{notify.Event{Kind: notify.StepFailed}, "🚨 A step failed"},
		{notify.Event{Kind: notify.NoNewData, Source: source.Saramin}, "💤 No new postings this hour"},
		{notify.Event{Kind: notify.NoNewData, Source: source.Cert}, "💤 No new certifications this hour"},
		{notify.Event{Kind: notify.RunSucceeded, Source: source.Saramin}, "✅ Postings loaded"},
		{notify.Event{Kind: notify.KeywordsFailed, Items: []string{"a", "b", "c", "d"}}, "⚠️ 4 keywords not collected"},
		{notify.Event{Kind: notify.KeywordsFailed, Items: []string{"a"}}, "⚠️ 1 keyword not collected"},
		{notify.Event{Kind: notify.LoadComplete, Source: source.Trends}, "✅ Search interest loaded"},
		{notify.Event{Kind: notify.LoadComplete, Source: source.Cert}, "✅ Certifications loaded"},
		{notify.Event{Kind: notify.LoadComplete, Source: "큐넷"}, "✅ 큐넷 loaded"},
		{notify.Event{Kind: notify.CheckFailed, RunID: runID}, "🛑 Batch failed data checks and was quarantined"},
		{notify.Event{Kind: notify.CheckFailed}, "🛑 Warehouse failed data checks"},
		{notify.Event{Kind: notify.Quarantined, Items: []string{"a", "b"}}, "🚧 2 objects set aside in quarantine"},
		{notify.Event{Kind: notify.QuotaSpent}, "⏳ Daily API quota spent; extraction resumes once it resets"},
		{notify.Event{Kind: notify.ShapeDrift, Topic: "modification-timestamp in milliseconds"}, "🧬 API answers changed shape (modification-timestamp in milliseconds); read and kept"},
		{notify.Event{Kind: notify.HealthProblem, Items: []string{"a", "b", "c"}}, "🩺 Health check: 3 problems"},
		{notify.Event{Kind: notify.AllClear}, "💚 All clear"},
	}
	for _, tc := range tests {
		if got := tc.e.Title(); got != tc.want {
			t.Errorf("%s: Title() = %q, want %q", tc.e.Kind, got, tc.want)
		}
	}
	for _, k := range notify.Kinds() {
		if got := (notify.Event{Kind: k}).Title(); got == "" || strings.Contains(got, string(k)) {
			t.Errorf("%s: no wording of its own: %q", k, got)
		}
	}
}

func TestFailure(t *testing.T) {
	t.Parallel()
	alerts := map[notify.Kind]bool{
		notify.StepFailed: true, notify.KeywordsFailed: true, notify.CheckFailed: true,
		notify.Quarantined: true, notify.QuotaSpent: true, notify.ShapeDrift: true, notify.HealthProblem: true,
	}
	if len(notify.Kinds()) != 11 {
		t.Fatalf("Kinds() has %d kinds, want 11", len(notify.Kinds()))
	}
	for _, k := range notify.Kinds() {
		if k.Failure() != alerts[k] {
			t.Errorf("%s.Failure() = %v", k, k.Failure())
		}
	}
}

func TestSlackMessageEveryKind(t *testing.T) {
	t.Parallel()
	for _, k := range notify.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			e := sample(k)
			m := notify.SlackMessage(e)
			blocks := m.Blocks.BlockSet
			h, ok := blocks[0].(*slack.HeaderBlock)
			if !ok || h.Text.Text != e.Title() {
				t.Fatalf("first block = %#v, want the header %q", blocks[0], e.Title())
			}
			if !strings.HasPrefix(m.Text, e.Title()) {
				t.Errorf("fallback text %q does not start with the title", m.Text)
			}
			text := notifytest.PlainText(m)
			want := []string{
				e.Title() + "\n",
				"Summary of " + string(k),
				"Found: 120\nNew: 7\nSource: saramin\n",
				"Window: 2026-11-25 09:00–10:00 KST\n",
				"Run id: " + runID + "\n",
				"job loader · step load · execution jobpulse-loader-x7k2p · 2026-11-25 10:05 KST",
			}
			if k.Failure() {
				want = append(want,
					"Error:\n    bigquery: load job 3f9a2c1d4e5b6a7f failed: 2 rows rejected\n",
					"Re-run:\n    gcloud run jobs execute jobpulse-loader --args=--replay="+runID+"\n",
					"• 데이터 엔지니어\n",
				)
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("PlainText lacks %q:\n%s", w, text)
				}
			}

			// What the webhook receives reads the same.
			raw, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var got slack.WebhookMessage
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if back := notifytest.PlainText(&got); back != text {
				t.Errorf("PlainText after a JSON round trip:\n%s\nwant:\n%s", back, text)
			}
		})
	}
}

func TestPlainTextReadsLikeSlack(t *testing.T) {
	t.Parallel()
	e := notify.Event{
		Kind:      notify.KeywordsFailed,
		Job:       "extractor",
		Step:      "fetch",
		Source:    source.Trends,
		RunID:     "trends-20261124T150000Z-20261125T150000Z",
		Execution: "jobpulse-extractor-abc12",
		From:      time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC),
		To:        time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC),
		Summary:   "4 of 30 keyword requests failed; they are retried by the next run.",
		Fields:    []notify.Field{{Label: "Requested", Value: "30"}, {Label: "Collected", Value: "26"}},
		Error:     "trends: 429 Too Many Requests",
		Items:     []string{"데이터 엔지니어", "데이터 분석가", "<ml> & ops", "dbt"},
		Rerun:     "gcloud run jobs execute jobpulse-extractor --args=--source=trends",
		At:        time.Date(2026, 11, 25, 15, 2, 0, 0, time.UTC),
	}
	want := `⚠️ 4 keywords not collected
4 of 30 keyword requests failed; they are retried by the next run.
Requested: 30
Collected: 26
Source: trends
Window: 2026-11-25 00:00–24:00 KST
Run id: trends-20261124T150000Z-20261125T150000Z
Error:
    trends: 429 Too Many Requests
Re-run:
    gcloud run jobs execute jobpulse-extractor --args=--source=trends
Keywords:
• 데이터 엔지니어
• 데이터 분석가
• <ml> & ops
• dbt
job extractor · step fetch · execution jobpulse-extractor-abc12 · 2026-11-26 00:02 KST
`
	if got := notifytest.PlainText(notify.SlackMessage(e)); got != want {
		t.Errorf("PlainText:\n%s\nwant:\n%s", got, want)
	}
	if got := notifytest.PlainText(&slack.WebhookMessage{Text: "a &lt;b&gt;"}); got != "a <b>" {
		t.Errorf("PlainText of a text-only message = %q", got)
	}
}

// walk calls f for every JSON object in v.
func walk(v any, f func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(x)
		for _, c := range x {
			walk(c, f)
		}
	case []any:
		for _, c := range x {
			walk(c, f)
		}
	}
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

func TestSlackLimits(t *testing.T) {
	t.Parallel()
	korean := strings.Repeat("데이터 적재 실패 🚨 ", 400) // 5600 runes, emoji counted twice by UTF-16
	e := notify.Event{
		Kind:    notify.StepFailed,
		Job:     strings.Repeat("긴작업이름", 40),
		Step:    "load",
		Source:  source.Saramin,
		RunID:   runID,
		Summary: korean,
		Error:   korean,
		Rerun:   strings.Repeat("gcloud run jobs execute x ", 200),
		Items:   make([]string, 25),
		At:      hourStart,
	}
	for i := range e.Items {
		e.Items[i] = fmt.Sprintf("%d %s", i, korean[:600])
	}
	for i := range 40 {
		e.Fields = append(e.Fields, notify.Field{Label: fmt.Sprintf("필드 %d", i), Value: korean})
	}
	m := notify.SlackMessage(e)
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(raw) || strings.Contains(string(raw), `\ufffd`) {
		t.Fatal("message is not clean UTF-8: a rune was cut")
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	blocks := doc["blocks"].([]any)
	if len(blocks) > 50 {
		t.Errorf("%d blocks, Slack allows 50", len(blocks))
	}
	header := blocks[0].(map[string]any)["text"].(map[string]any)["text"].(string)
	if utf16Len(header) > 150 || !strings.HasSuffix(header, "…") {
		t.Errorf("header has %d characters, want ≤150 and cut with …", utf16Len(header))
	}
	for _, b := range blocks {
		b := b.(map[string]any)
		if b["type"] != "section" {
			continue
		}
		if txt, ok := b["text"].(map[string]any); ok && utf16Len(txt["text"].(string)) > 3000 {
			t.Errorf("section text has %d characters", utf16Len(txt["text"].(string)))
		}
		if fs, ok := b["fields"].([]any); ok {
			if len(fs) > 10 {
				t.Errorf("section has %d fields", len(fs))
			}
			for _, f := range fs {
				if n := utf16Len(f.(map[string]any)["text"].(string)); n > 2000 {
					t.Errorf("field has %d characters", n)
				}
			}
		}
	}
	walk(doc, func(o map[string]any) {
		if s, ok := o["text"].(string); ok && o["type"] == "text" && utf16Len(s) > 3000 {
			t.Errorf("rich text element has %d characters", utf16Len(s))
		}
	})
	if utf16Len(m.Text) > 3000 {
		t.Errorf("fallback text has %d characters", utf16Len(m.Text))
	}
	text := notifytest.PlainText(m)
	for _, w := range []string{"• 9 데이터", "• and 15 more", "More: 13 more figures", "Source: saramin\nRun id: ", "Error:\n    데이터 적재 실패"} {
		if !strings.Contains(text, w) {
			t.Errorf("PlainText lacks %q", w)
		}
	}
	if strings.Contains(text, "• 10 데이터") {
		t.Error("more than 10 items shown")
	}
}

func TestEmailMessage(t *testing.T) {
	t.Parallel()
	e := sample(notify.StepFailed)
	subject, body := notify.EmailMessage(e)
	if want := "[jobpulse] loader failed at load (saramin)"; subject != want {
		t.Errorf("subject = %q, want %q", subject, want)
	}
	for _, w := range []string{
		"🚨 loader failed at load\n",
		"Summary of step_failed",
		"Found: 120\nNew: 7\nSource: saramin\nWindow: 2026-11-25 09:00–10:00 KST\nRun id: " + runID + "\n",
		"Error:\n    bigquery: load job 3f9a2c1d4e5b6a7f failed: 2 rows rejected\n",
		"Re-run:\n    gcloud run jobs execute jobpulse-loader --args=--replay=" + runID + "\n",
		"  - 데이터 엔지니어\n",
		"job loader · step load · execution jobpulse-loader-x7k2p · 2026-11-25 10:05 KST",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q:\n%s", w, body)
		}
	}
	e.Summary = "line one\nline two"
	e.Source = "사람인\r\nBcc: x@example.com"
	if subject, _ := notify.EmailMessage(e); strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject spans lines: %q", subject)
	}
}

func TestKey(t *testing.T) {
	t.Parallel()
	base := notify.Event{Kind: notify.StepFailed, Job: "loader", Step: "load", Source: source.Saramin,
		RunID: runID, Execution: "jobpulse-loader-x7k2p",
		Error: "load " + runID + " (execution jobpulse-loader-x7k2p): job 3f9a2c1d failed after 12 rows at 2026-11-25T01:00:00Z"}
	next := base
	next.RunID = "saramin-20261125T010000Z-20261125T020000Z"
	next.Execution = "jobpulse-loader-q9zzt"
	next.Error = "load " + next.RunID + " (execution jobpulse-loader-q9zzt): job 77ab01ee failed after 3 rows at 2026-11-25T02:00:00Z"

	tests := []struct {
		name   string
		change func(e *notify.Event)
		same   bool
	}{
		{"next hour, same failure", func(e *notify.Event) { *e = next }, true},
		{"hex id of letters only", func(e *notify.Event) { e.Error = strings.Replace(e.Error, "3f9a2c1d", "deadbeefcafebabe", 1) }, true},
		{"spacing", func(e *notify.Event) { e.Error = strings.ReplaceAll(e.Error, " ", "  ") }, true},
		{"other error", func(e *notify.Event) { e.Error = "load: permission denied" }, false},
		{"other step", func(e *notify.Event) { e.Step = "check" }, false},
		{"other source", func(e *notify.Event) { e.Source = source.Trends }, false},
		{"other kind", func(e *notify.Event) { e.Kind = notify.CheckFailed }, false},
		{"other job", func(e *notify.Event) { e.Job = "transformer" }, false},
	}
	for _, tc := range tests {
		e := base
		tc.change(&e)
		if got := e.Key() == base.Key(); got != tc.same {
			t.Errorf("%s: same key = %v, want %v\n%s\n%s", tc.name, got, tc.same, e.Key(), base.Key())
		}
	}
	if name := notify.StateName(base.Key()); !strings.HasPrefix(name, "state/notify/") || len(name) != len("state/notify/")+32+len(".json") {
		t.Errorf("StateName = %q", name)
	}
}

func TestWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to time.Time
		want     string
	}{
		{hourStart, hourStart.Add(time.Hour), "2026-11-25 09:00–10:00 KST"},
		{hourStart.Add(14 * time.Hour), hourStart.Add(15 * time.Hour), "2026-11-25 23:00–24:00 KST"},
		{hourStart.Add(14 * time.Hour), hourStart.Add(16 * time.Hour), "2026-11-25 23:00–2026-11-26 01:00 KST"},
		{hourStart, time.Time{}, "from 2026-11-25 09:00 KST"},
		{time.Time{}, time.Time{}, ""},
	}
	for _, tc := range tests {
		if got := notify.Window(tc.from, tc.to); got != tc.want {
			t.Errorf("Window(%v, %v) = %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
}

// hostile is text an API could send in a posting's title, a company's name
// or a keyword, which reaches people in messages (an error quoting a
// record, a quarantined object, a finding). It must reach them as typed,
// never as markup, a link or a mention; mrkdwn is how it is written in
// Slack's mrkdwn.
var hostile = []struct{ name, text, mrkdwn string }{
	{"script", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
	{"img onerror", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
	{"ampersand", "R&D &amp; 데이터", "R&amp;D &amp;amp; 데이터"},
	{"channel mention", "<!channel> 긴급", "&lt;!channel&gt; 긴급"},
	{"link", "<https://evil.example|click>", "&lt;https://evil.example|click&gt;"},
	{"user mention", "<@U024BE7LH>", "&lt;@U024BE7LH&gt;"},
}

// hostileEvent carries text in every text of an event.
func hostileEvent(text string) notify.Event {
	return notify.Event{
		Kind:      notify.StepFailed,
		Job:       "transformer " + text,
		Step:      "transform",
		Source:    source.Source(text),
		RunID:     runID,
		Execution: "jobpulse-transformer-x7k2p",
		Summary:   "Posting 48213 titled " + text + " was set aside.",
		Fields:    []notify.Field{{Label: text, Value: text}},
		Error:     "saramin: record 48213: title " + text + ": unreadable",
		Items:     []string{text},
		Rerun:     "jobpulse-transformer --replay=" + runID,
		At:        hourStart,
	}
}

// mrkdwnEscaped reports what in a Slack message's JSON could be read as
// markup: a mrkdwn text (or the notification text, mrkdwn too) holding a
// bare < or >, or an & that starts no escape, or one Slack would
// preprocess (not verbatim); a link, mention or broadcast element; a URL.
// It returns the mrkdwn texts.
func mrkdwnEscaped(t *testing.T, raw []byte) []string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	checkText := func(where, s string) {
		rest := s
		for {
			i := strings.IndexByte(rest, '&')
			if i < 0 {
				break
			}
			rest = rest[i:]
			if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
				t.Errorf("%s: an & that starts no escape in %q", where, s)
			}
			rest = rest[1:]
		}
		if strings.ContainsAny(s, "<>") {
			t.Errorf("%s: a bare < or > in %q", where, s)
		}
	}
	var texts []string
	if s, ok := doc["text"].(string); ok {
		checkText("notification text", s)
		texts = append(texts, s)
	}
	walk(doc["blocks"], func(o map[string]any) {
		switch o["type"] {
		case "mrkdwn":
			s, _ := o["text"].(string)
			checkText("mrkdwn", s)
			if o["verbatim"] != true {
				t.Errorf("mrkdwn %q is not verbatim: Slack would link a bare @channel or URL in it", s)
			}
			texts = append(texts, s)
		case "link", "user", "usergroup", "channel", "broadcast":
			t.Errorf("a %s element: %v", o["type"], o)
		}
		if _, ok := o["url"]; ok {
			t.Errorf("a URL: %v", o)
		}
	})
	return texts
}

// TestSlackHostileText: text from an API is escaped in every mrkdwn text
// and reads as typed, in plain text and rich text, which Slack never
// parses.
func TestSlackHostileText(t *testing.T) {
	t.Parallel()
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			m := notify.SlackMessage(hostileEvent(tc.text))
			raw, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			texts := mrkdwnEscaped(t, raw)
			var escaped int
			for _, s := range texts {
				if strings.Contains(s, tc.mrkdwn) {
					escaped++
				}
			}
			// The figure, the source and the notification text.
			if escaped < 3 {
				t.Errorf("%d mrkdwn texts hold %q; want the figure, the source and the notification text:\n%s", escaped, tc.mrkdwn, strings.Join(texts, "\n"))
			}
			h := m.Blocks.BlockSet[0].(*slack.HeaderBlock)
			if want := "🚨 transformer " + tc.text + " failed at transform"; h.Text.Type != slack.PlainTextType || h.Text.Text != want {
				t.Errorf("header %s %q; want plain text %q", h.Text.Type, h.Text.Text, want)
			}
			text := notifytest.PlainText(m)
			for _, w := range []string{
				"Posting 48213 titled " + tc.text + " was set aside.\n",
				tc.text + ": " + tc.text + "\n",
				"Source: " + tc.text + "\n",
				"Error:\n    saramin: record 48213: title " + tc.text + ": unreadable\n",
				"• " + tc.text + "\n",
				"job transformer " + tc.text + " · step transform",
			} {
				if !strings.Contains(text, w) {
					t.Errorf("PlainText lacks %q:\n%s", w, text)
				}
			}
		})
	}
	// Cut to a field's limit, the text is never cut inside an escape.
	e := hostileEvent("x")
	e.Fields = []notify.Field{{Label: "Title", Value: strings.Repeat("<&>", 1000)}}
	raw, err := json.Marshal(notify.SlackMessage(e))
	if err != nil {
		t.Fatal(err)
	}
	mrkdwnEscaped(t, raw)
}

// TestEmailHostileText: the text/plain body shows text from an API as
// typed, and the subject stays one line.
func TestEmailHostileText(t *testing.T) {
	t.Parallel()
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			subject, body := notify.EmailMessage(hostileEvent(tc.text))
			if want := "[jobpulse] transformer " + tc.text + " failed at transform (" + tc.text + ")"; subject != want {
				t.Errorf("subject %q, want %q", subject, want)
			}
			for _, w := range []string{
				"🚨 transformer " + tc.text + " failed at transform\n",
				"Posting 48213 titled " + tc.text + " was set aside.\n",
				tc.text + ": " + tc.text + "\n",
				"Source: " + tc.text + "\n",
				"Error:\n    saramin: record 48213: title " + tc.text + ": unreadable\n",
				"  - " + tc.text + "\n",
			} {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			if strings.Contains(body, tc.mrkdwn) {
				t.Errorf("body holds Slack's escaping %q, not the text as typed:\n%s", tc.mrkdwn, body)
			}
		})
	}
}
