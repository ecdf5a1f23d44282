package transform_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/bus/bustest"
	"jobpulse/pkg/crash"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/source"
	"jobpulse/pkg/transform"
)

// TestStopAfterPublish stops the transformer at after-publish, as if it
// were killed between announcing a clean batch and acknowledging the raw
// message: the clean batch is on the bus, and the raw message, never
// acknowledged, is delivered again once its 2 s ack deadline passes (the
// drains are repeated until it is; the minute only guards against a
// hang). Handling it again announces the same batch a second time, which
// the loader absorbs.
func TestStopAfterPublish(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const deadline = 2 * time.Second
	_, lk, b := gcptest.Clients(t, bus.Topology{
		Topics: []string{"raw", "clean"},
		Subscriptions: []bus.Subscription{
			{ID: "transformer", Topic: "raw", AckDeadline: deadline},
			{ID: "loader", Topic: "clean"},
		},
	})
	to := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	raw := bus.RawBatch{Source: source.Saramin, RunID: "saramin-stop", Window: bus.Window{From: to.Add(-time.Hour), To: to}, Postings: 110}
	name := lake.RawPage(source.Saramin, raw.RunID, to, 0)
	if err := lk.Put(ctx, name, "application/json", samplePage(t)); err != nil {
		t.Fatal(err)
	}
	raw.Objects = []string{name}
	if _, err := b.Publish(ctx, "raw", raw, map[string]string{bus.SourceAttr: string(raw.Source), "run_id": raw.RunID}); err != nil {
		t.Fatal(err)
	}
	tr := &transform.Transformer{
		Cfg:  transform.Config{Subscription: "transformer", Topic: "clean", DrainOptions: bus.DrainOptions{PullTimeout: time.Second, EmptyPulls: 1, AckDeadline: deadline}},
		Lake: lk, Bus: b, Now: func() time.Time { return to }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Stop: crash.PanicAt(crash.AfterPublish),
	}
	if step := crash.Catch(func() { _, _ = tr.Run(ctx) }); step != crash.AfterPublish {
		t.Fatalf("the transformer stopped at %q; want after-publish", step)
	}
	first := announced(t, b)
	if len(first) != 1 || first[0].RunID != raw.RunID || first[0].Rows != 110 {
		t.Fatalf("announced before the stop: %+v; want the clean batch of %s", first, raw.RunID)
	}

	tr.Stop = nil
	for guard := time.Now().Add(time.Minute); ; {
		if time.Now().After(guard) {
			t.Fatalf("the raw message was not delivered again within a minute of its %s ack deadline", deadline)
		}
		sum, err := tr.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Messages > 0 {
			break
		}
	}
	second := announced(t, b)
	a, _ := json.Marshal(first)
	c, _ := json.Marshal(second)
	if string(a) != string(c) {
		t.Fatalf("the repeat announced\n%s\nwant the same batch as before the stop\n%s", c, a)
	}
}

// announced drains the clean batches on the loader's subscription.
func announced(t *testing.T, b *bus.Bus) []bus.CleanBatch {
	t.Helper()
	return bustest.Drained[bus.CleanBatch](t, b, "loader")
}
