package googlesql

import (
	"fmt"
	"strings"
)

type tokenKind int

const (
	identTok  tokenKind = iota // a name or keyword
	quotedTok                  // `a quoted name`
	stringTok                  // a string or bytes literal
	numberTok
	paramTok // @name or @@name
	punctTok
)

// token is one lexical token of GoogleSQL, with its byte span.
type token struct {
	kind     tokenKind
	text     string
	pos, end int
}

func (t token) is(p string) bool { return t.kind == punctTok && t.text == p }

// keyword is the token upper-cased when it is a bare word, else "".
func (t token) keyword() string {
	if t.kind != identTok {
		return ""
	}
	return strings.ToUpper(t.text)
}

// lex splits GoogleSQL into tokens, leaving out spaces and comments (--, #
// and /* */). It knows enough of the language to find statement ends and
// names: strings (with r/b prefixes, triple quotes and escapes), quoted
// names, numbers, parameters and punctuation.
func lex(sql string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '#' || strings.HasPrefix(sql[i:], "--"):
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case strings.HasPrefix(sql[i:], "/*"):
			k := strings.Index(sql[i+2:], "*/")
			if k < 0 {
				return nil, fmt.Errorf("unterminated comment at byte %d", i)
			}
			i += k + 4
		case c == '`':
			k := strings.IndexByte(sql[i+1:], '`')
			if k < 0 {
				return nil, fmt.Errorf("unterminated quoted name at byte %d", i)
			}
			toks = append(toks, token{quotedTok, sql[i : i+k+2], i, i + k + 2})
			i += k + 2
		case c == '\'' || c == '"' || isStringPrefix(sql[i:]):
			j, err := stringEnd(sql, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{stringTok, sql[i:j], i, j})
			i = j
		case c == '@':
			j := i + 1
			if j < len(sql) && sql[j] == '@' {
				j++
			}
			for j < len(sql) && (isWord(sql[j]) || sql[j] == '.') {
				j++
			}
			toks = append(toks, token{paramTok, sql[i:j], i, j})
			i = j
		case isWord(c) && !(c >= '0' && c <= '9'):
			j := i
			for j < len(sql) && isWord(sql[j]) {
				j++
			}
			toks = append(toks, token{identTok, sql[i:j], i, j})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(sql) && (isWord(sql[j]) || sql[j] == '.') {
				j++
			}
			toks = append(toks, token{numberTok, sql[i:j], i, j})
			i = j
		default:
			toks = append(toks, token{punctTok, sql[i : i+1], i, i + 1})
			i++
		}
	}
	return toks, nil
}

func isWord(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isStringPrefix reports r'…', b"…", rb'…' and the like.
func isStringPrefix(s string) bool {
	n := 0
	for n < len(s) && n < 2 && strings.ContainsRune("rRbB", rune(s[n])) {
		n++
	}
	return n > 0 && n < len(s) && (s[n] == '\'' || s[n] == '"')
}

// stringEnd returns the end of the string literal at i.
func stringEnd(sql string, i int) (int, error) {
	raw := false
	for sql[i] != '\'' && sql[i] != '"' {
		if sql[i] == 'r' || sql[i] == 'R' {
			raw = true
		}
		i++
	}
	q := sql[i : i+1]
	if strings.HasPrefix(sql[i:], q+q+q) {
		q = q + q + q
	}
	j := i + len(q)
	for j < len(sql) {
		if !raw && sql[j] == '\\' {
			j += 2
			continue
		}
		if strings.HasPrefix(sql[j:], q) {
			return j + len(q), nil
		}
		if len(q) == 1 && sql[j] == '\n' {
			break
		}
		j++
	}
	return 0, fmt.Errorf("unterminated string at byte %d", i)
}
