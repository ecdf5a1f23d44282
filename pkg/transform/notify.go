package transform

import (
	"context"
	"fmt"
	"strings"
	"time"

	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
)

// tell reports a failed drain and what was set aside.
func (t *Transformer) tell(ctx context.Context, sum Summary, err error, began time.Time) {
	ev := notify.Event{Job: "transformer", Source: sum.Run.Source, RunID: sum.Run.RunID, Execution: t.Execution,
		From: sum.Run.WindowFrom, To: sum.Run.WindowTo, At: t.Now()}
	if err != nil {
		f := ev
		f.Kind, f.Step = notify.StepFailed, ops.StepOf(err, "transform")
		f.Error, _, _ = strings.Cut(err.Error(), "\n")
		f.Summary = fmt.Sprintf("%d messages handled before the failure. The failed message was not acknowledged: Pub/Sub delivers it again to the next execution, and the batches of other sources went on.", sum.Messages)
		f.Rerun = ops.ExecuteCommand("transformer")
		t.Notify.Notify(ctx, f)
	}
	if sum.Quarantined > 0 || sum.Poison > 0 {
		q := ev
		q.Kind, q.Step = notify.Quarantined, "transform"
		q.Summary = fmt.Sprintf("%d records could not be read and %d messages could not be decoded; they are kept in the lake with the reason, and the rest of each batch went on.", sum.Quarantined, sum.Poison)
		q.Items = sum.QuarantineObjects
		q.Fields = []notify.Field{{Label: "Rows written", Value: fmt.Sprint(sum.Rows)}, {Label: "Records quarantined", Value: fmt.Sprint(sum.Quarantined)}}
		q.Rerun = ops.SeekCommand(t.Cfg.Subscription, began.Add(-time.Hour))
		t.Notify.Notify(ctx, q)
	}
}
