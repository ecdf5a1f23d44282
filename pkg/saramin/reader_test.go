package saramin

import (
	"strings"
	"testing"
)

func TestTrimSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a ", "a\t", "\u00a0a", "a\u00a0", "한글", " 한글", "한글\u3000", "\u3000한글", "a\u2028", "\u2028a", "\xff", "a\xff", "\xe4", "한\xed", "\u0085x"} {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q; want %q", s, got, want)
		}
	}
}

func FuzzTrimSpace(f *testing.F) {
	f.Add(" 한글\u3000")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q; want %q", s, got, want)
		}
	})
}
