//go:build goexperiment.jsonv2

package saramin

import (
	"bytes"
	"encoding/json/jsontext"
	"errors"
	"io"
)

// stdlibDecoders walks with Go's own encoding/json/jsontext.
var stdlibDecoders = []struct {
	name string
	walk func(data []byte) int
}{{"stdlib-jsontext", func(data []byte) int { return walkStdJSONText(data, string(data)) }}}

func walkStdJSONText(data []byte, text string) int {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	n := 0
	var buf []byte
	for {
		if dec.PeekKind() == '"' {
			v, err := dec.ReadValue()
			if err != nil {
				panic(err)
			}
			if end := int(dec.InputOffset()); bytes.IndexByte(v, '\\') < 0 {
				sink = text[end-len(v)+1 : end-1]
			} else {
				buf, _ = jsontext.AppendUnquote(buf[:0], v)
				sink = string(buf)
			}
			n++
			continue
		}
		if _, err := dec.ReadToken(); err != nil {
			if errors.Is(err, io.EOF) {
				return n
			}
			panic(err)
		}
	}
}
