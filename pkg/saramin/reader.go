package saramin

import (
	"fmt"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// reader reads JSON text in one pass, checking its syntax as it goes the
// way encoding/json does (the same grammar, nesting limit and handling of
// invalid UTF-8, which is replaced by U+FFFD in decoded strings). The
// readers of the API's objects (job, page) are built on it; a syntax error
// anywhere makes bad true and stops every loop, and the caller asks
// encoding/json for the message.
//
// Strings without escapes are substrings of s, not copies: a page is made
// a string once and its postings' values point into it.
type reader struct {
	s     string
	i     int
	depth int
	bad   bool
}

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

func (r *reader) fail() {
	r.bad = true
	r.i = len(r.s)
}

// space marks JSON's white space.
var space = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// peek skips white space and returns the next byte (0 at the end).
func (r *reader) peek() byte {
	s, i := r.s, r.i
	for i < len(s) {
		c := s[i]
		if c > ' ' || !space[c] {
			r.i = i
			return c
		}
		// Indentation: the spaces after, eight at a time.
		for i++; i+8 <= len(s); i += 8 {
			if x := load64(s, i) ^ (lo8 * ' '); x != 0 {
				i += bits.TrailingZeros64(x) / 8
				break
			}
		}
	}
	r.i = i
	return 0
}

// open consumes the '{' or '[' at r.i.
func (r *reader) open() {
	r.i++
	if r.depth++; r.depth > maxDepth {
		r.fail()
	}
}

// more reports whether the object or array being read, whose closing
// byte is end, has another member: it consumes the ',' before one, or the
// closing byte. first is true before the first member.
func (r *reader) more(end byte, first bool) bool {
	c := r.peek()
	switch {
	case c == end:
		r.i++
		r.depth--
		return false
	case first && c != 0:
		return true
	case !first && c == ',':
		r.i++
		return true
	}
	r.fail()
	return false
}

// key reads an object member's name and the ':' after it.
func (r *reader) key() string {
	if r.peek() != '"' {
		r.fail()
		return ""
	}
	k := r.str()
	if r.peek() != ':' {
		r.fail()
		return ""
	}
	r.i++
	return k
}

// strStop marks the bytes that end a run of plain string content: the
// quote, the backslash and the control characters.
var strStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// str reads the string whose opening quote is at r.i and returns its
// value.
func (r *reader) str() string {
	start := r.i + 1
	end, escaped, ascii := scanString(r.s, start)
	if end < 0 {
		r.fail()
		return ""
	}
	r.i = end + 1
	raw := r.s[start:end]
	if !escaped && (ascii || utf8.ValidString(raw)) {
		return raw
	}
	return unquote(raw)
}

// scanString finds the closing quote of the string whose content starts
// at s[i], checking its escapes and that it holds no control character;
// end is -1 when there is none. escaped says whether it holds an escape,
// ascii whether it is all ASCII.
func scanString(s string, i int) (end int, escaped, ascii bool) {
	var high uint64 // or of the bytes passed: its top bits say whether any is not ASCII
	for {
		// Eight bytes at a time, while none is special.
		for i+8 <= len(s) {
			x := load64(s, i)
			if special8(x) != 0 {
				break
			}
			high |= x
			i += 8
		}
		for i < len(s) && !strStop[s[i]] {
			high |= uint64(s[i])
			i++
		}
		if i >= len(s) {
			return -1, false, false
		}
		switch s[i] {
		case '"':
			return i, escaped, high&hi8 == 0
		case '\\':
			if i+1 >= len(s) {
				return -1, false, false
			}
			escaped = true
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
				continue
			case 'u':
				if i+6 <= len(s) && hex4(s[i+2:i+6]) >= 0 {
					i += 6
					continue
				}
			}
		}
		return -1, false, false // a control character or a bad escape
	}
}

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// load64 reads the eight bytes of s at i, the first the lowest.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// special8 is not 0 when one of the eight bytes of x is a quote, a
// backslash or a control character (exactly when: each term is the
// classic test for a zero byte, or for a byte below 0x20).
func special8(x uint64) uint64 {
	q := x ^ (lo8 * '"')
	b := x ^ (lo8 * '\\')
	return ((q-lo8)&^q | (b-lo8)&^b | (x-lo8*0x20)&^x) & hi8
}

// runeLen is the length of the valid UTF-8 encoding of a rune that starts
// at s[i] (not ASCII), or 0 when there is none.
func runeLen(s string, i int) int {
	c := s[i]
	lo, hi := byte(0x80), byte(0xBF) // the second byte's range
	switch {
	case c < 0xC2:
		return 0
	case c < 0xE0:
		if i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			return 2
		}
		return 0
	case c < 0xF0:
		if c == 0xE0 {
			lo = 0xA0
		} else if c == 0xED {
			hi = 0x9F // not a surrogate
		}
		if i+2 < len(s) && lo <= s[i+1] && s[i+1] <= hi && s[i+2]&0xC0 == 0x80 {
			return 3
		}
		return 0
	case c < 0xF5:
		if c == 0xF0 {
			lo = 0x90
		} else if c == 0xF4 {
			hi = 0x8F
		}
		if i+3 < len(s) && lo <= s[i+1] && s[i+1] <= hi && s[i+2]&0xC0 == 0x80 && s[i+3]&0xC0 == 0x80 {
			return 4
		}
	}
	return 0
}

// hex4 reads four hexadecimal digits, or returns -1.
func hex4(s string) rune {
	var n rune
	for i := range 4 {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		n = n<<4 | rune(c)
	}
	return n
}

// unquote decodes the content of a string that has escapes or invalid
// UTF-8 (already checked by str) as encoding/json does: a lone surrogate
// and every byte of invalid UTF-8 become U+FFFD.
func unquote(raw string) string {
	b := make([]byte, 0, len(raw)+utf8.UTFMax)
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			switch e := raw[i+1]; e {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := hex4(raw[i+2 : i+6])
				i += 6
				if utf16.IsSurrogate(rr) {
					if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						if dec := utf16.DecodeRune(rr, hex4(raw[i+2:i+6])); dec != unicode.ReplacementChar {
							b = utf8.AppendRune(b, dec)
							i += 6
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default: // '"', '\\', '/'
				b = append(b, e)
			}
			i += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			rr, size := utf8.DecodeRuneInString(raw[i:])
			b = utf8.AppendRune(b, rr)
			i += size
		}
	}
	return string(b)
}

// skipStr checks the string at r.i without decoding it.
func (r *reader) skipStr() {
	end, _, _ := scanString(r.s, r.i+1)
	if end < 0 {
		r.fail()
		return
	}
	r.i = end + 1
}

// number reads the number at r.i and returns its text.
func (r *reader) number() string {
	s, i := r.s, r.i
	start := i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i)
	default:
		r.fail()
		return ""
	}
	if i < len(s) && s[i] == '.' {
		if j := digits(s, i+1); j > i+1 {
			i = j
		} else {
			r.fail()
			return ""
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if j := digits(s, i); j > i {
			i = j
		} else {
			r.fail()
			return ""
		}
	}
	r.i = i
	return s[start:i]
}

func digits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// literal consumes word (true, false or null) at r.i.
func (r *reader) literal(word string) {
	if len(r.s)-r.i >= len(word) && r.s[r.i:r.i+len(word)] == word {
		r.i += len(word)
		return
	}
	r.fail()
}

// skip checks and passes the value that starts at the next byte.
func (r *reader) skip() {
	switch r.peek() {
	case '{':
		r.open()
		for first := true; r.more('}', first); first = false {
			if r.peek() != '"' {
				r.fail()
				return
			}
			r.skipStr()
			if r.peek() != ':' {
				r.fail()
				return
			}
			r.i++
			r.skip()
		}
	case '[':
		r.open()
		for first := true; r.more(']', first); first = false {
			r.skip()
		}
	case '"':
		r.skipStr()
	case 't':
		r.literal("true")
	case 'f':
		r.literal("false")
	case 'n':
		r.literal("null")
	default:
		r.number()
	}
}

// raw skips the next value and returns its text.
func (r *reader) raw() string {
	r.peek()
	start := r.i
	r.skip()
	return r.s[start:r.i]
}

// end checks that nothing but white space follows the value read.
func (r *reader) end() {
	if r.peek() != 0 || r.i < len(r.s) {
		r.fail()
	}
}

// flex reads a scalar into f, as Flex.UnmarshalJSON describes.
func (r *reader) flex(f *Flex) {
	switch c := r.peek(); c {
	case '"':
		*f = Flex{S: r.str(), Valid: true}
	case 'n':
		r.literal("null")
		*f = Flex{}
	case 't':
		r.literal("true")
		*f = Flex{S: "true", Valid: true}
	case 'f':
		r.literal("false")
		*f = Flex{S: "false", Valid: true}
	case '{', '[':
		if v := r.raw(); v == "{}" || v == "[]" {
			*f = Flex{}
		} else {
			*f = Flex{Shape: shapeOf(c)}
		}
	default:
		*f = Flex{S: r.number(), Valid: true, Number: true}
	}
}

// shapeOf names the JSON kind of a value that starts with c.
func shapeOf(c byte) string {
	switch c {
	case '[':
		return "array"
	case '{':
		return "object"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	}
	return "number"
}

// objectOr starts reading an object where one is expected and a changed
// shape is tolerated: it returns true when an object was opened (the
// caller reads its members), false for null (nothing) or any other value,
// whose kind it notes in shape.
func (r *reader) objectOr(shape *string) bool {
	c := r.openObject()
	if c != '{' && c != 'n' {
		*shape = shapeOf(c)
	}
	return c == '{'
}

// objectOrErr starts reading an object where nothing else is tolerated:
// null is nothing, anything else is skipped and, if *err is still nil,
// noted there as encoding/json words it, in the Go value named where.
func (r *reader) objectOrErr(err *error, where string) bool {
	c := r.openObject()
	if c != '{' && c != 'n' && *err == nil {
		*err = fmt.Errorf("json: cannot unmarshal %s into %s", kindOf(c), where)
	}
	return c == '{'
}

// openObject opens the object that starts here, or reads null, or skips
// any other value, and returns the value's first byte.
func (r *reader) openObject() byte {
	c := r.peek()
	switch c {
	case '{':
		r.open()
	case 'n':
		r.literal("null")
	default:
		r.skip()
	}
	return c
}

// kindOf is encoding/json's name for the kind of value that starts with c.
func kindOf(c byte) string {
	if k := shapeOf(c); k != "boolean" {
		return k
	}
	return "bool"
}

// appendFolded folds a member name the way encoding/json matches a name
// to a field when no field has it exactly: ASCII letters upper-cased, any
// other rune to the smallest of its case-folding set.
func appendFolded(out []byte, s string) []byte {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out
}

// fieldNames folds a level's field names for foldedField.
func fieldNames(names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[string(appendFolded(nil, n))] = n
	}
	return m
}

// foldedField is the field name k matches case-insensitively ("" for
// none).
func foldedField(k string, fields map[string]string) string {
	var arr [32]byte
	return fields[string(appendFolded(arr[:0], k))]
}

// compact appends the JSON value v (already checked) without its
// insignificant white space.
func compact(dst []byte, v string) []byte {
	inStr := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case inStr:
			if c == '\\' {
				dst = append(dst, c, v[i+1])
				i++
				continue
			}
			inStr = c != '"'
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		case c == '"':
			inStr = true
		}
		dst = append(dst, c)
	}
	return dst
}
