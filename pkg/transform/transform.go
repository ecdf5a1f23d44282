// Package transform is the transformer job: it drains the raw announcements,
// reads each raw object from the lake and turns it into load-ready NDJSON:
// Saramin pages into one clean row per posting (parsed tolerantly, with the
// data skills it names, package skills), Google Trends captures into rows scaled on their anchor, and a certification run
// into one whole data set. What it cannot understand goes to quarantine with
// the reason. It announces the result and acknowledges a message only after
// all of that succeeded.
package transform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/cli"
	"jobpulse/pkg/crash"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/logging"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/reread"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/skills"
	"jobpulse/pkg/source"
)

// The clean tables in the lake, one per source.
const (
	Table      = "recruit"       // postings
	TrendTable = "google_trend"  // trend rows
	CertTable  = "certification" // certification statistics
)

// Config is the transformer's configuration, read from the environment.
type Config struct {
	Subscription string `env:"RAW_SUBSCRIPTION, default=jobpulse-transformer" help:"subscription to the raw-page topic"`
	Topic        string `env:"CLEAN_TOPIC, default=jobpulse-clean" help:"topic announcing clean files"`
	bus.DrainOptions
}

// JobConfig is everything the transformer job reads from its
// environment: the settings every job shares, the transformer's own and its
// crash points.
type JobConfig struct {
	cli.Common
	Config
	Crash crash.Config
}

// Lake is what the transformer needs of the lake.
type Lake interface {
	Get(ctx context.Context, name string) ([]byte, error)
	Put(ctx context.Context, name, contentType string, data []byte) error
	// List and Delete keep the marks of windows to read again.
	List(ctx context.Context, prefix string) ([]string, error)
	Delete(ctx context.Context, name string) error
}

// Bus is what the transformer needs of the bus.
type Bus interface {
	Drain(ctx context.Context, subscription string, o bus.DrainOptions, h bus.Handler) (bus.DrainStats, error)
	Publish(ctx context.Context, topic string, v any, attrs map[string]string) (string, error)
}

// Transformer runs the transformation.
type Transformer struct {
	Cfg  Config
	Lake Lake
	Bus  Bus
	Now  func() time.Time
	Log  *slog.Logger
	// Project names the GCP project in the log lines' trace field.
	Project string
	// Execution names this execution in its ops.Run record; empty records
	// nothing.
	Execution string
	// Notify tells people about failures and quarantined records (nil: no
	// one).
	Notify *notify.Notifier
	// Stop is called at each of StopPoints (nil: never stops).
	Stop crash.Hook
}

// StopPoints are the transformer's crash points: after-publish, once a
// clean batch is announced and before its raw message is acknowledged.
var StopPoints = []string{crash.AfterPublish}

// Summary reports a drain.
type Summary struct {
	Messages    int
	Poison      int
	Rows        int
	Quarantined int
	Duration    time.Duration
	// Run describes the batches handled, the drift absorbed (Run.Drift)
	// included.
	Run ops.Run
	// QuarantineObjects are the quarantine objects written.
	QuarantineObjects []string
	// failed is the first batch that failed; quarantined are the batches
	// with records set aside.
	failed      *bus.RawBatch
	quarantined []bus.RawBatch
}

// Run drains the subscription until it is empty.
func (t *Transformer) Run(ctx context.Context) (Summary, error) {
	began := t.Now()
	var sum Summary
	if t.Execution != "" {
		if err := ops.Start(ctx, t.Lake, "transformer", t.Execution, "", began); err != nil {
			t.Log.Warn("run record not written", "error", err)
		}
	}
	st, err := t.Bus.Drain(ctx, t.Cfg.Subscription, t.Cfg.DrainOptions, func(ctx context.Context, d bus.Delivery) error {
		var raw bus.RawBatch
		if err := d.Decode(&raw); err != nil {
			sum.Poison++
			return bus.SetAside(ctx, t.Lake, t.Log, t.Cfg.Subscription, d, err)
		}
		clean, err := t.Handle(ctx, raw)
		if err != nil {
			if sum.failed == nil {
				sum.failed = &raw
			}
			return err
		}
		if clean.Quarantined > 0 {
			sum.quarantined = append(sum.quarantined, raw)
		}
		sum.Rows += clean.Rows
		sum.Quarantined += clean.Quarantined
		sum.Run.AddDrift(clean.Drift)
		sum.QuarantineObjects = append(sum.QuarantineObjects, clean.Quarantine...)
		sum.Run.CountIn += len(raw.Objects)
		sum.Run.Cover(raw.RunID, raw.Source, raw.Window.From, raw.Window.To)
		return nil
	})
	sum.Messages = st.Handled
	sum.Duration = t.Now().Sub(began)
	if err != nil {
		err = fmt.Errorf("transform: %w", err)
	}
	if t.Execution != "" {
		r := sum.Run
		r.Job, r.Execution, r.CountOut, r.SetAside = "transformer", t.Execution, sum.Rows, sum.Quarantined
		r.Status = ops.Status(err, sum.Messages == 0, sum.Quarantined+sum.Poison > 0)
		r.Error, r.StartedAt, r.DurationMS = ops.ErrText(err), began.UTC(), sum.Duration.Milliseconds()
		if rerr := ops.Record(ctx, t.Lake, r); rerr != nil {
			t.Log.Warn("run record not written", "error", rerr)
		}
	}
	// The record first: a notification slowed by a dead channel cannot
	// cost it.
	t.tell(ctx, sum, err)
	return sum, err
}

// Quarantined is one record that could not be understood, as written to
// the quarantine object.
type Quarantined struct {
	Reason string          `json:"reason"`
	Object string          `json:"object"`
	Index  int             `json:"index"`
	Record json.RawMessage `json:"record,omitempty"`
	RunID  string          `json:"run_id"`
}

// Handle transforms the pages of one raw batch and announces the result.
// Every name it writes is derived from the run id, so handling the same
// message twice rewrites the same objects and publishes an identical batch.
func (t *Transformer) Handle(ctx context.Context, raw bus.RawBatch) (bus.CleanBatch, error) {
	var out bus.CleanBatch
	var err error
	switch raw.Source {
	case source.Saramin, "":
		out, err = t.handleRecruit(ctx, raw)
	case source.Trends:
		out, err = t.handleTrends(ctx, raw)
	case source.Cert:
		out, err = t.handleCert(ctx, raw)
	default:
		// A source this version does not know: not a poison message (a
		// newer transformer may handle it), so fail and leave it queued.
		return out, fmt.Errorf("transform %s: %w", raw.RunID, source.Unknown(raw.Source))
	}
	if err != nil {
		return out, err
	}
	id, err := t.Bus.Publish(ctx, t.Cfg.Topic, out, map[string]string{bus.SourceAttr: string(raw.Source), "run_id": raw.RunID})
	if err != nil {
		return out, ops.InStep("announce", fmt.Errorf("transform %s: %w", raw.RunID, err))
	}
	logging.ForRun(t.Log, t.Project, raw.RunID).Info("transformed", "source", raw.Source, "objects", len(raw.Objects), "rows", out.Rows, "quarantined", out.Quarantined, "message_id", id)
	// The raw message is acknowledged after this: a crash here delivers
	// it again, and the batch is announced twice, identically.
	t.Stop.At(crash.AfterPublish)
	return out, nil
}

// handleRecruit parses the Saramin pages of one raw batch.
func (t *Transformer) handleRecruit(ctx context.Context, raw bus.RawBatch) (bus.CleanBatch, error) {
	log := logging.ForRun(t.Log, t.Project, raw.RunID).With("source", raw.Source)
	out := bus.CleanBatch{Source: raw.Source, RunID: raw.RunID, Window: raw.Window, Created: t.Now().UTC()}
	wholePages := 0 // pages set aside whole: their records cannot be counted
	reason := ""    // the first record set aside's
	for i, obj := range raw.Objects {
		body, err := t.Lake.Get(ctx, obj)
		if errors.Is(err, lake.ErrNotFound) {
			// The announced page is gone: nothing to parse, but the loss is
			// recorded and alerted rather than silently skipped.
			q := []Quarantined{{Reason: "raw page missing from the lake", Object: obj, Index: -1, RunID: raw.RunID}}
			name, qerr := t.writeQuarantine(ctx, raw, i, q)
			if qerr != nil {
				return out, qerr
			}
			out.Quarantine = append(out.Quarantine, name)
			out.Quarantined++
			wholePages++
			log.Error("raw page missing", "alert", "quarantine", "object", obj)
			if reason == "" {
				reason = q[0].Reason
			}
			continue
		}
		if err != nil {
			return out, fmt.Errorf("transform %s: %w", raw.RunID, err)
		}
		parsed := ParsePage(body, obj, raw.RunID)
		rows, bad := parsed.Rows, parsed.Bad
		for _, kind := range slices.Sorted(maps.Keys(parsed.Drift)) {
			log.Warn("shape drift absorbed: records read in another form", "alert", "shape_drift", "drift", kind, "records", parsed.Drift[kind], "object", obj)
			if out.Drift == nil {
				out.Drift = map[string]int{}
			}
			out.Drift[kind] += parsed.Drift[kind]
		}
		if len(rows) > 0 {
			name := lake.CleanPart(raw.Source, Table, raw.RunID, raw.Window.To, i)
			if err := t.Lake.Put(ctx, name, "application/x-ndjson", rows); err != nil {
				return out, fmt.Errorf("transform %s: %w", raw.RunID, err)
			}
			out.Objects = append(out.Objects, name)
		}
		out.Rows += countLines(rows)
		if len(bad) > 0 {
			name, err := t.writeQuarantine(ctx, raw, i, bad)
			if err != nil {
				return out, err
			}
			out.Quarantine = append(out.Quarantine, name)
			out.Quarantined += len(bad)
			for _, b := range bad {
				if b.Index < 0 {
					wholePages++
				}
			}
			log.Warn("records quarantined", "alert", "quarantine", "object", name, "count", len(bad), "first_reason", bad[0].Reason)
			if reason == "" {
				reason = bad[0].Reason
			}
		}
	}
	// Every posting the extractor announced is a row or a record set
	// aside; a shortfall (a page whose answer lost its postings) fails the
	// batch rather than loading less in silence.
	if wholePages == 0 && raw.Postings > 0 && out.Rows+out.Quarantined != raw.Postings {
		return out, ops.InStep("count", fmt.Errorf("transform %s: %w: the batch announced %d postings and its pages hold %d rows and %d records set aside",
			raw.RunID, ErrCountMismatch, raw.Postings, out.Rows, out.Quarantined))
	}
	return out, t.markRereads(ctx, raw, out, reason, log)
}

// markRereads keeps the batch's window to be read again from the API when
// records of it were set aside (the extractor's next run starts back at
// it), and clears the marks of the windows this batch read whole.
func (t *Transformer) markRereads(ctx context.Context, raw bus.RawBatch, out bus.CleanBatch, reason string, log *slog.Logger) error {
	if raw.Window.From.IsZero() || !raw.Window.From.Before(raw.Window.To) {
		return nil
	}
	if out.Quarantined > 0 {
		m := reread.Mark{Source: raw.Source, RunID: raw.RunID, From: raw.Window.From, To: raw.Window.To,
			SetAside: out.Quarantined, Reason: reason, Marked: t.Now().UTC()}
		if err := reread.Add(ctx, t.Lake, m); err != nil {
			return ops.InStep("reread", fmt.Errorf("transform %s: %w", raw.RunID, err))
		}
		log.Warn("window marked to be read again: the next extraction starts back at it", "from", raw.Window.From, "to", raw.Window.To, "set_aside", out.Quarantined)
		return nil
	}
	cleared, err := reread.Clear(ctx, t.Lake, raw.Source, raw.Window.From, raw.Window.To)
	if err != nil {
		return ops.InStep("reread", fmt.Errorf("transform %s: %w", raw.RunID, err))
	}
	for _, m := range cleared {
		log.Info("window read whole again: the records it set aside are in", "reread", m.RunID, "set_aside", m.SetAside, "marked", m.Marked)
	}
	return nil
}

// ErrCountMismatch says a batch's pages do not hold the postings its
// announcement counts.
var ErrCountMismatch = errors.New("the pages do not hold the postings announced")

// writeQuarantine keeps the records of a postings page that could not be
// understood, under the page's part number.
func (t *Transformer) writeQuarantine(ctx context.Context, raw bus.RawBatch, part int, recs []Quarantined) (string, error) {
	return t.putQuarantine(ctx, raw.RunID, lake.QuarantinePart(raw.Source, Table, raw.RunID, raw.Window.To, part), recs)
}

// putQuarantine writes records that could not be understood to the lake
// object name, one JSON record per line; a repeat overwrites it.
func (t *Transformer) putQuarantine(ctx context.Context, runID, name string, recs []Quarantined) (string, error) {
	data, err := ndjson(recs)
	if err != nil {
		return "", fmt.Errorf("transform %s: encode quarantine: %w", runID, err)
	}
	if err := t.Lake.Put(ctx, name, "application/x-ndjson", data); err != nil {
		return "", fmt.Errorf("transform %s: %w", runID, err)
	}
	return name, nil
}

// Parsed is what ParsePage made of one raw page.
type Parsed struct {
	// Rows are the clean rows, NDJSON.
	Rows []byte
	// Bad are the records that could not be understood.
	Bad []Quarantined
	// Drift counts, by kind, the records read despite a changed shape
	// (a timestamp in another form), for the caller to log.
	Drift map[string]int
}

// ParsePage parses one raw API page into NDJSON clean rows and the records
// it could not understand, reading the page once (saramin.ReadPage) and
// writing each row without reflection (saramin.AppendNDJSON). A page whose
// envelope cannot be read at all is quarantined whole. A UTF-8 byte-order
// mark before it is dropped.
func ParsePage(body []byte, object, runID string) Parsed {
	var out Parsed
	rows := make([]byte, 0, len(body))
	err := saramin.ReadPage(body, func() {
		out, rows = Parsed{}, rows[:0]
	}, func(i int, raw string, p *saramin.Posting, err error) {
		if err != nil {
			out.Bad = append(out.Bad, Quarantined{Reason: err.Error(), Object: object, Index: i, Record: json.RawMessage(raw), RunID: runID})
			return
		}
		p.RunID, p.SourceObject = runID, object
		p.Skills = PostingSkills(*p)
		rows = saramin.AppendNDJSON(rows, p)
		for _, d := range p.Drift {
			if out.Drift == nil {
				out.Drift = map[string]int{}
			}
			out.Drift[d]++
		}
	})
	if err != nil {
		return Parsed{Bad: []Quarantined{{Reason: "page not readable: " + err.Error(), Object: object, Index: -1, Record: asJSON(body), RunID: runID}}}
	}
	if len(rows) > 0 {
		out.Rows = rows
	}
	return out
}

// PostingSkills are the data skills and tools p names in its title,
// keywords and job-code names (never its industry), from the dictionary
// of package skills: an empty list when it names none.
func PostingSkills(p saramin.Posting) []string {
	var arr [32]string
	texts := append(append(append(arr[:0], p.Title), p.Keywords...), p.JobCodeNames...)
	return skills.Default().Match(texts...)
}

func countLines(b []byte) int { return bytes.Count(b, []byte{'\n'}) }
