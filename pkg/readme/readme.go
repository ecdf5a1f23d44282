// Package readme rewrites the generated blocks of a Markdown file: the
// lines between a begin and an end marker, each an HTML comment on a line
// of its own, that a command writes from what it measured or read and no
// one edits by hand (the README's findings, its performance table).
package readme

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Block names a generated block: its markers are "<!-- NAME:begin -->" and
// "<!-- NAME:end -->".
type Block string

// Begin is the block's first line.
func (b Block) Begin() string { return "<!-- " + string(b) + ":begin -->" }

// End is the block's last line.
func (b Block) End() string { return "<!-- " + string(b) + ":end -->" }

// Replace puts text (from Begin to End, each on a line of its own) in place
// of the block doc holds. doc must hold each marker exactly once, the
// beginning first, each on a line of its own.
func (b Block) Replace(doc []byte, text string) ([]byte, error) {
	begin, end, err := b.find(doc)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(text, b.Begin()+"\n") || !strings.HasSuffix(text, b.End()+"\n") {
		return nil, fmt.Errorf("%s: the block does not run from marker to marker", b)
	}
	return slices.Concat(doc[:begin], []byte(text), doc[end:]), nil
}

// In is the block doc holds, markers included.
func (b Block) In(doc []byte) (string, error) {
	begin, end, err := b.find(doc)
	if err != nil {
		return "", err
	}
	return string(doc[begin:end]), nil
}

// find is where the block lies: from the start of the begin marker's line
// to just after the end marker's line.
func (b Block) find(doc []byte) (begin, end int, err error) {
	for _, m := range []string{b.Begin(), b.End()} {
		if n := bytes.Count(doc, []byte(m)); n != 1 {
			return 0, 0, fmt.Errorf("%s: the README holds %q %d times; want once", b, m, n)
		}
	}
	begin = bytes.Index(doc, []byte(b.Begin()))
	end = bytes.Index(doc, []byte(b.End()))
	switch {
	case end < begin:
		return 0, 0, errors.New(string(b) + ": the end marker comes before the beginning")
	case begin > 0 && doc[begin-1] != '\n':
		return 0, 0, errors.New(string(b) + ": the begin marker does not start its line")
	case end+len(b.End()) >= len(doc) || doc[end+len(b.End())] != '\n':
		return 0, 0, errors.New(string(b) + ": the end marker does not end its line")
	}
	return begin, end + len(b.End()) + 1, nil
}
