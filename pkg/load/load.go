// Package load is the loader job: it drains the clean-file announcements and
// loads each batch into the warehouse, where it is staged and merged so that
// each posting (and each trend point) appears once, in its latest version,
// and the certification data set is replaced whole. A message is
// acknowledged only after its batch is in; a replayed or repeated message
// changes nothing. A source whose batches fail does not hold up the others.
package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/cli"
	"jobpulse/pkg/crash"
	"jobpulse/pkg/health"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/lease"
	"jobpulse/pkg/logging"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/engine"
)

// Config is the loader's configuration, read from the environment.
type Config struct {
	Subscription string `env:"CLEAN_SUBSCRIPTION, default=jobpulse-loader" help:"subscription to the clean-file topic"`
	bus.DrainOptions
	CheckMaxAge time.Duration `env:"CHECK_MAX_AGE, default=3h" help:"--check: the newest load may be this old before freshness fails"`
	LeaseTTL    time.Duration `env:"LOADER_LEASE_TTL, default=5m" help:"how long the loaders' lease lasts without renewal (renewed every third of it): a loader that dies holds it no longer"`
}

// JobConfig is everything the loader job (and its --check and --health
// modes) reads from its environment: the settings every job shares, the
// loader's own, the warehouse it writes, the health check's and its crash
// points.
type JobConfig struct {
	cli.Common
	Config
	Warehouse engine.Config
	DuckDB    engine.DuckDBConfig
	Health    health.Config
	Crash     crash.Config
}

// LeaseName is the lake object of the loaders' lease: one loader loads at
// a time, whatever started it.
const LeaseName = "state/lease/loader.json"

// Exclusive runs work while this execution holds the loaders' lease, and
// gives the lease up after. When another execution holds it, work does
// not run and Exclusive returns a *lease.HeldError (lease.ErrHeld): that
// execution drains the subscription until it is empty, so the messages
// this one was started for are loaded by it. work's context ends, with
// cause lease.ErrLost, should the lease pass to another execution.
func Exclusive(ctx context.Context, store lease.Store, execution string, ttl time.Duration, log *slog.Logger, work func(context.Context) error) error {
	l, err := lease.Acquire(ctx, store, LeaseName, execution, ttl, nil, log)
	if err != nil {
		return err
	}
	held, release := l.Hold(ctx)
	err = work(held)
	if cause := context.Cause(held); errors.Is(cause, lease.ErrLost) {
		err = errors.Join(err, cause)
	}
	if rerr := release(context.WithoutCancel(ctx)); rerr != nil {
		log.Warn("the loaders' lease was not given up; it runs out by itself", "error", rerr.Error(), "ttl", ttl.String())
	}
	return err
}

// Bus is what the loader needs of the bus.
type Bus interface {
	Drain(ctx context.Context, subscription string, o bus.DrainOptions, h bus.Handler) (bus.DrainStats, error)
}

// Lake is what the loader needs of the lake.
type Lake interface {
	warehouse.Opener
	Put(ctx context.Context, name, contentType string, data []byte) error
	Get(ctx context.Context, name string) ([]byte, error)
	List(ctx context.Context, prefix string) ([]string, error)
}

// Loader runs loads.
type Loader struct {
	Cfg       Config
	Lake      Lake
	Bus       Bus
	Warehouse warehouse.Warehouse
	Now       func() time.Time
	Log       *slog.Logger
	// Project names the GCP project in the log lines' trace field.
	Project string
	// Execution names this execution in its ops.Run record; empty records
	// nothing.
	Execution string
	// Notify tells people what each batch did and what failed (nil: no
	// one).
	Notify *notify.Notifier
	// Stop is called at each of StopPoints (nil: never stops).
	Stop crash.Hook
}

// StopPoints are the loader's crash points: before-load, once a batch is
// received and before the warehouse is touched, and after-commit, once
// its load is committed and before its message is acknowledged.
var StopPoints = []string{crash.BeforeLoad, crash.AfterCommit}

// Summary reports a drain.
type Summary struct {
	Messages  int
	Poison    int
	Staged    int
	Inserted  int
	Updated   int
	Unchanged int
	// Quarantined counts batches that failed a data check.
	Quarantined int
	Duration    time.Duration
	// Run describes the batches handled.
	Run ops.Run
	// Records is how many run records were gathered into ops.runs.
	Records int
	// checkFailure describes the last batch stopped by a check.
	checkFailure string
	// failed is the first batch that failed to load; loaded and notices
	// are what to tell people once the drain is over.
	failed  *bus.CleanBatch
	loaded  []loadedBatch
	notices []notify.Event
}

// loadedBatch is a batch in the warehouse and what loading it did.
type loadedBatch struct {
	batch bus.CleanBatch
	res   warehouse.Result
}

// QuarantinedBatch is what the loader writes to the lake for a batch that
// failed a data check: the batch, as announced, and the checks.
type QuarantinedBatch struct {
	Batch  bus.CleanBatch    `json:"batch"`
	Checks []warehouse.Check `json:"checks"`
	Reason string            `json:"reason"`
}

// quarantine sets a batch that failed a check aside in the lake and
// alerts. Its files stay where they are; the record names them.
func (l *Loader) quarantine(ctx context.Context, b bus.CleanBatch, cerr *warehouse.CheckError) error {
	name := lake.QuarantineBatch(b.Source, b.RunID)
	data, err := json.MarshalIndent(QuarantinedBatch{Batch: b, Checks: cerr.Checks, Reason: cerr.Error()}, "", "  ")
	if err != nil {
		return fmt.Errorf("quarantine batch %s: %w", b.RunID, err)
	}
	if err := l.Lake.Put(ctx, name, "application/json", data); err != nil {
		return fmt.Errorf("quarantine batch %s: %w", b.RunID, err)
	}
	logging.ForRun(l.Log, l.Project, b.RunID).Error("batch failed data checks: quarantined",
		"alert", "check_failed", "source", b.Source, "object", name, "reason", cerr.Error())
	return nil
}

// Run drains the subscription until it is empty.
func (l *Loader) Run(ctx context.Context) (Summary, error) {
	began := l.Now()
	var sum Summary
	if l.Execution != "" {
		if err := ops.Start(ctx, l.Lake, "loader", l.Execution, "", began); err != nil {
			l.Log.Warn("run record not written", "error", err)
		}
	}
	if err := l.Warehouse.Ensure(ctx); err != nil {
		err = ops.InStep("ensure", fmt.Errorf("load: %w", err))
		l.finish(ctx, &sum, err, began)
		return sum, err
	}
	st, err := l.Bus.Drain(ctx, l.Cfg.Subscription, l.Cfg.DrainOptions, func(ctx context.Context, d bus.Delivery) error {
		var b bus.CleanBatch
		if err := d.Decode(&b); err != nil {
			sum.Poison++
			return bus.SetAside(ctx, l.Lake, l.Log, l.Cfg.Subscription, d, err)
		}
		l.started(b, d)
		l.Stop.At(crash.BeforeLoad)
		res, err := l.Handle(ctx, b)
		checks := res.Checks
		err = asCheckError(b.RunID, err)
		var cerr *warehouse.CheckError
		if errors.As(err, &cerr) {
			checks = cerr.Checks
		}
		passed, failed := warehouse.Counts(checks)
		sum.Run.ChecksPassed += passed
		sum.Run.ChecksFailed += failed
		if cerr != nil {
			// The batch is kept out of the warehouse and set aside; the
			// message is acknowledged so that the next batches load.
			sum.Quarantined++
			sum.checkFailure = cerr.Error()
			sum.Run.Cover(b.RunID, b.Source, b.Window.From, b.Window.To)
			if err := l.quarantine(ctx, b, cerr); err != nil {
				return err
			}
			sum.notices = append(sum.notices, l.checkFailedEvent(b, cerr, d.Published))
			return nil
		}
		if err != nil {
			if sum.failed == nil {
				sum.failed = &b
			}
			return err
		}
		sum.Staged += res.Staged
		sum.Inserted += res.Inserted
		sum.Updated += res.Updated
		sum.Unchanged += res.Unchanged
		sum.Run.CountIn += b.Rows
		sum.Run.Cover(b.RunID, b.Source, b.Window.From, b.Window.To)
		sum.loaded = append(sum.loaded, loadedBatch{b, res})
		// The message is acknowledged after this: a crash here delivers it
		// again, and loading it again changes nothing.
		l.Stop.At(crash.AfterCommit)
		return nil
	})
	sum.Messages = st.Handled
	if err != nil {
		err = ops.InStep("load", fmt.Errorf("load: %w", err))
	}
	l.finish(ctx, &sum, err, began)
	// Gather the run records of every job into ops.runs, even after a
	// failed drain: the history must show the failure.
	n, gerr := l.GatherRuns(ctx)
	sum.Records = n
	if gerr != nil {
		l.Log.Warn("run records not gathered", "error", gerr)
	}
	return sum, err
}

// started logs that a batch's load begins, with the message that
// announced it (and its delivery attempt, when the subscription counts
// them), so that a load that never ends still shows which batch it was.
func (l *Loader) started(b bus.CleanBatch, d bus.Delivery) {
	attrs := []any{"source", b.Source, "window_from", b.Window.From, "window_to", b.Window.To, "rows", b.Rows, "message_id", d.ID}
	if d.Attempt > 0 {
		attrs = append(attrs, "delivery_attempt", d.Attempt)
	}
	logging.ForRun(l.Log, l.Project, b.RunID).Info("batch started", attrs...)
}

// finish records the execution, then tells people: the record comes first,
// so that a notification slowed by a dead channel cannot cost it.
func (l *Loader) finish(ctx context.Context, sum *Summary, err error, began time.Time) {
	sum.Duration = l.Now().Sub(began)
	if l.Execution != "" {
		r := sum.Run
		r.Job, r.Execution, r.CountOut = "loader", l.Execution, sum.Inserted+sum.Updated
		r.Status = ops.Status(err, sum.Messages == 0, sum.Poison+sum.Quarantined > 0)
		r.Error = ops.ErrText(err)
		if r.Error == "" && sum.checkFailure != "" {
			r.Error = sum.checkFailure
		}
		r.StartedAt, r.DurationMS = began.UTC(), sum.Duration.Milliseconds()
		if rerr := ops.Record(ctx, l.Lake, r); rerr != nil {
			l.Log.Warn("run record not written", "error", rerr)
		}
	}
	l.tell(ctx, *sum, err)
}

// GatherRuns copies the run records of today and yesterday (UTC) from the
// lake into ops.runs. Records are keyed by job and execution, so gathering
// again changes nothing; looking at two days keeps the cost independent of
// the history's length.
func (l *Loader) GatherRuns(ctx context.Context) (int, error) {
	runs, unreadable, err := ops.Recent(ctx, l.Lake, l.Now())
	if err != nil {
		return 0, fmt.Errorf("gather runs: %w", err)
	}
	if unreadable > 0 {
		l.Log.Warn("unreadable run records skipped", "count", unreadable)
	}
	if len(runs) == 0 {
		return 0, nil
	}
	if err := l.Warehouse.RecordRuns(ctx, runs); err != nil {
		return 0, fmt.Errorf("gather runs: %w", err)
	}
	return len(runs), nil
}

// Handle loads one clean batch into the tables of its source.
func (l *Loader) Handle(ctx context.Context, b bus.CleanBatch) (warehouse.Result, error) {
	batch := warehouse.Batch{
		Source: b.Source, RunID: b.RunID, Objects: b.Objects, Rows: b.Rows,
		WindowFrom: b.Window.From, WindowTo: b.Window.To,
	}
	var res warehouse.Result
	var err error
	switch b.Source {
	case source.Saramin, "":
		res, err = l.Warehouse.LoadRecruit(ctx, batch, l.Lake)
	case source.Trends:
		res, err = l.Warehouse.LoadTrends(ctx, batch, l.Lake)
	case source.Cert:
		if len(b.Objects) == 0 {
			// The transformer could not build the set and quarantined it:
			// the loaded set stays.
			logging.ForRun(l.Log, l.Project, b.RunID).Warn("no certification data set in this batch: the loaded set stays",
				"source", b.Source, "quarantined_upstream", b.Quarantined)
			return res, nil
		}
		res, err = l.Warehouse.ReplaceCertifications(ctx, batch, l.Lake)
	default:
		return res, fmt.Errorf("load %s: %w", b.RunID, source.Unknown(b.Source))
	}
	if err != nil {
		return res, fmt.Errorf("load %s: %w", b.RunID, err)
	}
	logging.ForRun(l.Log, l.Project, b.RunID).Info("loaded", "source", b.Source, "staged", res.Staged,
		"inserted", res.Inserted, "updated", res.Updated, "unchanged", res.Unchanged, "quarantined_upstream", b.Quarantined)
	return res, nil
}

// ErrChecksFailed is returned by Check when a warehouse check failed.
var ErrChecksFailed = errors.New("warehouse checks failed")

// Check runs the whole-warehouse checks (freshness, duplicates, layer
// consistency), logs each result, alerts on failures and records the
// execution in ops.runs as job "check".
func (l *Loader) Check(ctx context.Context) ([]warehouse.Check, error) {
	began := l.Now()
	if err := l.Warehouse.Ensure(ctx); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	checks, err := l.Warehouse.CheckAll(ctx, began, l.Cfg.CheckMaxAge)
	passed, failed := warehouse.Counts(checks)
	for _, ch := range checks {
		if ch.Passed() {
			l.Log.Info("check passed", "check", ch.Name, "layer", ch.Layer)
		} else {
			l.Log.Error("check failed", "alert", "check_failed", "check", ch.Name, "layer", ch.Layer, "rows", ch.Failed, "example", ch.Example)
		}
	}
	ran := err == nil
	if ran && failed > 0 {
		err = fmt.Errorf("%w: %d of %d", ErrChecksFailed, failed, len(checks))
	}
	if l.Execution != "" {
		r := ops.Run{Job: "check", Execution: l.Execution, ChecksPassed: passed, ChecksFailed: failed,
			Status: ops.Status(err, false, false), Error: ops.ErrText(err), StartedAt: began.UTC(), DurationMS: l.Now().Sub(began).Milliseconds()}
		if rerr := l.Warehouse.RecordRuns(ctx, []ops.Run{r}); rerr != nil {
			l.Log.Warn("run record not written", "error", rerr)
		}
	}
	switch {
	case ran && failed > 0:
		l.tellWarehouseChecks(ctx, checks)
	case !ran:
		l.Notify.Notify(ctx, l.failedEvent(Summary{}, ops.InStep("check", err)))
	}
	return checks, err
}

// asCheckError turns the row-level failures a warehouse reports outside its
// checks into failed checks: a batch that stages fewer rows than its
// message announced, or rows without an id, will fail the same way on every
// retry (lake objects do not change), so they are quarantined like any
// batch that fails a check instead of being redelivered.
func asCheckError(runID string, err error) error {
	for _, c := range []struct {
		sentinel error
		name     string
	}{
		{warehouse.ErrRowCount, "row_count_matches_message"},
		{warehouse.ErrInvalidRow, "id_and_modified_at_present"},
	} {
		if errors.Is(err, c.sentinel) {
			return &warehouse.CheckError{RunID: runID, Checks: []warehouse.Check{{Name: c.name, Layer: "staging", Failed: 1, Example: err.Error()}}}
		}
	}
	return err
}
