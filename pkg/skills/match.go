package skills

import (
	"slices"
	"strings"
	"unicode"
)

// Match returns the canonical names of the skills named in texts (a
// posting's title, keywords and job-code names, each its own text),
// de-duplicated and sorted; an empty list when there are none.
//
// Texts and spellings are compared case-insensitively, with runs of spaces
// as one space. A spelling written in ASCII matches only as a whole token:
// the characters on either side must not be ASCII letters, digits or '_'
// (so R is not found in React, HR or R2, nor SQL in NoSQL or MySQL, while
// "Python을" and "SQL운영" still name Python and SQL). A spelling in Hangul
// matches anywhere, since Korean attaches particles without a space
// (파이썬을). A skill's Not phrases hide the text they cover from that
// skill's spellings (자바스크립트 is not 자바). Where the spellings of two
// skills overlap, the longer one wins: "MS SQL" is SQL Server, not also SQL;
// "Looker Studio" is not also Looker.
func (d *Dictionary) Match(texts ...string) []string {
	found := map[int]bool{}
	for _, text := range texts {
		for _, h := range d.hits(normalize(text)) {
			found[h.skill] = true
		}
	}
	out := make([]string, 0, len(found))
	for i := range found {
		out = append(out, d.skills[i].Name)
	}
	slices.Sort(out)
	return out
}

// hit is one spelling found in a text: bytes [start, end) name skill.
type hit struct{ start, end, skill int }

// hits finds the skills' spellings in one normalized text, overlapping
// spellings resolved to the longest.
func (d *Dictionary) hits(text string) []hit {
	var all []hit
	masked := map[int]string{} // skill → text with its Not phrases blanked
	for _, a := range d.aliases {
		t := text
		if len(d.masks[a.skill]) > 0 {
			var ok bool
			if t, ok = masked[a.skill]; !ok {
				t = mask(text, d.masks[a.skill])
				masked[a.skill] = t
			}
		}
		for from := 0; from < len(t); {
			i := strings.Index(t[from:], a.text)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(a.text)
			if !a.token || (!wordByte(t, start-1) && !wordByte(t, end)) {
				all = append(all, hit{start, end, a.skill})
			}
			from = start + 1
		}
	}
	// A spelling inside a longer spelling of another skill is that other
	// skill's.
	var out []hit
	for _, h := range all {
		inside := slices.ContainsFunc(all, func(o hit) bool {
			return o.skill != h.skill && o.start <= h.start && h.end <= o.end && o.end-o.start > h.end-h.start
		})
		if !inside {
			out = append(out, h)
		}
	}
	return out
}

// mask blanks the phrases in text with NUL bytes, keeping every offset.
func mask(text string, phrases []string) string {
	for _, p := range phrases {
		if strings.Contains(text, p) {
			text = strings.ReplaceAll(text, p, strings.Repeat("\x00", len(p)))
		}
	}
	return text
}

// wordByte reports whether text[i] continues an ASCII token: a letter, a
// digit or '_'. Outside the text, and for any byte of a non-ASCII
// character, it is false.
func wordByte(text string, i int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	c := text[i]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// normalize lower-cases s and turns every run of white space into one
// space, trimmed.
func normalize(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
