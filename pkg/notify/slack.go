package notify

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// Slack's Block Kit limits (in characters; truncate counts UTF-16 code
// units, which is never fewer).
const (
	maxHeader        = 150  // header block text
	maxText          = 3000 // section text, preformatted text
	maxFieldText     = 2000 // one section field
	maxFields        = 10   // fields per section
	maxFieldSections = 3    // sections of fields per message
	maxItems         = 10   // list items shown, then "and N more"
	maxItemText      = 300  // one list item
	maxContext       = 10   // context block elements
	maxContextText   = 300  // one context element (ours are short)
	maxFallback      = 3000 // the notification text
	maxBlocks        = 50   // blocks per message
)

// SlackMessage renders e as a Block Kit message a person reads at a
// glance: the title as header, the summary, the figures as fields (with
// the source, the window in KST and the run id), the error and the re-run
// command as code, the items as a bulleted list and a context line with
// the job, execution and time. Every text is cut to Slack's limits.
//
// Any text may come from an API (titles, names, keywords, error messages
// quoting records), and Slack shows all of it as typed: plain_text and
// rich-text elements are never parsed for markup, and the mrkdwn texts
// (fields and the notification text) have &, < and > escaped, so no
// text can become a link or a mention.
func SlackMessage(e Event) *slack.WebhookMessage {
	v := e.view()
	blocks := []slack.Block{
		slack.NewHeaderBlock(plainText(truncate(v.title(), maxHeader))),
	}
	if v.summary != "" {
		blocks = append(blocks, slack.NewSectionBlock(plainText(truncate(v.summary, maxText)), nil, nil))
	}
	blocks = append(blocks, fieldSections(v.fields, v.meta)...)
	if v.errText != "" {
		blocks = append(blocks, codeBlock("Error:", v.errText))
	}
	if v.rerun != "" {
		blocks = append(blocks, codeBlock("Re-run:", v.rerun))
	}
	if len(v.items) > 0 {
		var list []slack.RichTextElement
		for _, it := range shown(v.items, maxItems) {
			list = append(list, slack.NewRichTextSection(slack.NewRichTextSectionTextElement(truncate(oneLine(it), maxItemText), nil)))
		}
		blocks = append(blocks, slack.NewRichTextBlock("",
			slack.NewRichTextSection(slack.NewRichTextSectionTextElement(v.itemsLabel, &slack.RichTextSectionTextStyle{Bold: true})),
			slack.NewRichTextList(slack.RTEListBullet, 0, list...),
		))
	}
	if len(v.footer) > 0 {
		var els []slack.MixedElement
		for _, f := range v.footer[:min(len(v.footer), maxContext)] {
			els = append(els, slack.NewTextBlockObject(slack.PlainTextType, truncate(oneLine(f), maxContextText), false, false))
		}
		blocks = append(blocks, slack.NewContextBlock("", els...))
	}
	if len(blocks) > maxBlocks { // cannot happen with the caps above; kept as a guard
		blocks = blocks[:maxBlocks]
	}
	fallback := v.title()
	if v.summary != "" {
		first, _, _ := strings.Cut(v.summary, "\n")
		fallback += ": " + first
	}
	return &slack.WebhookMessage{
		Text:   fitEscaped(fallback, maxFallback),
		Blocks: &slack.Blocks{BlockSet: blocks},
	}
}

func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

// fieldSections lays the figures and then meta out as "*Label*\nvalue",
// ten to a section; when they fill more than maxFieldSections sections,
// the figures that do not fit are replaced by one saying how many there
// were.
func fieldSections(figures, meta []Field) []slack.Block {
	if room := maxFields*maxFieldSections - len(meta); len(figures) > room {
		more := len(figures) - (room - 1)
		figures = append(append([]Field(nil), figures[:room-1]...), Field{Label: "More", Value: fmt.Sprintf("%d more figures", more)})
	}
	fields := append(append([]Field(nil), figures...), meta...)
	if len(fields) == 0 {
		return nil
	}
	var blocks []slack.Block
	for start := 0; start < len(fields); start += maxFields {
		var objs []*slack.TextBlockObject
		for _, f := range fields[start:min(start+maxFields, len(fields))] {
			label := fitEscaped(f.Label, 100)
			value := fitEscaped(f.Value, maxFieldText-utf16Len(label)-3)
			// Verbatim: Slack does not turn a bare @channel, #channel or URL
			// in the data into a mention or a link.
			objs = append(objs, slack.NewTextBlockObject(slack.MarkdownType, "*"+label+"*\n"+value, false, true))
		}
		blocks = append(blocks, slack.NewSectionBlock(nil, objs, nil))
	}
	return blocks
}

// codeBlock is a bold label over preformatted text.
func codeBlock(label, code string) slack.Block {
	return slack.NewRichTextBlock("",
		slack.NewRichTextSection(slack.NewRichTextSectionTextElement(label, &slack.RichTextSectionTextStyle{Bold: true})),
		&slack.RichTextPreformatted{
			Type:     slack.RTEPreformatted,
			Elements: []slack.RichTextSectionElement{slack.NewRichTextSectionTextElement(truncate(code, maxText), nil)},
		},
	)
}

// escapeMrkdwn escapes the three characters Slack's mrkdwn reserves.
func escapeMrkdwn(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func unescapeMrkdwn(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// fitEscaped escapes s for mrkdwn and cuts it to max once escaped, never
// inside an escape.
func fitEscaped(s string, max int) string {
	budget := max
	for budget > 0 {
		out := escapeMrkdwn(truncate(s, budget))
		over := utf16Len(out) - max
		if over <= 0 {
			return out
		}
		budget -= over
	}
	return ""
}

// PlainText renders a webhook message's blocks as a person reads them in
// Slack: the headline, then each block's lines, fields as "Label: value",
// code as indented lines, list items as bullets and the context on one
// line. A message without blocks gives its text.
func PlainText(m *slack.WebhookMessage) string {
	if m == nil {
		return ""
	}
	if m.Blocks == nil || len(m.Blocks.BlockSet) == 0 {
		return unescapeMrkdwn(m.Text)
	}
	// Going through JSON reads blocks built here and blocks decoded from
	// a request alike.
	raw, err := json.Marshal(m.Blocks.BlockSet)
	if err != nil {
		return unescapeMrkdwn(m.Text)
	}
	var blocks []ptBlock
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return unescapeMrkdwn(m.Text)
	}
	var lines []string
	for _, b := range blocks {
		lines = append(lines, b.lines()...)
	}
	return strings.Join(lines, "\n") + "\n"
}

// ptBlock is the part of a block PlainText reads.
type ptBlock struct {
	Type     string      `json:"type"`
	Text     *ptText     `json:"text"`
	Fields   []ptText    `json:"fields"`
	Elements []ptElement `json:"elements"`
}

type ptText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

func (t ptText) plain() string {
	if t.Type == slack.MarkdownType {
		return mrkdwnLines(t.Text)
	}
	return t.Text
}

// ptElement is a context element or a rich-text element.
type ptElement struct {
	Type     string          `json:"type"`
	Text     string          `json:"text"`
	Elements []ptElement     `json:"elements"`
	Style    json.RawMessage `json:"style"` // a list's style is a string, a text's an object
	Indent   int             `json:"indent"`
	URL      string          `json:"url"`
	Name     string          `json:"name"`
	UserID   string          `json:"user_id"`
	Channel  string          `json:"channel_id"`
	AltText  string          `json:"alt_text"`
}

func (b ptBlock) lines() []string {
	switch b.Type {
	case "header":
		if b.Text != nil {
			return []string{b.Text.Text}
		}
	case "section":
		var out []string
		if b.Text != nil {
			out = append(out, b.Text.plain())
		}
		for _, f := range b.Fields {
			out = append(out, fieldLine(f))
		}
		return out
	case "context":
		var parts []string
		for _, e := range b.Elements {
			switch e.Type {
			case slack.PlainTextType:
				parts = append(parts, e.Text)
			case slack.MarkdownType:
				parts = append(parts, mrkdwnLines(e.Text))
			case "image":
				parts = append(parts, e.AltText)
			}
		}
		return []string{strings.Join(parts, " · ")}
	case "divider":
		return []string{"---"}
	case "rich_text":
		var out []string
		for _, e := range b.Elements {
			out = append(out, e.richLines()...)
		}
		return out
	}
	return nil
}

// fieldLine turns "*Label*\nvalue" into "Label: value".
func fieldLine(f ptText) string {
	if f.Type == slack.MarkdownType && strings.HasPrefix(f.Text, "*") {
		if label, value, ok := strings.Cut(f.Text[1:], "*\n"); ok {
			return unescapeMrkdwn(label) + ": " + unescapeMrkdwn(value)
		}
	}
	return strings.ReplaceAll(f.plain(), "\n", " ")
}

// mrkdwnLines reads mrkdwn text: fenced code becomes indented lines and
// escapes are undone; other formatting is left as typed.
func mrkdwnLines(s string) string {
	parts := strings.Split(s, "```")
	for i := range parts {
		parts[i] = unescapeMrkdwn(parts[i])
		if i%2 == 1 {
			parts[i] = "\n" + indent(strings.Trim(parts[i], "\n"), "    ") + "\n"
		}
	}
	return strings.TrimSpace(strings.Join(parts, ""))
}

func (e ptElement) richLines() []string {
	switch e.Type {
	case "rich_text_section":
		return []string{e.inline()}
	case "rich_text_preformatted":
		return []string{indent(e.inline(), "    ")}
	case "rich_text_quote":
		return []string{indent(e.inline(), "> ")}
	case "rich_text_list":
		var style string
		_ = json.Unmarshal(e.Style, &style)
		pad := strings.Repeat("  ", e.Indent)
		var out []string
		for i, item := range e.Elements {
			bullet := "• "
			if style == string(slack.RTEListOrdered) {
				bullet = fmt.Sprintf("%d. ", i+1)
			}
			out = append(out, pad+bullet+item.inline())
		}
		return out
	}
	return nil
}

// inline joins the text of a rich-text section's elements.
func (e ptElement) inline() string {
	var b strings.Builder
	for _, el := range e.Elements {
		switch el.Type {
		case "text":
			b.WriteString(el.Text)
		case "link":
			if el.Text != "" {
				b.WriteString(el.Text)
			} else {
				b.WriteString(el.URL)
			}
		case "emoji":
			b.WriteString(":" + el.Name + ":")
		case "user":
			b.WriteString("@" + el.UserID)
		case "channel":
			b.WriteString("#" + el.Channel)
		}
	}
	return b.String()
}
