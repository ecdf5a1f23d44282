package skills

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// referenceMatch is Match as it was first written, searching every text
// once per spelling: the indexed Match must agree with it.
func (d *Dictionary) referenceMatch(texts ...string) []string {
	found := map[int]bool{}
	for _, text := range texts {
		for _, h := range d.referenceHits(referenceNormalize(text)) {
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

// referenceHits looks for every spelling of the dictionary in text, one
// search each: the search before the index of first bytes, which Match is
// held to.
func (d *Dictionary) referenceHits(text string) []hit {
	var all []hit
	masked := map[int]string{}
	for _, a := range d.aliases {
		t := text
		if len(d.masks[a.skill]) > 0 {
			var ok bool
			if t, ok = masked[a.skill]; !ok {
				t = mask(text, d.masks[a.skill])
				masked[a.skill] = t
			}
		}
		all = appendOccurrences(all, t, a)
	}
	return outermost(all)
}

// sampleTexts are the titles, keywords and job-code names of the real
// sample page, the strings of its other fields, and the dictionary's own
// spellings and Not phrases, alone and run together.
func sampleTexts(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile("../saramin/testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			texts = append(texts, v)
			texts = append(texts, strings.Split(v, ",")...)
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var page any
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	walk(page)
	d := Default()
	for _, a := range d.aliases {
		texts = append(texts, a.text, strings.ToUpper(a.text), "x"+a.text, a.text+"1", "("+a.text+")", " "+a.text+"  언어 ")
	}
	for _, m := range d.masks {
		for _, p := range m {
			texts = append(texts, p, p+"r", "r"+p, p+p)
		}
	}
	return texts
}

func TestMatchAgreesWithReference(t *testing.T) {
	d := Default()
	texts := sampleTexts(t)
	for i, text := range texts {
		if got, want := d.Match(text), d.referenceMatch(text); !slices.Equal(got, want) {
			t.Errorf("Match(%q) = %q; the reference finds %q", text, got, want)
		}
		// Texts run together, and a text with its neighbours.
		if i > 0 {
			pair := texts[i-1] + texts[i]
			if got, want := d.Match(pair), d.referenceMatch(pair); !slices.Equal(got, want) {
				t.Errorf("Match(%q) = %q; the reference finds %q", pair, got, want)
			}
			if got, want := d.Match(texts[i-1], text), d.referenceMatch(texts[i-1], text); !slices.Equal(got, want) {
				t.Errorf("Match(%q, %q) = %q; the reference finds %q", texts[i-1], text, got, want)
			}
		}
	}
}

// referenceNormalize is normalize as it was first written.
func referenceNormalize(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}

func TestNormalize(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "A", "a\tb", "파이썬", "파이썬 을", "Ａ", "ａ", "·", "\xff", "a\u00a0b", "a\u3000b", "İ", "ǅ", "x\u2028", "\u00a0x\u0085", "Ⅻ", "a\xed\xa0\x80b"} {
		if got, want := normalize(s), referenceNormalize(s); got != want {
			t.Errorf("normalize(%q) = %q; want %q", s, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("  Python\t파이썬 \u00a0Ａ\xff ")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normalize(s), referenceNormalize(s); got != want {
			t.Errorf("normalize(%q) = %q; want %q", s, got, want)
		}
	})
}

// FuzzMatch checks the indexed Match against the reference.
func FuzzMatch(f *testing.F) {
	texts := sampleTexts(f)[:400]
	for i, s := range texts {
		f.Add(s, texts[(i*7)%len(texts)])
	}
	f.Add("R&D r a/r R 언어 자바스크립트자바", "r")
	d := Default()
	f.Fuzz(func(t *testing.T, s, u string) {
		if got, want := d.Match(s), d.referenceMatch(s); !slices.Equal(got, want) {
			t.Errorf("Match(%q) = %q; the reference finds %q", s, got, want)
		}
		if got, want := d.Match(s, u, s), d.referenceMatch(s, u, s); !slices.Equal(got, want) {
			t.Errorf("Match(%q, %q, %q) = %q; the reference finds %q", s, u, s, got, want)
		}
	})
}
