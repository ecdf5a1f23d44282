//go:build goexperiment.jsonv2

package saramin

import (
	"bytes"
	"encoding/json/jsontext"
)

// stdlibDecoders walks with Go's own encoding/json/jsontext.
var stdlibDecoders = []struct {
	name string
	walk func(data []byte) int
}{{"stdlib-jsontext", func(data []byte) int { return walkStdJSONText(data, string(data)) }}}

func walkStdJSONText(data []byte, text string) int {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	return walkTokens[jsontext.Kind, jsontext.Value, jsontext.Token](dec, text, jsontext.AppendUnquote[jsontext.Value])
}
