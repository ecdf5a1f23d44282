package notifytest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

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

// unescapeMrkdwn undoes the escapes of Slack's mrkdwn.
func unescapeMrkdwn(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}
