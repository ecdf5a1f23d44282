package load

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

// maxLoadedMessages is how many loads one execution reports one by one;
// beyond it (a backlog, a replay) it sends one message for them all.
const maxLoadedMessages = 3

// tell sends what the execution has to say, after its drain: the failure,
// the batches stopped by checks, and the loads.
func (l *Loader) tell(ctx context.Context, sum Summary, err error) {
	if err != nil {
		l.Notify.Notify(ctx, l.failedEvent(sum, err))
	}
	for _, e := range sum.notices {
		l.Notify.Notify(ctx, e)
	}
	if len(sum.loaded) <= maxLoadedMessages {
		// Only the loads told one by one need their run's figures read.
		for _, lb := range sum.loaded {
			l.Notify.Notify(ctx, l.loadedEvent(ctx, lb.batch, lb.res))
		}
		return
	}
	l.Notify.Notify(ctx, l.loadedTogether(sum))
}

// loadedEvent describes a batch in the warehouse: for postings the whole
// run's outcome (found, loaded, new, updated, closed, data roles), for the
// indicators the load.
func (l *Loader) loadedEvent(ctx context.Context, b bus.CleanBatch, res warehouse.Result) notify.Event {
	ev := notify.Event{Job: "loader", Step: "load", Source: b.Source, RunID: b.RunID, Execution: l.Execution,
		From: b.Window.From, To: b.Window.To, At: l.Now()}
	switch b.Source {
	case source.Saramin, "":
		ev.Kind = notify.RunSucceeded
		ev.Fields = []notify.Field{
			{Label: "Found", Value: fmt.Sprint(b.Rows + b.Quarantined)},
			{Label: "Loaded", Value: fmt.Sprint(res.Staged)},
			{Label: "New", Value: fmt.Sprint(res.Inserted)},
			{Label: "Updated", Value: fmt.Sprint(res.Updated)},
			{Label: "Unchanged", Value: fmt.Sprint(res.Unchanged)},
		}
		ev.Summary = fmt.Sprintf("%d postings found, %d loaded: %d new, %d updated.", b.Rows+b.Quarantined, res.Staged, res.Inserted, res.Updated)
		if l.Notify.Enabled() {
			closed, roles, err := l.Warehouse.RunPostings(ctx, b.RunID)
			if err != nil {
				l.Log.Warn("run figures not read", "run_id", b.RunID, "error", err)
			} else {
				ev.Fields = append(ev.Fields, notify.Field{Label: "Closed", Value: fmt.Sprint(closed)}, notify.Field{Label: "Data roles", Value: fmt.Sprint(roles)})
				ev.Summary = fmt.Sprintf("%d postings found, %d loaded: %d new, %d updated, %d closed; %d are data roles.",
					b.Rows+b.Quarantined, res.Staged, res.Inserted, res.Updated, closed, roles)
			}
		}
		if res.Inserted == 0 && res.Updated == 0 && res.Staged > 0 {
			ev.Summary += " Every posting was already loaded as new or newer: a repeat (a replay or a re-run) changed nothing."
		}
		if b.Quarantined > 0 {
			ev.Fields = append(ev.Fields, notify.Field{Label: "Quarantined", Value: fmt.Sprint(b.Quarantined)})
		}
		// What the parser read past, so the run's message says it.
		for _, kind := range slices.Sorted(maps.Keys(b.Drift)) {
			ev.Items = append(ev.Items, fmt.Sprintf("drift absorbed: %d records with %s", b.Drift[kind], kind))
		}
		if len(b.Drift) > 0 {
			ev.Summary += " Some answers arrived in a changed shape and were read: see the list."
		}
	default:
		ev.Kind = notify.LoadComplete
		what := "rows"
		if b.Source == source.Cert {
			what = "certification rows (the data set was replaced whole)"
		}
		ev.Summary = fmt.Sprintf("%d %s loaded: %d new, %d updated, %d unchanged.", res.Staged, what, res.Inserted, res.Updated, res.Unchanged)
		ev.Fields = []notify.Field{{Label: "Loaded", Value: fmt.Sprint(res.Staged)}, {Label: "New", Value: fmt.Sprint(res.Inserted)},
			{Label: "Updated", Value: fmt.Sprint(res.Updated)}, {Label: "Unchanged", Value: fmt.Sprint(res.Unchanged)}}
	}
	return ev
}

// loadedTogether is one message for many loads.
func (l *Loader) loadedTogether(sum Summary) notify.Event {
	runs := make([]string, 0, len(sum.loaded))
	var from, to time.Time
	for _, lb := range sum.loaded {
		w := lb.batch.Window
		runs = append(runs, lb.batch.RunID)
		if from.IsZero() || (!w.From.IsZero() && w.From.Before(from)) {
			from = w.From
		}
		if w.To.After(to) {
			to = w.To
		}
	}
	return notify.Event{Kind: notify.LoadComplete, Job: "loader", Step: "load", Execution: l.Execution, At: l.Now(), From: from, To: to,
		Summary: fmt.Sprintf("%d batches loaded by one execution (a backlog or a replay): %d rows, %d new, %d updated, %d unchanged.",
			len(sum.loaded), sum.Staged, sum.Inserted, sum.Updated, sum.Unchanged),
		Fields: []notify.Field{{Label: "Batches", Value: fmt.Sprint(len(sum.loaded))}, {Label: "Loaded", Value: fmt.Sprint(sum.Staged)},
			{Label: "New", Value: fmt.Sprint(sum.Inserted)}, {Label: "Updated", Value: fmt.Sprint(sum.Updated)}},
		Items: runs}
}

// checkFailedEvent describes a batch stopped by the data checks and set
// aside.
func (l *Loader) checkFailedEvent(b bus.CleanBatch, cerr *warehouse.CheckError, published time.Time) notify.Event {
	ev := notify.Event{Kind: notify.CheckFailed, Job: "loader", Step: "check", Source: b.Source, RunID: b.RunID, Execution: l.Execution,
		From: b.Window.From, To: b.Window.To, At: l.Now()}
	ev.Summary = fmt.Sprintf("The batch was kept out of the warehouse (nothing changed) and described in %s; the batches after it went on loading. Once the cause is fixed (a code table, a check), replay it.", lake.QuarantineBatch(b.Source, b.RunID))
	ev.Items = failedChecks(cerr.Checks)
	ev.Error = cerr.Error()
	if !published.IsZero() {
		ev.Rerun = ops.SeekCommand(l.Cfg.Subscription, published.Add(-time.Second)) + " && " + ops.ExecuteCommand("loader")
	}
	return ev
}

// tellWarehouseChecks reports the whole-warehouse checks that failed.
func (l *Loader) tellWarehouseChecks(ctx context.Context, checks []warehouse.Check) {
	l.Notify.Notify(ctx, notify.Event{Kind: notify.CheckFailed, Job: "loader", Step: "check", Execution: l.Execution, At: l.Now(),
		Summary: "The scheduled whole-warehouse check found rows that break its rules; the loads go on.",
		Items:   failedChecks(checks), Rerun: ops.ExecuteCommand("checks", "--check")})
}

// failedEvent describes a loader execution that failed, naming the batch
// that failed when one did.
func (l *Loader) failedEvent(sum Summary, err error) notify.Event {
	ev := notify.Event{Kind: notify.StepFailed, Job: "loader", Step: ops.StepOf(err, "load"), Execution: l.Execution, At: l.Now(), Error: err.Error(),
		Rerun: ops.ExecuteCommand("loader")}
	switch {
	case sum.failed != nil:
		b := sum.failed
		ev.Source, ev.RunID, ev.From, ev.To = b.Source, b.RunID, b.Window.From, b.Window.To
		ev.Summary = fmt.Sprintf("%d batches loaded before the failure. The failed batch changed nothing and its message was not acknowledged: Pub/Sub delivers it again to the next execution, and the other sources' batches went on.", sum.Messages)
	case ev.Step == "check":
		ev.Summary = "The whole-warehouse check could not run; the loads are not affected."
		ev.Rerun = ops.ExecuteCommand("checks", "--check")
	case ev.Step == "ensure":
		ev.Summary = "The warehouse could not be prepared, so no message was taken: they all wait on the subscription for the next execution."
	default:
		ev.Summary = fmt.Sprintf("%d batches loaded before the failure; the messages not handled wait on the subscription for the next execution.", sum.Messages)
	}
	return ev
}

func failedChecks(checks []warehouse.Check) []string {
	var out []string
	for _, c := range checks {
		if !c.Passed() {
			s := fmt.Sprintf("%s (%s): %d rows", c.Name, c.Layer, c.Failed)
			if c.Example != "" {
				s += ", e.g. " + c.Example
			}
			out = append(out, s)
		}
	}
	return out
}
