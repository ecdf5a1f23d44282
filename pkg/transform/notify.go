package transform

import (
	"context"
	"fmt"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
)

// tell reports a failed drain, naming the batch that failed, and what was
// set aside.
func (t *Transformer) tell(ctx context.Context, sum Summary, err error) {
	if err != nil {
		f := notify.Event{Kind: notify.StepFailed, Job: "transformer", Step: ops.StepOf(err, "transform"), Execution: t.Execution, At: t.Now(),
			Rerun: ops.ExecuteCommand("transformer"), Error: err.Error()}
		if b := sum.failed; b != nil {
			f.Source, f.RunID, f.From, f.To = b.Source, b.RunID, b.Window.From, b.Window.To
		}
		f.Summary = fmt.Sprintf("%d messages handled before the failure. The failed message was not acknowledged: Pub/Sub delivers it again to the next execution, and the batches of other sources went on.", sum.Messages)
		t.Notify.Notify(ctx, f)
	}
	for _, ev := range notify.DriftEvents("transformer", "transform", source.Saramin, t.Execution, t.Now(), sum.Run.Drift,
		notify.Field{Label: "Rows written", Value: fmt.Sprint(sum.Rows)}) {
		t.Notify.Notify(ctx, ev)
	}
	if sum.Quarantined == 0 && sum.Poison == 0 {
		return
	}
	q := notify.Event{Kind: notify.Quarantined, Job: "transformer", Step: "transform", Execution: t.Execution, At: t.Now(),
		Summary: fmt.Sprintf("%d records could not be read and %d messages could not be decoded; they are kept in the lake with the reason, and the rest of each batch went on.", sum.Quarantined, sum.Poison),
		Items:   sum.QuarantineObjects,
		Fields:  []notify.Field{{Label: "Rows written", Value: fmt.Sprint(sum.Rows)}, {Label: "Records quarantined", Value: fmt.Sprint(sum.Quarantined)}}}
	if len(sum.quarantined) == 1 {
		b := sum.quarantined[0]
		q.Source, q.RunID, q.From, q.To = b.Source, b.RunID, b.Window.From, b.Window.To
		q.Summary += " The window is marked: the next scheduled extraction reads it again, and the mark is cleared once it is read whole. To read it again now:"
		q.Rerun = reextract(b)
	}
	t.Notify.Notify(ctx, q)
}

// reextract is the command that extracts a batch's window again.
func reextract(b bus.RawBatch) string {
	return ops.ExtractCommand(b.Source, b.Window.From, b.Window.To)
}
