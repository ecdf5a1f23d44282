package notify

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"jobpulse/pkg/source"
)

// Kind says what happened, and so how an event is worded and whether it is
// an alert.
type Kind string

// The kinds of event the jobs report.
const (
	RunSucceeded   Kind = "run_succeeded"   // loader: an hourly postings run is in the warehouse
	NoNewData      Kind = "no_new_data"     // extractor: nothing new this hour
	StepFailed     Kind = "step_failed"     // any job: a step failed (job exits 1, Cloud Run retries)
	KeywordsFailed Kind = "keywords_failed" // extractor (trends): keyword requests failed, retried next run
	LoadComplete   Kind = "load_complete"   // loader: a search-interest or certification load is in
	CheckFailed    Kind = "check_failed"    // loader: a batch or the warehouse failed data checks; batch quarantined
	Quarantined    Kind = "quarantined"     // extractor/transformer: records or answers set aside
	QuotaSpent     Kind = "quota_spent"     // extractor: daily API quota spent, resumes next run
	ShapeDrift     Kind = "shape_drift"     // extractor/transformer: answers read despite a changed shape (Topic: the kind), once a day per kind
	HealthProblem  Kind = "health_problem"  // health check found something wrong
	AllClear       Kind = "all_clear"       // health check: the daily all-clear
)

// Kinds lists every kind.
func Kinds() []Kind {
	return []Kind{
		RunSucceeded, NoNewData, StepFailed, KeywordsFailed, LoadComplete,
		CheckFailed, Quarantined, QuotaSpent, ShapeDrift, HealthProblem, AllClear,
	}
}

// Failure reports whether a kind is an alert: alerts also go by email and
// are rate-limited.
func (k Kind) Failure() bool {
	switch k {
	case StepFailed, KeywordsFailed, CheckFailed, Quarantined, QuotaSpent, ShapeDrift, HealthProblem:
		return true
	}
	return false
}

// Field is one figure of an event, shown as "Label: value".
type Field struct{ Label, Value string }

// Event is one thing to tell people.
type Event struct {
	Kind      Kind
	Job       string // extractor, transformer, loader, health
	Step      string // fetch, land, announce, transform, load, check, health …
	Source    source.Source
	RunID     string
	Execution string
	From, To  time.Time // the run's window (zero when none)
	Summary   string    // the one line a person reads first
	Fields    []Field   // figures, in order (found, loaded, new, updated, closed, data roles …)
	Error     string    // failures: the error (its first line is sent)
	Items     []string  // failed keywords, quarantined objects, health findings
	Rerun     string    // failures: how to re-run or replay, a shell command shown as code
	At        time.Time
	// Topic, not shown, tells apart alerts of one kind that are not the
	// same (the health check's finding classes, the kinds of drift) for
	// rate limiting.
	Topic string
	// RepeatAfter, when set, replaces the notifier's interval between
	// identical alerts (drift is told once a day per kind).
	RepeatAfter time.Duration
}

// Title is the headline by kind, with an emoji, e.g. "🚨 loader failed at
// load" or "💤 No new postings this hour".
func (e Event) Title() string {
	emoji, text := e.headline()
	return emoji + " " + text
}

// headline is the title split into its emoji and its words (the email
// subject has no emoji).
func (e Event) headline() (emoji, text string) {
	n := len(e.Items)
	switch e.Kind {
	case RunSucceeded:
		return "✅", capitalise(sourceNoun(e.Source, "postings")) + " loaded"
	case NoNewData:
		return "💤", "No new " + sourceNoun(e.Source, "postings") + " this hour"
	case StepFailed:
		switch {
		case e.Job != "" && e.Step != "":
			return "🚨", e.Job + " failed at " + e.Step
		case e.Job != "":
			return "🚨", e.Job + " failed"
		case e.Step != "":
			return "🚨", "Step " + e.Step + " failed"
		}
		return "🚨", "A step failed"
	case KeywordsFailed:
		if n == 0 {
			return "⚠️", "Keyword requests failed"
		}
		return "⚠️", plural(n, "keyword", "keywords") + " not collected"
	case LoadComplete:
		if e.Source == "" {
			return "✅", "Load complete"
		}
		return "✅", capitalise(sourceNoun(e.Source, string(e.Source))) + " loaded"
	case CheckFailed:
		if e.RunID == "" {
			return "🛑", "Warehouse failed data checks"
		}
		return "🛑", "Batch failed data checks and was quarantined"
	case Quarantined:
		if n == 0 {
			return "🚧", "Records set aside in quarantine"
		}
		return "🚧", plural(n, "object", "objects") + " set aside in quarantine"
	case QuotaSpent:
		return "⏳", "Daily API quota spent; extraction resumes once it resets"
	case ShapeDrift:
		if e.Topic == "" {
			return "🧬", "API answers changed shape; read and kept"
		}
		return "🧬", "API answers changed shape (" + e.Topic + "); read and kept"
	case HealthProblem:
		if n == 0 {
			return "🩺", "Health check found a problem"
		}
		return "🩺", "Health check: " + plural(n, "problem", "problems")
	case AllClear:
		return "💚", "All clear"
	}
	if e.Kind == "" {
		return "🔔", "Notification"
	}
	return "🔔", string(e.Kind)
}

// sourceNoun names what a source delivers, def for an unknown source.
func sourceNoun(src source.Source, def string) string {
	switch src {
	case source.Saramin:
		return "postings"
	case source.Trends:
		return "search interest"
	case source.Cert:
		return "certifications"
	}
	return def
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Key identifies "the same alert" for rate limiting: the kind, job, step,
// source and the error with the run id, the execution, digits and hex runs
// normalised away, so that the same failure in successive hourly runs has
// the same key.
func (e Event) Key() string {
	return strings.Join([]string{string(e.Kind), e.Job, e.Step, string(e.Source), e.Topic, normaliseError(e.Error, e.RunID, e.Execution)}, "|")
}

// maxKeyError bounds the error part of a key.
const maxKeyError = 1000

// normaliseError removes what changes from run to run: the run id and
// execution name, then every run of hex digits holding a digit (numbers,
// timestamps, hashes, ids) or long enough to be an id; whitespace is
// collapsed.
func normaliseError(msg, runID, execution string) string {
	if runID != "" {
		msg = strings.ReplaceAll(msg, runID, "<run>")
	}
	if execution != "" {
		msg = strings.ReplaceAll(msg, execution, "<execution>")
	}
	var b strings.Builder
	rs := []rune(msg)
	for i := 0; i < len(rs); {
		if !isHex(rs[i]) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j, digit := i, false
		for j < len(rs) && isHex(rs[j]) {
			digit = digit || (rs[j] >= '0' && rs[j] <= '9')
			j++
		}
		if digit || j-i >= 16 {
			b.WriteByte('#')
		} else {
			b.WriteString(string(rs[i:j]))
		}
		i = j
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	return truncate(out, maxKeyError)
}

func isHex(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F')
}

// DriftRepeatAfter is how often one kind of drift is told.
const DriftRepeatAfter = 24 * time.Hour

// DriftEvents are the ShapeDrift events of a job's run: one per kind of
// drift in counts (records or answers read despite a changed shape, by
// kind), each told once a day.
func DriftEvents(job, step string, src source.Source, execution string, at time.Time, counts map[string]int, fields ...Field) []Event {
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	var out []Event
	for _, kind := range kinds {
		n := counts[kind]
		verb := "were"
		if n == 1 {
			verb = "was"
		}
		out = append(out, Event{Kind: ShapeDrift, Job: job, Step: step, Source: src, Execution: execution, At: at,
			Topic: kind, RepeatAfter: DriftRepeatAfter,
			Summary: fmt.Sprintf("%s arrived with %s and %s kept: the changed form was read (an optional field that cannot be read is left null). Told once a day for each kind; every occurrence is logged with alert=shape_drift.",
				plural(n, "record", "records"), kind, verb),
			Fields: append([]Field{{Label: "Records", Value: fmt.Sprint(n)}}, fields...)})
	}
	return out
}
