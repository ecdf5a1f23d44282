package readme_test

import (
	"strings"
	"testing"

	"jobpulse/pkg/readme"
)

func TestReplace(t *testing.T) {
	t.Parallel()
	const b = readme.Block("findings")
	begin, end := b.Begin(), b.End()
	if begin != "<!-- findings:begin -->" || end != "<!-- findings:end -->" {
		t.Fatalf("markers %q %q", begin, end)
	}
	block := begin + "\nnew\n" + end + "\n"
	tests := []struct {
		name, doc, block, want, err string
	}{
		{"replaced", "# R\n\n" + begin + "\nold\nolder\n" + end + "\n\nafter\n", block, "# R\n\n" + block + "\nafter\n", ""},
		{"empty block replaced", begin + "\n" + end + "\nafter\n", block, block + "after\n", ""},
		{"no block", "# R\n", block, "", "0 times"},
		{"two blocks", strings.Repeat(begin+"\n"+end+"\n", 2), block, "", "2 times"},
		{"reversed", end + "\n" + begin + "\n", block, "", "before"},
		{"begin inside a line", "text " + begin + "\n" + end + "\n", block, "", "start its line"},
		{"end inside a line", begin + "\n" + end + " text\n", block, "", "end its line"},
		{"end at the file's end", begin + "\n" + end, block, "", "end its line"},
		{"a block without markers", begin + "\n" + end + "\n", "new\n", "", "marker to marker"},
		{"another block's markers", begin + "\n" + end + "\n", readme.Block("perf").Begin() + "\nx\n" + readme.Block("perf").End() + "\n", "", "marker to marker"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := b.Replace([]byte(tc.doc), tc.block)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v; want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
			if in, err := b.In(got); err != nil || in != tc.block {
				t.Errorf("In = %q, %v; want the block written", in, err)
			}
		})
	}
}
