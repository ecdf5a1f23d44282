package extract

import (
	"context"
	"errors"
	"fmt"
	"time"

	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
)

// calls sums the API calls the source clients made.
func (e *Extractor) calls() int64 {
	var n int64
	for _, c := range []any{e.API, e.Trends, e.Cert} {
		if c, ok := c.(interface{ Calls() int64 }); ok {
			n += c.Calls()
		}
	}
	return n
}

// tell reports the run to people: a failure, failed keywords, a spent
// quota, records set aside, or an hour without news. A run that found data
// is reported by the loader, once it is in the warehouse.
func (e *Extractor) tell(ctx context.Context, sum Summary, err error) {
	ev := notify.Event{Job: "extractor", Source: sum.Source, RunID: sum.RunID, Execution: e.Execution,
		From: sum.Window.From, To: sum.Window.To, At: e.Now()}
	fail, reason := Outcome(err)
	switch {
	case errors.Is(err, ErrKeywordsFailed):
		ev.Kind, ev.Step, ev.Items = notify.KeywordsFailed, "fetch", sum.Failed
		ev.Summary = fmt.Sprintf("%d keywords collected and announced; the failed requests stay pending in the watermark and are asked again by the retry of this execution or the next run.", sum.Keywords)
		ev.Error = err.Error()
		ev.Rerun = ops.ExecuteCommand("extractor", "--source="+string(sum.Source))
	case err != nil && !fail:
		// Not a failure to retry now: say so loudly; the job ends cleanly.
		e.Log.Error("extraction stopped", "alert", "extract_stopped", "reason", reason, "run_id", sum.RunID, "pages_written", sum.Pages)
		ev.Kind, ev.Step = notify.QuotaSpent, "fetch"
		ev.Summary = reason
		ev.Fields = []notify.Field{{Label: "Pages written before", Value: fmt.Sprint(sum.Pages)}}
		if sum.Partial {
			ev.Summary = fmt.Sprintf("Daily API quota spent: the %d postings changed before %s that were fetched are announced and load as usual; the next run resumes from there.",
				sum.Postings, notify.FormatKST(sum.Window.To))
			ev.Fields = append(ev.Fields, notify.Field{Label: "Announced up to", Value: notify.FormatKST(sum.Window.To)})
		}
	case err != nil:
		ev.Kind, ev.Step = notify.StepFailed, ops.StepOf(err, "extract")
		ev.Error = reason
		ev.Summary = "The watermark has not moved: Cloud Run retries the task, and the next scheduled run covers the same window, so nothing is lost."
		ev.Rerun = e.rerun(sum)
	case sum.NothingNew && sum.Probed:
		ev.Kind = notify.NoNewData
		ev.Summary = fmt.Sprintf("The API has no posting published or modified between %s and %s; the watermark moved on.", notify.FormatKST(sum.Since), notify.FormatKST(sum.Window.To))
	}
	if ev.Kind != "" {
		e.Notify.Notify(ctx, ev)
	}
	for _, d := range notify.DriftEvents("extractor", "fetch", sum.Source, e.Execution, e.Now(), sum.Drift) {
		e.Notify.Notify(ctx, d)
	}
	if len(sum.GaveUp) > 0 {
		g := ev
		g.Kind, g.Step, g.Error, g.Rerun, g.Items = notify.Quarantined, "reread", "", ops.ExtractCommand(source.Saramin, sum.GaveUp[0].From, sum.GaveUp[0].To), nil
		for _, m := range sum.GaveUp {
			g.Items = append(g.Items, fmt.Sprintf("%s: %d records set aside (%s)", m.RunID, m.SetAside, m.Reason))
		}
		g.Summary = fmt.Sprintf("Windows whose records were set aside were read again for %s and still not whole: the scheduled runs stop reading them again. Their records stay in quarantine/%s/; once the API or the parser is fixed, extract such a window again:", e.Cfg.RereadFor, source.Saramin)
		e.Notify.Notify(ctx, g)
	}
	if sum.Quarantined > 0 {
		q := ev
		q.Kind, q.Step, q.Error, q.Rerun, q.Items = notify.Quarantined, "fetch", "", "", nil
		q.Summary = fmt.Sprintf("%d answers could not be understood and were kept under quarantine/%s/ in the lake; the requests are retried by the next run.", sum.Quarantined, sum.Source)
		e.Notify.Notify(ctx, q)
	}
}

// rerun is the command that runs the failed window again (the indicators
// from their watermarks).
func (e *Extractor) rerun(sum Summary) string {
	if sum.Source != source.Saramin {
		return ops.ExtractCommand(sum.Source, time.Time{}, time.Time{})
	}
	return ops.ExtractCommand(sum.Source, sum.Window.From, sum.Window.To)
}
