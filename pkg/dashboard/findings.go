package dashboard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"jobpulse/pkg/readme"
	"jobpulse/pkg/warehouse"
)

// FindingsBlock is the README's block of findings, which Findings writes.
const FindingsBlock = readme.Block("findings")

// findingRoles are the roles the findings read, in this order.
var findingRoles = []string{"data_engineer", "data_analyst", "data_scientist", "ml_engineer"}

var roleNames = map[string]string{"data_engineer": "Data engineers", "data_analyst": "Data analysts",
	"data_scientist": "Data scientists", "ml_engineer": "ML engineers"}

// wholeHistory is the span the page's indicators read by default: from
// the first posting (at most five years back) to the last.
func wholeHistory(m Meta) (from, to time.Time, ok bool) {
	first, err1 := time.Parse(time.DateOnly, m.First)
	last, err2 := time.Parse(time.DateOnly, m.Last)
	if err1 != nil || err2 != nil {
		return from, to, false
	}
	if five := last.AddDate(-5, 0, 0); first.Before(five) {
		first = five
	}
	return first, last, true
}

// Findings is what the dashboard reads from the warehouse source (named as
// given), as the Markdown between the README's markers (markers
// included): for each data role, whether search interest and postings
// lead one another over their whole shared history, as the indicators
// chart reads it; the provinces listed most; and the latest year of the
// data engineers' exam. It says whether the data is synthetic.
func (s *Store) Findings(ctx context.Context, source string) (string, error) {
	m, err := s.Meta(ctx)
	if err != nil {
		return "", fmt.Errorf("findings: %w", err)
	}
	from, to, ok := wholeHistory(m)
	if !ok {
		return "", errors.New("findings: the warehouse holds no postings")
	}
	var b strings.Builder
	fmt.Fprintln(&b, FindingsBlock.Begin())
	fmt.Fprintln(&b, "<!-- Written by `make findings` (go run ./pkg/cmd/findings); edits by hand are overwritten. -->")
	kind := "real postings"
	if m.Synthetic {
		kind = "**synthetic** sample data (the emulators' market, not the real job market)"
	}
	fmt.Fprintf(&b, "Read from `%s`: %s postings first posted from %s to %s, %s.\n\n", source, count(m.Postings), m.First, m.Last, kind)
	for _, role := range findingRoles {
		if !slices.Contains(m.Roles, role) {
			continue
		}
		keyword := defaultKeyword(role, m.Keywords)
		in, err := s.Indicators(ctx, Filter{Role: role, From: from, To: to, Grain: "week"}, keyword, defaultExam(role), false)
		if err != nil {
			return "", fmt.Errorf("findings: %s: %w", role, err)
		}
		fmt.Fprintf(&b, "- **%s** against search interest in %s: %s\n", roleNames[role], keyword, leadLagFinding(in))
	}
	regions, err := s.Breakdown(ctx, "province", Filter{Role: "all", From: from, To: to})
	if err != nil {
		return "", fmt.Errorf("findings: %w", err)
	}
	if len(regions.Rows) > 0 {
		var top []string
		for i, r := range regions.Rows[:min(3, len(regions.Rows))] {
			of := ""
			if i == 0 {
				of = " of the " + count(regions.Postings) + " postings"
			}
			top = append(top, fmt.Sprintf("%s, by %s%s (%.1f%%)", r.Name, count(r.Postings), of, 100*r.Share))
		}
		fmt.Fprintf(&b, "- **Regions**: postings list %d provinces; a posting listing several counts in each. The most listed: %s.\n",
			len(regions.Rows), strings.Join(top, "; "))
	}
	exam := defaultExam("data_engineer")
	if c := certStages(s.certRows(exam)); len(c) > 0 {
		year := c[len(c)-1].Year
		var parts []string
		synthetic := false
		for _, st := range c {
			if st.Year != year {
				continue
			}
			synthetic = synthetic || st.Synthetic
			rate := "not published"
			if st.PassRate != nil {
				rate = fmt.Sprintf("%.1f%%", *st.PassRate)
			}
			parts = append(parts, fmt.Sprintf("%s stage %s applicants (접수자), %s examinees (응시자), %s passers (합격자), pass rate %s",
				stageNames[st.Stage], optCount(st.Applicants), optCount(st.Examinees), optCount(st.Passers), rate))
		}
		note := ""
		if synthetic {
			note = " (synthetic figures)"
		}
		fmt.Fprintf(&b, "- **%s in %d**%s: %s.\n", exam, year, note, strings.Join(parts, "; "))
	}
	fmt.Fprintln(&b, FindingsBlock.End())
	return b.String(), nil
}

var stageNames = map[string]string{"필기": "written (필기)", "실기": "practical (실기)", "전체": "single"}

// certRows are the rounds of exam the snapshot holds.
func (s *Store) certRows(exam string) []warehouse.CertRow {
	snap, err := s.current()
	if err != nil {
		return nil
	}
	return snap.certs[exam]
}

// leadLagFinding says in a sentence what the indicators chart reads.
func leadLagFinding(in Indicators) string {
	if in.Overlap == nil {
		return "they share no week."
	}
	ll := in.LeadLag
	cuts := ll.Cutoffs
	last := cuts[0]
	head := fmt.Sprintf("over the %d weeks both cover (the weeks of %s to %s), ", in.Overlap.Weeks, in.Overlap.From, in.Overlap.To)
	if cuts[len(cuts)-1].Weeks < ll.MinWeeks {
		return head + fmt.Sprintf("only %d whole weeks overlap; a reading needs %d at each of %d weekly cut-offs.", last.Weeks, ll.MinWeeks, len(cuts))
	}
	stat := fmt.Sprintf("r=%.2f, 95%% interval %.2f to %.2f over %d weeks", last.Best.R, last.Lo, last.Hi, last.Best.N)
	if ll.Stable {
		return head + fmt.Sprintf("%s (%s), the same at each of the last %d weekly cut-offs.", lagWords(last.Best.Weeks), stat, len(cuts))
	}
	var lags []string
	for _, c := range cuts {
		if c.Best.N == 0 {
			lags = append(lags, "none")
			continue
		}
		lags = append(lags, lagShort(c.Best.Weeks))
	}
	s := head + "no stable relation seen yet"
	if last.Best.N > 0 {
		s += fmt.Sprintf(": the strongest lag, %s (%s), ", lagWords(last.Best.Weeks), stat)
		switch {
		case !last.Holds:
			s += "has an interval that holds 0"
		default:
			s += "does not hold at every cut-off"
		}
	}
	return s + fmt.Sprintf("; strongest lag at each of the last %d weekly cut-offs: %s.", len(cuts), strings.Join(lags, ", "))
}

func lagWords(w int) string {
	switch {
	case w > 0:
		return fmt.Sprintf("interest moving %s ahead of postings", weeksWord(w))
	case w < 0:
		return fmt.Sprintf("postings moving %s ahead of interest", weeksWord(-w))
	}
	return "both moving in the same week"
}

func weeksWord(n int) string {
	if n == 1 {
		return "1 week"
	}
	return fmt.Sprintf("%d weeks", n)
}

func lagShort(w int) string {
	switch {
	case w > 0:
		return fmt.Sprintf("interest %d ahead", w)
	case w < 0:
		return fmt.Sprintf("postings %d ahead", -w)
	}
	return "same week"
}

// count writes n with thousands separators.
func count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func optCount(n *int64) string {
	if n == nil {
		return "unpublished"
	}
	return count(*n)
}
