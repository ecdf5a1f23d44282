package role

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"jobpulse/pkg/saramin"
)

// Case is one labelled posting.
type Case struct {
	Input     Input
	Want      Role
	WantGroup Group // the comparison group; NoGroup for a data role or work outside IT
	Note      string
	Line      int // line in the source file, for messages
}

// ReadCases reads labelled cases as tab-separated lines: title, job codes
// (comma-separated), keywords (comma-separated), expected role (a Role
// name, or "none"), expected comparison group (a Group name, empty for a
// data role or work outside IT), note (optional). Blank lines, lines
// starting with "#" and the header line (title first) are skipped.
func ReadCases(r io.Reader) ([]Case, error) {
	var out []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "title\t") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 || len(f) > 6 {
			return nil, fmt.Errorf("role.ReadCases: line %d: want 5 or 6 tab-separated fields, got %d", n, len(f))
		}
		want, ok := Parse(strings.TrimSpace(f[3]))
		if !ok {
			return nil, fmt.Errorf("role.ReadCases: line %d: unknown role %q", n, f[3])
		}
		group, ok := ParseGroup(strings.TrimSpace(f[4]))
		if !ok {
			return nil, fmt.Errorf("role.ReadCases: line %d: unknown group %q", n, f[4])
		}
		if want != None && group != NoGroup {
			return nil, fmt.Errorf("role.ReadCases: line %d: role %s with group %s; a data role has no group", n, want, group)
		}
		c := Case{
			Input:     Input{Title: f[0], JobCodes: saramin.SplitList(f[1]), Keywords: saramin.SplitList(f[2])},
			Want:      want,
			WantGroup: group,
			Line:      n,
		}
		if len(f) == 6 {
			c.Note = f[5]
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("role.ReadCases: %w", err)
	}
	return out, nil
}

// Counts are the confusion counts for one role (or for "any data role").
type Counts struct {
	TP, FP, FN int
}

// Precision is TP/(TP+FP), 1 when nothing was predicted.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), 1 when nothing was expected.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// count adds a case: a true positive when the class was both predicted
// and expected, a false positive when only predicted, a false negative
// when only expected.
func (c *Counts) count(predicted, expected bool) {
	switch {
	case predicted && expected:
		c.TP++
	case predicted:
		c.FP++
	case expected:
		c.FN++
	}
}

// add sums o into c.
func (c *Counts) add(o Counts) {
	c.TP, c.FP, c.FN = c.TP+o.TP, c.FP+o.FP, c.FN+o.FN
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Miss is a case Classify got wrong.
type Miss struct {
	Case Case
	Got  Result
}

// Report is Classify measured on labelled cases.
type Report struct {
	Cases int
	// Correct counts the cases whose role and group are both right.
	Correct int
	// PerRole counts each data role as its own class.
	PerRole map[Role]Counts
	// Micro sums PerRole: a posting counts as a true positive only when its
	// data role is right.
	Micro Counts
	// Data treats the task as data job or not, whatever the role.
	Data Counts
	// PerGroup counts each comparison group as its own class, over every
	// case (a data role expected or found counts as no group).
	PerGroup map[Group]Counts
	// GroupMicro sums PerGroup.
	GroupMicro Counts
	// Misses are the cases whose role or group is wrong.
	Misses []Miss
}

// Evaluate classifies every case and compares it with its label.
func Evaluate(cases []Case) Report {
	rep := Report{Cases: len(cases), PerRole: map[Role]Counts{}, PerGroup: map[Group]Counts{}}
	for _, c := range cases {
		got := Classify(c.Input)
		if got.Role == c.Want && got.Group == c.WantGroup {
			rep.Correct++
		} else {
			rep.Misses = append(rep.Misses, Miss{Case: c, Got: got})
		}
		for _, g := range groups {
			k := rep.PerGroup[g]
			k.count(got.Group == g, c.WantGroup == g)
			rep.PerGroup[g] = k
		}
		for _, r := range roles {
			k := rep.PerRole[r]
			k.count(got.Role == r, c.Want == r)
			rep.PerRole[r] = k
		}
		rep.Data.count(got.Role != None, c.Want != None)
	}
	for _, r := range roles {
		rep.Micro.add(rep.PerRole[r])
	}
	for _, g := range groups {
		rep.GroupMicro.add(rep.PerGroup[g])
	}
	return rep
}

// String renders the report as a plain-text table (also valid Markdown).
func (rep Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d cases, %d correct (%.1f%%)\n\n", rep.Cases, rep.Correct, 100*ratio(rep.Correct, rep.Cases))
	fmt.Fprintf(&b, "| class | labelled | TP | FP | FN | precision | recall | F1 |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, row := range rep.rows() {
		k := row.counts
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.3f | %.3f | %.3f |\n",
			row.name, k.TP+k.FN, k.TP, k.FP, k.FN, k.Precision(), k.Recall(), k.F1())
	}
	return b.String()
}

type reportRow struct {
	name   string
	counts Counts
}

// rows are the report's classes in display order: the data roles, their
// sums, the comparison groups and theirs.
func (rep Report) rows() []reportRow {
	var out []reportRow
	for _, r := range roles {
		out = append(out, reportRow{string(r), rep.PerRole[r]})
	}
	out = append(out, reportRow{"all roles (micro)", rep.Micro}, reportRow{"data job or not", rep.Data})
	for _, g := range groups {
		out = append(out, reportRow{"group " + string(g), rep.PerGroup[g]})
	}
	return append(out, reportRow{"all groups (micro)", rep.GroupMicro})
}

// Compare renders two reports side by side, the set the rules were written
// from and a held-out set, as one Markdown table of precision and recall.
func Compare(train, heldOut Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "training: %d cases, %d correct; held-out: %d cases, %d correct\n\n", train.Cases, train.Correct, heldOut.Cases, heldOut.Correct)
	fmt.Fprintf(&b, "| class | training n | precision | recall | held-out n | precision | recall |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|\n")
	held := heldOut.rows()
	for i, row := range train.rows() {
		k, h := row.counts, held[i].counts
		fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f | %d | %.3f | %.3f |\n",
			row.name, k.TP+k.FN, k.Precision(), k.Recall(), h.TP+h.FN, h.Precision(), h.Recall())
	}
	return b.String()
}
