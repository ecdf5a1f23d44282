package notify

import (
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
