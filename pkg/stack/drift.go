package stack

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"jobpulse/pkg/lake"
	"jobpulse/pkg/reread"
	"jobpulse/pkg/saramin/saramintest"
	"jobpulse/pkg/source"
)

// What a drifted answer may do to an hourly cycle.
const (
	// Absorbed: read in full, each accommodation logged as shape_drift.
	Absorbed = "absorbed"
	// Quarantined: records set aside with an alert, their window marked
	// to be read again.
	Quarantined = "quarantined"
	// Failed: the extractor failed the window; the watermark stayed.
	Failed = "failed"
)

// DriftExpected is the outcome each drift kind of the emulator must have.
var DriftExpected = map[string]string{
	saramintest.DriftRenamePostingTimestamp:          Quarantined, // a required field gone
	saramintest.DriftRetypeExperienceCode:            Absorbed,
	saramintest.DriftAddUnknownField:                 Absorbed,
	saramintest.DriftDropTitle:                       Quarantined,
	saramintest.DriftEmptyJobs:                       Failed,
	saramintest.DriftZeroTotal:                       Failed,
	saramintest.DriftDropLastJob:                     Failed,
	saramintest.DriftDropModificationTimestamp:       Quarantined,
	saramintest.DriftUnreadableModificationTimestamp: Quarantined,
	saramintest.DriftISOModificationTimestamp:        Absorbed,
	saramintest.DriftLocalTimestamps:                 Absorbed,
	saramintest.DriftISOExpirationTimestamp:          Absorbed,
	saramintest.DriftMillisTimestamps:                Absorbed,
	saramintest.DriftNumericTimestamps:               Absorbed,
	saramintest.DriftSalaryArray:                     Absorbed,
	saramintest.DriftKeywordArray:                    Absorbed,
	saramintest.DriftLocationObjectArray:             Absorbed,
	saramintest.DriftNoJobs:                          Failed,
	saramintest.DriftNullJobs:                        Failed,
	saramintest.DriftTotalInflated:                   Failed,
	saramintest.DriftBOM:                             Absorbed,
}

// DriftResult is what one kind of drift did to the hourly cycle it hit.
type DriftResult struct {
	Kind    string
	Outcome string
	// Evidence says what showed it: the drift logged, the records set
	// aside and why, or the step that failed.
	Evidence string
	Postings int // the postings changed in the hour the drift hit
}

// Drift runs one hourly cycle per kind, each in the next hour with
// changes after `after`, with every answer of the cycle drifted that way,
// and checks that each kind is absorbed with its shape_drift lines,
// quarantined with an alert and its window marked, or fails the window
// with the watermark unmoved, as DriftExpected says. It returns the
// results and the clock of the last cycle; the caller checks the
// recovery (Recover).
func (s *Stack) Drift(ctx context.Context, after time.Time, kinds []string) ([]DriftResult, time.Time, error) {
	em := s.Saramin
	cur := after
	var out []DriftResult
	for _, kind := range kinds {
		want, ok := DriftExpected[kind]
		if !ok {
			return out, cur, fmt.Errorf("drift %s: no expected outcome", kind)
		}
		h := em.NextHourWith(true, cur)
		if h.IsZero() {
			return out, cur, fmt.Errorf("drift %s: no hour with changes after %s", kind, cur)
		}
		to := h.Add(time.Hour)
		s.SetNow(to)
		before, err := s.watermark(ctx)
		if err != nil {
			return out, cur, err
		}
		if err := em.InjectFault(saramintest.Fault{Kind: saramintest.FaultDrift, Drift: kind, Count: -1}); err != nil {
			return out, cur, err
		}
		c, err := s.RunSource(ctx, "drift-"+kind, source.Saramin, "--to", to.Format(time.RFC3339))
		em.ClearFaults()
		if err != nil {
			return out, cur, fmt.Errorf("drift %s: %w", kind, err)
		}
		r := DriftResult{Kind: kind, Postings: em.Changes(h, to)}
		if r.Evidence, r.Outcome, err = s.classify(ctx, c, before); err != nil {
			return out, cur, fmt.Errorf("drift %s: %w", kind, err)
		}
		if r.Outcome != want {
			return out, cur, fmt.Errorf("drift %s: %s (%s), want %s", kind, r.Outcome, r.Evidence, want)
		}
		out = append(out, r)
		cur = to
	}
	return out, cur, nil
}

// classify tells what a drifted cycle did, and checks the evidence each
// outcome must leave.
func (s *Stack) classify(ctx context.Context, c Cycle, before lake.Watermark) (evidence, outcome string, err error) {
	if c.ExtractErr != nil {
		after, err := s.watermark(ctx)
		if err != nil {
			return "", "", err
		}
		if !after.Until.Equal(before.Until) {
			return "", "", fmt.Errorf("the extractor failed and the watermark moved from %s to %s", before.Until, after.Until)
		}
		if c.Transform.Int("messages") != 0 {
			return "", "", fmt.Errorf("the extractor failed and the transformer still got %d messages", c.Transform.Int("messages"))
		}
		return "watermark unmoved; " + failure(c.Extract), Failed, nil
	}
	drift, err := driftLines(c.Extract, c.Transform)
	if err != nil {
		return "", "", err
	}
	if c.Quarantined > 0 {
		alerts, err := c.Transform.Alerts("quarantine")
		if err != nil {
			return "", "", err
		}
		l, err := s.Lake(ctx)
		if err != nil {
			return "", "", err
		}
		marks, err := reread.Pending(ctx, l, source.Saramin)
		l.Close()
		if err != nil {
			return "", "", err
		}
		if len(alerts) == 0 || len(marks) == 0 {
			return "", "", fmt.Errorf("%d records set aside with %d quarantine alerts and %d windows marked to read again", c.Quarantined, len(alerts), len(marks))
		}
		return fmt.Sprintf("%d of %d set aside (%v), window marked", c.Quarantined, c.Postings, alerts[0]["first_reason"]), Quarantined, nil
	}
	if len(drift) == 0 {
		return "", "", fmt.Errorf("read %d postings with no shape_drift line and nothing set aside", c.Postings)
	}
	if c.Rows != c.Postings || c.Staged != c.Rows {
		return "", "", fmt.Errorf("absorbed, but %d postings became %d rows and %d loaded", c.Postings, c.Rows, c.Staged)
	}
	return strings.Join(drift, "; "), Absorbed, nil
}

// driftLines lists the kinds of drift the executions logged, with the
// records of each.
func driftLines(exs ...Execution) ([]string, error) {
	n := map[string]int{}
	for _, ex := range exs {
		lines, err := ex.Alerts("shape_drift")
		if err != nil {
			return nil, err
		}
		for _, l := range lines {
			k := fmt.Sprint(l["drift"])
			if r, ok := l["records"].(float64); ok {
				n[k] += int(r)
			} else {
				n[k]++
			}
		}
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(n)) {
		out = append(out, fmt.Sprintf("%s ×%d", k, n[k]))
	}
	return out, nil
}

// failure reads why a job failed from its log (the job_failed line),
// shortened.
func failure(ex Execution) string {
	lines, err := ex.Alerts("job_failed")
	if err != nil || len(lines) == 0 {
		return "no job_failed line"
	}
	msg := fmt.Sprint(lines[len(lines)-1]["error"])
	if i := strings.Index(msg, ": "); i > 0 && strings.HasPrefix(msg, "extract ") {
		msg = msg[i+2:] // the run id
	}
	if r := []rune(msg); len(r) > 160 {
		msg = string(r[:160]) + "…"
	}
	return msg
}

// Lake opens the stack's lake.
func (s *Stack) Lake(ctx context.Context) (*lake.Lake, error) {
	l, err := lake.New(ctx, Bucket, s.Local.LakeOptions()...)
	if err != nil {
		return nil, fmt.Errorf("stack: %w", err)
	}
	return l, nil
}

func (s *Stack) watermark(ctx context.Context) (lake.Watermark, error) {
	l, err := s.Lake(ctx)
	if err != nil {
		return lake.Watermark{}, err
	}
	defer l.Close()
	wm, _, err := l.ReadWatermark(ctx, source.Saramin)
	if err != nil {
		return wm, fmt.Errorf("stack: %w", err)
	}
	return wm, nil
}

// PrintDrift writes the drift table.
func PrintDrift(w io.Writer, rs []DriftResult) {
	for _, r := range rs {
		fmt.Fprintf(w, "  %-36s %-12s %s\n", r.Kind, r.Outcome, r.Evidence)
	}
}

// Comparison is core.recruit against the emulator's truth: every posting
// the API serves, in its current version.
type Comparison struct {
	Served, Rows int
	// Lost are served but not in the warehouse; Stale are in it in an
	// older version (an earlier modification time, or another open
	// state); Unexpected are in it but not served.
	Lost, Stale, Unexpected []string
	// Duplicated counts rows beyond one per id.
	Duplicated int
}

// OK is true when the warehouse holds exactly what the API serves.
func (c Comparison) OK() bool {
	return len(c.Lost)+len(c.Stale)+len(c.Unexpected)+c.Duplicated == 0
}

func (c Comparison) String() string {
	return fmt.Sprintf("%d postings served, %d rows: %d lost, %d stale, %d duplicated, %d unexpected%s",
		c.Served, c.Rows, len(c.Lost), len(c.Stale), c.Duplicated, len(c.Unexpected), examples(c.Lost, c.Stale, c.Unexpected))
}

func examples(lists ...[]string) string {
	var ex []string
	for _, l := range lists {
		ex = append(ex, l[:min(3, len(l))]...)
	}
	if len(ex) == 0 {
		return ""
	}
	return " (e.g. " + strings.Join(ex, ", ") + ")"
}

// Compare checks core.recruit against the emulator's truth at its clock.
func (s *Stack) Compare(ctx context.Context) (Comparison, error) {
	truth := s.Saramin.Truth()
	db, err := s.Warehouse()
	if err != nil {
		return Comparison{}, err
	}
	defer db.Close()
	c := Comparison{Served: len(truth)}
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(*) - count(DISTINCT id) FROM core.recruit`).Scan(&c.Rows, &c.Duplicated); err != nil {
		return c, fmt.Errorf("compare: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT id, modified_at, coalesce(active, false) FROM core.recruit`)
	if err != nil {
		return c, fmt.Errorf("compare: %w", err)
	}
	defer rows.Close()
	type version struct {
		modified time.Time
		active   bool
	}
	have := map[string]version{}
	for rows.Next() {
		var id string
		var v version
		if err := rows.Scan(&id, &v.modified, &v.active); err != nil {
			return c, fmt.Errorf("compare: %w", err)
		}
		have[id] = v
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("compare: %w", err)
	}
	for _, p := range truth {
		v, ok := have[p.ID]
		switch {
		case !ok:
			c.Lost = append(c.Lost, p.ID)
		case v.modified.Before(p.ModifiedAt) || v.active != p.Active:
			c.Stale = append(c.Stale, p.ID)
		}
		delete(have, p.ID)
	}
	c.Unexpected = slices.Sorted(maps.Keys(have))
	return c, nil
}

// Recover runs the hourly cycle after `after` with the API answering as it
// should, and compares the warehouse with the emulator's truth: every
// window a drift failed or marked must have been read again.
func (s *Stack) Recover(ctx context.Context, after time.Time) (Cycle, Comparison, error) {
	to := after.Truncate(time.Hour).Add(time.Hour)
	s.SetNow(to)
	c, err := s.RunCycle(ctx, "recovered", "--to", to.Format(time.RFC3339))
	if err != nil {
		return c, Comparison{}, err
	}
	l, err := s.Lake(ctx)
	if err != nil {
		return c, Comparison{}, err
	}
	defer l.Close()
	if marks, err := reread.Pending(ctx, l, source.Saramin); err != nil || len(marks) > 0 {
		return c, Comparison{}, fmt.Errorf("after recovery %d windows are still marked to read again (%v)", len(marks), err)
	}
	cmp, err := s.Compare(ctx)
	return c, cmp, err
}
