package skills

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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
	// The texts are normalized into one string, separated by a line feed,
	// which normalizing removes from them and no spelling or Not phrase
	// holds: no spelling can be found across two texts, and a text's edge
	// reads as the line feed does (not a word byte). So one search of the
	// whole finds what one search per text would.
	var bufArr [512]byte
	buf := bufArr[:0]
	for i, text := range texts {
		if i > 0 {
			buf = append(buf, '\n')
		}
		buf = appendNormalized(buf, text)
	}
	var idsArr [16]int
	var hitsArr [32]hit
	ids := idsArr[:0]
	if len(buf) > len(texts)-1 { // not only separators
		for _, h := range d.hits(string(buf), hitsArr[:0]) {
			if !slices.Contains(ids, h.skill) {
				ids = append(ids, h.skill)
			}
		}
	}
	slices.SortFunc(ids, func(a, b int) int { return d.rank[a] - d.rank[b] })
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = d.skills[id].Name
	}
	return out
}

// hit is one spelling found in a text: bytes [start, end) name skill.
type hit struct{ start, end, skill int }

// index finds every spelling of a dictionary at a position of a text by
// the text's first two bytes there, instead of searching the text once per
// spelling.
type index struct {
	starts [256]bool    // the bytes a spelling starts with
	single [256][]int32 // the one-byte spellings, by their byte
	pairs  []uint16     // by the first two bytes (b0<<8 | b1): 1 + the bucket of the spellings starting so, or 0
	bucket [][]int32    // spellings (indexes into Dictionary.aliases)
	spans  []aliasSpan  // per skill: its spellings, which are consecutive in Dictionary.aliases
	maskOf []int        // per skill: its place in masked, or -1 when it has no Not phrases
	masked []int        // the skills with Not phrases
}

type aliasSpan struct{ from, to int }

// buildIndex indexes d's spellings; d.aliases and d.masks are complete.
func (d *Dictionary) buildIndex() {
	x := &d.index
	x.pairs = make([]uint16, 1<<16)
	x.spans = make([]aliasSpan, len(d.skills))
	x.maskOf = make([]int, len(d.skills))
	for i := range d.skills {
		x.maskOf[i] = -1
		if len(d.masks[i]) > 0 {
			x.maskOf[i] = len(x.masked)
			x.masked = append(x.masked, i)
		}
	}
	for i, a := range d.aliases {
		if sp := &x.spans[a.skill]; sp.to == 0 {
			*sp = aliasSpan{i, i + 1}
		} else {
			sp.to = i + 1
		}
		x.starts[a.text[0]] = true
		if len(a.text) == 1 {
			x.single[a.text[0]] = append(x.single[a.text[0]], int32(i))
			continue
		}
		k := uint16(a.text[0])<<8 | uint16(a.text[1])
		if x.pairs[k] == 0 {
			x.bucket = append(x.bucket, nil)
			x.pairs[k] = uint16(len(x.bucket))
		}
		x.bucket[x.pairs[k]-1] = append(x.bucket[x.pairs[k]-1], int32(i))
	}
	names := make([]int, len(d.skills))
	for i := range names {
		names[i] = i
	}
	slices.SortFunc(names, func(a, b int) int { return strings.Compare(d.skills[a].Name, d.skills[b].Name) })
	d.rank = make([]int, len(d.skills))
	for r, i := range names {
		d.rank[i] = r
	}
}

// hits finds the skills' spellings in one normalized text, overlapping
// spellings resolved to the longest, appending them to all.
//
// Every place a spelling occurs is found through the index. A skill with
// Not phrases that occurs, when one of its phrases occurs too, is looked
// for again the plain way in the text with its phrases blanked (which can
// only hide places, and changes what borders them).
func (d *Dictionary) hits(text string, all []hit) []hit {
	x := &d.index
	var maskedArr [4]int
	masked := maskedArr[:0] // skills to look for in their masked text
	// Whether a skill's Not phrases occur in the text (by its place in
	// x.masks): 0 not known yet, 1 no (its masked text is the text), 2 yes.
	var phrasesArr [16]uint8
	phrases := phrasesArr[:0]
	if len(x.masked) > len(phrasesArr) {
		phrases = make([]uint8, len(x.masked))
	} else {
		phrases = phrasesArr[:len(x.masked)]
	}
	found := func(a int32, start int) {
		al := &d.aliases[a]
		if m := x.maskOf[al.skill]; m >= 0 {
			if phrases[m] == 0 {
				phrases[m] = 1
				for _, p := range d.masks[al.skill] {
					if strings.Contains(text, p) {
						phrases[m] = 2
						masked = append(masked, al.skill)
						break
					}
				}
			}
			if phrases[m] == 2 {
				return
			}
		}
		if !al.token || (!wordByte(text, start-1) && !wordByte(text, start+len(al.text))) {
			all = append(all, hit{start, start + len(al.text), al.skill})
		}
	}
	for i := 0; i < len(text); i++ {
		b0 := text[i]
		if !x.starts[b0] {
			continue
		}
		for _, a := range x.single[b0] {
			found(a, i)
		}
		if i+1 < len(text) {
			if k := x.pairs[uint16(b0)<<8|uint16(text[i+1])]; k != 0 {
				for _, a := range x.bucket[k-1] {
					if strings.HasPrefix(text[i:], d.aliases[a].text) {
						found(a, i)
					}
				}
			}
		}
	}
	for _, skill := range masked {
		t := mask(text, d.masks[skill])
		for _, a := range d.aliases[x.spans[skill].from:x.spans[skill].to] {
			all = appendOccurrences(all, t, a)
		}
	}
	return outermost(all)
}

// appendOccurrences adds to all every place a spelling stands in t (a
// token spelling only as a whole word).
func appendOccurrences(all []hit, t string, a alias) []hit {
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
	return all
}

// outermost drops, in place, each hit inside a longer hit of another
// skill: such a spelling is that other skill's. Every hit is judged
// against all of them before any is dropped.
func outermost(all []hit) []hit {
	var buf [64]bool
	inside := buf[:0]
	for _, h := range all {
		inside = append(inside, slices.ContainsFunc(all, func(o hit) bool {
			return o.skill != h.skill && o.start <= h.start && h.end <= o.end && o.end-o.start > h.end-h.start
		}))
	}
	out := all[:0]
	for i, h := range all {
		if !inside[i] {
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
func normalize(s string) string { return string(appendNormalized(nil, s)) }

// appendNormalized appends normalize(s) to dst: each rune lower-cased
// (unicode.ToLower; invalid UTF-8 becomes U+FFFD, as strings.ToLower
// makes it), each run of white space (unicode.IsSpace) one space, none at
// either end.
func appendNormalized(dst []byte, s string) []byte {
	start := len(dst)
	space := false // a space is due before the next character
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || '\t' <= c && c <= '\r':
				space = len(dst) > start
				continue
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			}
			if space {
				dst, space = append(dst, ' '), false
			}
			dst = append(dst, c)
			continue
		}
		if 0xEA <= c && c <= 0xED && i+2 < len(s) {
			// A Hangul syllable (U+AC00-U+D7A3): no case, no space.
			if r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F); 0xAC00 <= r && r <= 0xD7A3 &&
				s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
				if space {
					dst, space = append(dst, ' '), false
				}
				dst = append(dst, s[i:i+3]...)
				i += 3
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if 0xAC00 <= r && r <= 0xD7A3 { // a Hangul syllable: no case, no space
			if space {
				dst, space = append(dst, ' '), false
			}
			dst = append(dst, s[i:i+n]...)
			i += n
			continue
		}
		i += n
		if r = unicode.ToLower(r); unicode.IsSpace(r) {
			space = len(dst) > start
			continue
		}
		if space {
			dst, space = append(dst, ' '), false
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
