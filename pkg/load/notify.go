package load

import (
	"context"
	"fmt"
	"strings"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/extract"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/warehouse"
)

// tellLoaded reports a batch in the warehouse: for postings the whole
// run's outcome (found, loaded, new, updated, closed, data roles), for the
// indicators the load.
func (l *Loader) tellLoaded(ctx context.Context, b bus.CleanBatch, res warehouse.Result) {
	if l.Notify == nil {
		return
	}
	ev := notify.Event{Job: "loader", Step: "load", Source: b.Source, RunID: b.RunID, Execution: l.Execution,
		From: b.Window.From, To: b.Window.To, At: l.Now()}
	switch b.Source {
	case extract.Source, "":
		ev.Kind = notify.RunSucceeded
		ev.Fields = []notify.Field{
			{Label: "Found", Value: fmt.Sprint(b.Rows + b.Quarantined)},
			{Label: "Loaded", Value: fmt.Sprint(res.Staged)},
			{Label: "New", Value: fmt.Sprint(res.Inserted)},
			{Label: "Updated", Value: fmt.Sprint(res.Updated)},
			{Label: "Unchanged", Value: fmt.Sprint(res.Unchanged)},
		}
		ev.Summary = fmt.Sprintf("%d postings found, %d loaded: %d new, %d updated.", b.Rows+b.Quarantined, res.Staged, res.Inserted, res.Updated)
		if m, ok := l.Warehouse.(warehouse.Monitor); ok {
			closed, roles, err := m.RunPostings(ctx, b.RunID)
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
	default:
		ev.Kind = notify.LoadComplete
		what := "rows"
		if b.Source == extract.SourceCert {
			what = "certification rows (the data set was replaced whole)"
		}
		ev.Summary = fmt.Sprintf("%d %s loaded: %d new, %d updated, %d unchanged.", res.Staged, what, res.Inserted, res.Updated, res.Unchanged)
		ev.Fields = []notify.Field{{Label: "Loaded", Value: fmt.Sprint(res.Staged)}, {Label: "New", Value: fmt.Sprint(res.Inserted)},
			{Label: "Updated", Value: fmt.Sprint(res.Updated)}, {Label: "Unchanged", Value: fmt.Sprint(res.Unchanged)}}
	}
	l.Notify.Notify(ctx, ev)
}

// tellCheckFailed reports a batch stopped by the data checks and set aside.
func (l *Loader) tellCheckFailed(ctx context.Context, b bus.CleanBatch, cerr *warehouse.CheckError, published time.Time) {
	ev := notify.Event{Kind: notify.CheckFailed, Job: "loader", Step: "check", Source: b.Source, RunID: b.RunID, Execution: l.Execution,
		From: b.Window.From, To: b.Window.To, At: l.Now()}
	ev.Summary = fmt.Sprintf("The batch was kept out of the warehouse (nothing changed) and described in %s; the batches after it went on loading.", lake.QuarantineBatch(b.Source, b.RunID))
	ev.Items = failedChecks(cerr.Checks)
	ev.Error = cerr.Error()
	if !published.IsZero() {
		ev.Rerun = ops.SeekCommand(l.Cfg.Subscription, published.Add(-time.Second)) + " && " + ops.ExecuteCommand("loader")
	}
	l.Notify.Notify(ctx, ev)
}

// tellWarehouseChecks reports the whole-warehouse checks that failed.
func (l *Loader) tellWarehouseChecks(ctx context.Context, checks []warehouse.Check) {
	l.Notify.Notify(ctx, notify.Event{Kind: notify.CheckFailed, Job: "loader", Step: "check", Execution: l.Execution, At: l.Now(),
		Summary: "The scheduled whole-warehouse check found rows that break its rules; the loads go on.",
		Items:   failedChecks(checks), Rerun: ops.ExecuteCommand("loader", "--check")})
}

// tellFailed reports a loader execution that failed.
func (l *Loader) tellFailed(ctx context.Context, sum Summary, err error, began time.Time) {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	l.Notify.Notify(ctx, notify.Event{Kind: notify.StepFailed, Job: "loader", Step: ops.StepOf(err, "load"), Source: sum.Run.Source,
		RunID: sum.Run.RunID, Execution: l.Execution, At: l.Now(), Error: msg,
		Summary: fmt.Sprintf("%d batches loaded before the failure. A failed batch changed nothing and its message was not acknowledged: Pub/Sub delivers it again to the next execution.", sum.Messages),
		Rerun:   ops.ExecuteCommand("loader")})
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
