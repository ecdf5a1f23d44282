// Package extract is the extractor job. For each source it asks the API for
// what is new since the source's watermark, writes each raw answer unchanged
// to the lake under deterministic names, announces the run on the bus and
// only then moves the watermark. A run with nothing new ends without a
// message. The sources, each with its own schedule, watermark and failure:
//
//   - saramin (hourly): postings published or modified since the watermark;
//   - trends (daily): Google Trends interest for the configured keywords over
//     a window ending today; keywords that fail are retried by the next run;
//   - cert (weekly): the certification statistics as a whole data set (the
//     Q-Net answers and the operator's file), or nothing if any call fails.
package extract

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strings"
	"time"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/bus"
	"jobpulse/pkg/cert"
	"jobpulse/pkg/cli"
	"jobpulse/pkg/crash"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/logging"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/reread"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
)

// Config is the extractor's configuration, read from the environment.
type Config struct {
	Source       source.Source `env:"SOURCE, default=saramin" help:"what to extract: saramin (hourly), trends (daily) or cert (weekly)"`
	BaseURL      string        `env:"SARAMIN_BASE_URL, default=https://oapi.saramin.co.kr" help:"Saramin API base URL (the emulator's URL locally)"`
	AccessKey    string        `env:"SARAMIN_ACCESS_KEY" help:"Saramin access key, required for --source saramin (secret: never logged)"`
	Rate         float64       `env:"SARAMIN_RATE, default=2" help:"API calls per second"`
	Timeout      time.Duration `env:"SARAMIN_TIMEOUT, default=20s" help:"timeout of one API call"`
	MaxTries     uint          `env:"SARAMIN_MAX_TRIES, default=5" help:"attempts per page before the run fails"`
	Fields       string        `env:"SARAMIN_FIELDS, default=posting-date,expiration-date,keyword-code,count" help:"extra fields asked of the API"`
	PageSize     int           `env:"SARAMIN_PAGE_SIZE, default=110" help:"postings per page (the API's maximum is 110)"`
	Overlap      time.Duration `env:"EXTRACT_OVERLAP, default=2h" help:"how far before the watermark each run starts again; the loader absorbs the repeats"`
	RereadFor    time.Duration `env:"REREAD_FOR, default=72h" help:"how long the scheduled runs keep reading again a window whose records were set aside, before giving it up with an alert"`
	BackfillDays int           `env:"EXTRACT_BACKFILL_DAYS, default=400" help:"history fetched by the very first run"`
	Topic        string        `env:"RAW_TOPIC, default=jobpulse-raw" help:"topic announcing raw pages"`
	TrendsConfig
	CertConfig
}

// JobConfig is everything the extractor job reads from its environment:
// the settings every job shares, the extractor's own and its crash points.
type JobConfig struct {
	cli.Common
	Config
	Crash crash.Config
}

// Validate reports every setting the configured source cannot work
// with: its credential, and the Trends settings for --source trends.
func (c Config) Validate() error {
	var errs []error
	switch c.Source {
	case source.Saramin:
		if strings.TrimSpace(c.AccessKey) == "" {
			errs = append(errs, errors.New("SARAMIN_ACCESS_KEY is required for --source saramin: want the API's access key"))
		}
	case source.Trends:
		errs = append(errs, c.TrendsConfig.check()...)
	case source.Cert:
		if strings.TrimSpace(c.QnetServiceKey) == "" {
			errs = append(errs, errors.New("QNET_SERVICE_KEY is required for --source cert: want the data.go.kr service key"))
		}
	default:
		errs = append(errs, fmt.Errorf("SOURCE is %q; want one of %s", c.Source, source.Names()))
	}
	return errors.Join(errs...)
}

// Lake is what the extractor needs of the lake.
type Lake interface {
	Put(ctx context.Context, name, contentType string, data []byte) error
	ReadWatermark(ctx context.Context, src source.Source) (lake.Watermark, bool, error)
	AdvanceWatermark(ctx context.Context, prev lake.Watermark, until time.Time, runID string, now time.Time) error
	WriteWatermark(ctx context.Context, prev, next lake.Watermark) error
	// Get, List and Delete read the marks of windows to read again.
	Get(ctx context.Context, name string) ([]byte, error)
	List(ctx context.Context, prefix string) ([]string, error)
	Delete(ctx context.Context, name string) error
}

// Publisher publishes a message.
type Publisher interface {
	Publish(ctx context.Context, topic string, v any, attrs map[string]string) (string, error)
}

// API is the Saramin job-search API.
type API interface {
	Search(ctx context.Context, q saramin.Query) (*saramin.Page, error)
	Pages(ctx context.Context, q saramin.Query) iter.Seq2[*saramin.Page, error]
}

// Options are the per-execution overrides an operator passes as flags.
type Options struct {
	// From and To replace the window computed from the watermark (a
	// backfill or a re-run of a past window). Zero values keep the default.
	From, To time.Time
}

// Summary reports a run.
type Summary struct {
	Source     source.Source
	RunID      string
	Window     bus.Window
	NothingNew bool
	Pages      int
	Postings   int
	Objects    []string
	MessageID  string
	Duration   time.Duration
	// Keywords counts the trend keywords collected; Failed lists those that
	// were not (retried by the next run).
	Keywords int
	Failed   []string
	// Quarantined counts answers set aside because they could not be
	// understood.
	Quarantined int
	// Probed is true when the API was asked whether anything changed
	// since Since (NothingNew then means it had nothing, not that the
	// window was done). Since is the watermark, without the overlap.
	Probed bool
	Since  time.Time
	// Partial is true when the quota ran out and what was fetched, up to
	// Window.To, was announced; the next run resumes from there.
	Partial bool
	// Rereads lists the marked windows this run read again (records of
	// them had been set aside); GaveUp those marked too long ago to go on.
	Rereads, GaveUp []reread.Mark
	// Drift counts, by kind, the answers read despite a changed shape.
	Drift map[string]int
}

// Extractor runs extractions.
type Extractor struct {
	Cfg  Config
	Lake Lake
	Bus  Publisher
	API  API
	Now  func() time.Time
	Log  *slog.Logger
	// Trends and Cert are the other sources' APIs, needed only to extract
	// them.
	Trends TrendsAPI
	Cert   CertAPI
	// Project names the GCP project in the log lines' trace field.
	Project string
	// Execution names this execution in its ops.Run record; empty records
	// nothing.
	Execution string
	// Notify tells people how the run went (nil: no one).
	Notify *notify.Notifier
	// Stop is called at each of StopPoints (nil: never stops).
	Stop crash.Hook
}

// StopPoints are the extractor's crash points: after-publish, once a
// source's batch is announced and before its watermark moves.
var StopPoints = []string{crash.AfterPublish}

// Run extracts one window. The window ends at opts.To, or at the start of
// the current hour, and starts Overlap before the watermark (BackfillDays
// before its end on the first run), or at opts.From.
func (e *Extractor) Run(ctx context.Context, opts Options) (sum Summary, err error) {
	began := e.Now()
	src := cmp.Or(e.Cfg.Source, source.Saramin)
	if e.Execution != "" {
		if err := ops.Start(ctx, e.Lake, "extractor", e.Execution, src, began); err != nil {
			e.Log.Warn("run record not written", "error", err)
		}
	}
	defer func() {
		sum.Source = src
		e.record(ctx, began, sum, err)
		e.tell(ctx, sum, err)
	}()
	switch src {
	case source.Saramin:
		if e.API == nil {
			return sum, errors.New("extract saramin: no Saramin API configured (SARAMIN_ACCESS_KEY)")
		}
		return e.run(ctx, opts, began)
	case source.Trends:
		if e.Trends == nil {
			return sum, errors.New("extract trends: no Trends client configured")
		}
		return e.runTrends(ctx, opts, began)
	case source.Cert:
		if e.Cert == nil {
			return sum, errors.New("extract cert: no Q-Net client configured (QNET_SERVICE_KEY)")
		}
		return e.runCert(ctx, opts, began)
	}
	return sum, fmt.Errorf("extract: %w", source.Unknown(src))
}

// record leaves the execution's ops.Run in the lake; a failure to record
// is logged, never the run's outcome.
func (e *Extractor) record(ctx context.Context, began time.Time, sum Summary, err error) {
	if e.Execution == "" {
		return
	}
	status := ops.Status(err, sum.NothingNew, sum.Quarantined > 0)
	if fail, _ := Outcome(err); err != nil && !fail {
		status = ops.StatusStopped
	}
	r := ops.Run{Job: "extractor", Execution: e.Execution, RunID: sum.RunID, Source: sum.Source,
		WindowFrom: sum.Window.From, WindowTo: sum.Window.To, CountIn: sum.Pages, CountOut: sum.Postings,
		Status: status, Error: ops.ErrText(err), StartedAt: began.UTC(), DurationMS: e.Now().Sub(began).Milliseconds(),
		MessageID: sum.MessageID, Calls: e.calls(), Drift: sum.Drift, SetAside: sum.Quarantined}
	if rerr := ops.Record(ctx, e.Lake, r); rerr != nil {
		e.Log.Warn("run record not written", "error", rerr)
	}
}

func (e *Extractor) run(ctx context.Context, opts Options, began time.Time) (Summary, error) {
	wm, found, err := e.Lake.ReadWatermark(ctx, source.Saramin)
	if err != nil {
		return Summary{}, ops.InStep("watermark", fmt.Errorf("extract: %w", err))
	}
	to := opts.To
	if to.IsZero() {
		to = began.UTC().Truncate(time.Hour)
	}
	// newSince is where genuinely new changes start; from adds the overlap.
	var from, newSince time.Time
	switch {
	case !opts.From.IsZero():
		from, newSince = opts.From, opts.From
	case found && wm.Resume:
		// The last run stopped at its quota with everything before Until
		// announced: carry on from there.
		from, newSince = wm.Until, wm.Until
	case found:
		from, newSince = wm.Until.Add(-e.Cfg.Overlap), wm.Until
	default:
		from = to.AddDate(0, 0, -e.Cfg.BackfillDays)
		newSince = from
	}
	from, to, newSince = from.UTC(), to.UTC(), newSince.UTC()
	if !opts.From.IsZero() && found && wm.Resume && to.After(wm.Until) {
		// The scheduled runs are working through a history larger than a
		// day's quota: a window over what they have still to fetch would
		// spend the same quota on the same pages.
		return Summary{}, fmt.Errorf("extract: the scheduled runs are catching up from %s within the daily quota, and the window %s to %s overlaps what they will fetch: re-run only a window that ends by %s, or wait until they have caught up",
			wm.Until.Format(time.RFC3339), from.Format(time.RFC3339), to.Format(time.RFC3339), wm.Until.Format(time.RFC3339))
	}
	var sum Summary
	if opts.From.IsZero() && found && !wm.Resume {
		// Windows whose records were set aside are read again: the run
		// starts back at the earliest.
		if sum.Rereads, sum.GaveUp, err = e.rereads(ctx, began); err != nil {
			return sum, ops.InStep("reread", fmt.Errorf("extract: %w", err))
		}
		if len(sum.Rereads) > 0 && sum.Rereads[0].From.Before(from) {
			from = sum.Rereads[0].From.UTC()
		}
	}
	sum.RunID, sum.Window = lake.RunID(source.Saramin, from, to), bus.Window{From: from, To: to}
	log := logging.ForRun(e.Log, e.Project, sum.RunID).With("source", source.Saramin)
	for _, m := range sum.GaveUp {
		log.Error("a window whose records were set aside was read again for too long: given up, its records stay in quarantine",
			"alert", "quarantine", "reread", m.RunID, "from", m.From, "to", m.To, "set_aside", m.SetAside, "reason", m.Reason, "marked", m.Marked, "rerun", ops.ExtractCommand(source.Saramin, m.From, m.To))
	}
	if len(sum.Rereads) > 0 {
		log.Info("reading again the windows whose records were set aside", "windows", len(sum.Rereads), "from", from)
	}
	if !newSince.Before(to) && len(sum.Rereads) == 0 {
		sum.NothingNew = true
		log.Info("window already extracted: nothing to do", "watermark", wm.Until, "to", to)
		sum.Duration = e.Now().Sub(began)
		return sum, nil
	}

	// Check first: most hours of the night bring nothing.
	if len(sum.Rereads) == 0 {
		done, err := e.probe(ctx, &sum, wm, found, newSince, to, began, log)
		if done || err != nil {
			return sum, err
		}
	}

	q := saramin.Query{
		UpdatedMin: from, UpdatedMax: to,
		Sort:   saramin.SortUpdatedAsc,
		Count:  e.Cfg.PageSize,
		Fields: saramin.SplitList(e.Cfg.Fields),
	}
	var last json.RawMessage // the newest posting fetched (pages come oldest change first)
	counted := -1            // the window's total, as the first page reports it
	for page, err := range e.API.Pages(ctx, q) {
		if err != nil {
			err = ops.InStep("fetch", fmt.Errorf("extract %s: after %d pages: %w", sum.RunID, sum.Pages, err))
			if errors.Is(err, apicall.ErrQuotaExceeded) {
				return e.stopAtQuota(ctx, sum, wm, found, newSince, last, err, log)
			}
			return sum, err
		}
		if sum.Pages == 0 && counted < 0 {
			counted = page.Total
		}
		e.noteDrift(&sum, page, log)
		if len(page.Jobs) == 0 {
			break
		}
		last = page.Jobs[len(page.Jobs)-1]
		name := lake.RawPage(source.Saramin, sum.RunID, to, sum.Pages)
		if err := e.Lake.Put(ctx, name, "application/json", page.Raw); err != nil {
			return sum, ops.InStep("land", fmt.Errorf("extract %s: %w", sum.RunID, err))
		}
		sum.Pages++
		sum.Postings += len(page.Jobs)
		sum.Objects = append(sum.Objects, name)
		if sum.Pages%20 == 0 || (page.Total > 0 && sum.Postings >= page.Total) {
			log.Info("pages written", "pages", sum.Pages, "postings", sum.Postings, "total", page.Total)
		}
	}
	if err := e.verifyCount(ctx, &sum, q, counted, log); err != nil {
		return sum, err
	}
	if err := e.announce(ctx, source.Saramin, &sum, sum.Postings); err != nil {
		return sum, err
	}
	// The watermark moves only after every page is written and announced:
	// a crash before this line repeats the window, which overwrites the
	// same objects and is absorbed downstream.
	if err := e.advance(ctx, wm, found, to, sum.RunID); err != nil {
		return sum, err
	}
	sum.Duration = e.Now().Sub(began)
	log.Info("extracted", "pages", sum.Pages, "postings", sum.Postings, "from", from, "to", to, "message_id", sum.MessageID, "duration", sum.Duration)
	return sum, nil
}

// probe asks the API whether anything changed since newSince: when nothing
// did it ends the run (done) and moves the watermark. A count of none
// beside postings is drift, never "no news".
func (e *Extractor) probe(ctx context.Context, sum *Summary, wm lake.Watermark, found bool, newSince, to, began time.Time, log *slog.Logger) (done bool, err error) {
	sum.Probed, sum.Since = true, newSince
	probe, err := e.API.Search(ctx, saramin.Query{UpdatedMin: newSince, UpdatedMax: to, Count: 1})
	if err != nil {
		return false, ops.InStep("fetch", fmt.Errorf("extract %s: probe: %w", sum.RunID, err))
	}
	e.noteDrift(sum, probe, log)
	if probe.Total == 0 && len(probe.Jobs) > 0 {
		return false, ops.InStep("count", fmt.Errorf("extract %s: %w: the API counts 0 postings changed since %s and sent %d",
			sum.RunID, ErrCountMismatch, newSince.Format(time.RFC3339), len(probe.Jobs)))
	}
	if probe.Total == 0 || (probe.Total < 0 && len(probe.Jobs) == 0) {
		sum.NothingNew = true
		log.Info("no new or modified postings", "notify", "no_new_data", "since", newSince, "to", to)
		if err := e.advance(ctx, wm, found, to, sum.RunID); err != nil {
			return true, err
		}
		sum.Duration = e.Now().Sub(began)
		return true, nil
	}
	return false, nil
}

// rereads returns the marked windows to read again, earliest first, and
// those marked longer than RereadFor ago, which it gives up (removes).
func (e *Extractor) rereads(ctx context.Context, now time.Time) (keep, gaveUp []reread.Mark, err error) {
	marks, err := reread.Pending(ctx, e.Lake, source.Saramin)
	if err != nil {
		return nil, nil, err
	}
	limit := cmp.Or(e.Cfg.RereadFor, 72*time.Hour)
	for _, m := range marks {
		if now.Sub(m.Marked) <= limit {
			keep = append(keep, m)
			continue
		}
		if err := reread.Remove(ctx, e.Lake, m); err != nil {
			return nil, nil, err
		}
		gaveUp = append(gaveUp, m)
	}
	return keep, gaveUp, nil
}

// noteDrift logs and counts what the client read past in an answer's
// shape (a byte-order mark).
func (e *Extractor) noteDrift(sum *Summary, p *saramin.Page, log *slog.Logger) {
	for _, d := range p.Drift {
		if sum.Drift == nil {
			sum.Drift = map[string]int{}
		}
		sum.Drift[d]++
		log.Warn("shape drift absorbed: an answer read in another form", "alert", "shape_drift", "drift", d, "page", p.Start)
	}
}

// ErrCountMismatch says the API's count of a window's postings disagrees
// with the postings it served, in a way changes during the run cannot
// explain: the window is not announced and the watermark stays, so the
// next run reads it again.
var ErrCountMismatch = errors.New("the API's count disagrees with the postings it served")

// verifyCount takes the total the API reported for the window (counted,
// from its first page; -1 when it gave none) as a checksum of the
// postings received. A difference is explained only by postings changed
// during the run, which leave the window (their change is now newer than
// its end; the next window fetches them) and may shift later pages past
// one: then the window's total, asked again, is at most what was received
// and what was received at most the first total. Anything else fails the
// window.
func (e *Extractor) verifyCount(ctx context.Context, sum *Summary, q saramin.Query, counted int, log *slog.Logger) error {
	if counted < 0 || sum.Postings == counted {
		return nil
	}
	again, err := e.API.Search(ctx, saramin.Query{UpdatedMin: q.UpdatedMin, UpdatedMax: q.UpdatedMax, Count: 1})
	if err != nil {
		return ops.InStep("count", fmt.Errorf("extract %s: the API counted %d postings and served %d; counting again: %w", sum.RunID, counted, sum.Postings, err))
	}
	if again.Total >= 0 && again.Total <= sum.Postings && sum.Postings <= counted {
		log.Info("postings changed during the run left the window; the next run fetches them",
			"counted", counted, "received", sum.Postings, "counted_now", again.Total)
		return nil
	}
	return ops.InStep("count", fmt.Errorf("extract %s: %w: it counted %d postings for the window (%d when asked again) and served %d; the window is not announced and the watermark stays",
		sum.RunID, ErrCountMismatch, counted, again.Total, sum.Postings))
}

// stopAtQuota ends a run whose daily quota ran out after some pages: what
// was fetched is announced, and the watermark moves to the modification
// time of the newest posting fetched (the pages come oldest change first,
// so every change before it is in them), marked Resume so that the next
// run carries on from there. Without a page, or without a readable time,
// nothing is announced and the watermark stays. quota is returned as the
// run's outcome either way (the run stopped; it did not fail).
func (e *Extractor) stopAtQuota(ctx context.Context, sum Summary, wm lake.Watermark, found bool, newSince time.Time, last json.RawMessage, quota error, log *slog.Logger) (Summary, error) {
	if last == nil {
		return sum, quota
	}
	p, err := saramin.ParseJob(last)
	if err != nil || p.ModifiedAt.IsZero() || !p.ModifiedAt.After(newSince) {
		log.Warn("quota spent; the pages fetched give no point to resume from, so nothing is announced", "pages", sum.Pages, "error", err)
		return sum, quota
	}
	complete := p.ModifiedAt.UTC()
	sum.Window.To, sum.Partial = complete, true
	if err := e.announce(ctx, source.Saramin, &sum, sum.Postings); err != nil {
		return sum, err
	}
	next := lake.Watermark{Until: complete, RunID: sum.RunID, Updated: e.Now(), Resume: true}
	if found && !complete.After(wm.Until) {
		return sum, quota // a re-run of an old window: the watermark stays
	}
	if err := e.Lake.WriteWatermark(ctx, wm, next); err != nil {
		return sum, ops.InStep("watermark", fmt.Errorf("extract %s: %w", sum.RunID, err))
	}
	log.Info("quota spent: what was fetched is announced, and the next run resumes from the newest change in it",
		"pages", sum.Pages, "postings", sum.Postings, "resume_from", complete, "message_id", sum.MessageID)
	return sum, quota
}

// announce publishes the run's objects as one batch on the raw topic
// (postings: how many records they hold) and keeps the message id in sum.
func (e *Extractor) announce(ctx context.Context, src source.Source, sum *Summary, postings int) error {
	msg := bus.RawBatch{Source: src, RunID: sum.RunID, Window: sum.Window, Objects: sum.Objects, Postings: postings, Created: e.Now().UTC()}
	id, err := e.Bus.Publish(ctx, e.Cfg.Topic, msg, map[string]string{bus.SourceAttr: string(src), "run_id": sum.RunID})
	if err != nil {
		return ops.InStep("announce", fmt.Errorf("extract %s: %w", sum.RunID, err))
	}
	sum.MessageID = id
	// Every source moves its watermark after this: a crash here repeats
	// the window.
	e.Stop.At(crash.AfterPublish)
	return nil
}

// advance moves the watermark to `to` unless that would move it backwards
// (a re-run of an old window).
func (e *Extractor) advance(ctx context.Context, wm lake.Watermark, found bool, to time.Time, runID string) error {
	if found && !to.After(wm.Until) {
		return nil
	}
	if err := e.Lake.AdvanceWatermark(ctx, wm, to, runID, e.Now()); err != nil {
		return ops.InStep("watermark", fmt.Errorf("extract %s: %w", runID, err))
	}
	return nil
}

// Outcome classifies a run's error for the job's exit. A spent quota is
// not a failure (fail is false): retrying now cannot help and the next
// scheduled run resumes from the unmoved watermark. Every other error is a
// failure, which exits non-zero so that Cloud Run retries the task and the
// failure is visible.
func Outcome(err error) (fail bool, reason string) {
	switch {
	case err == nil:
		return false, ""
	case errors.Is(err, apicall.ErrQuotaExceeded):
		return false, "daily API quota exhausted: the next run resumes from the watermark"
	case errors.Is(err, ErrKeywordsFailed):
		return true, err.Error() + ": the retry of this execution (or the next run) collects them"
	case errors.Is(err, cert.ErrKeyNotRegistered), errors.Is(err, cert.ErrKeyExpired), errors.Is(err, cert.ErrAccessDenied):
		return true, "Q-Net refused the service key: check QNET_SERVICE_KEY"
	case errors.Is(err, saramin.ErrInvalidKey):
		return true, "the API refused the access key: check SARAMIN_ACCESS_KEY"
	default:
		return true, strings.TrimSpace(err.Error())
	}
}
