package cli

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/gcptest"
)

// TestWaiting: a sweep sees whether a message waits, and leaves it there.
func TestWaiting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, lk, b := gcptest.Clients(t, bus.Topology{Topics: []string{"clean"}, Subscriptions: []bus.Subscription{{ID: "loader", Topic: "clean"}}})
	c := &Clients{Lake: lk, Bus: b}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	if waiting, err := c.Waiting(ctx, "loader", log); err != nil || waiting || !strings.Contains(logs.String(), "nothing to do") {
		t.Fatalf("empty subscription: waiting %v, %v; log %s", waiting, err, logs.String())
	}
	if _, err := b.Publish(ctx, "clean", bus.CleanBatch{RunID: "r1"}, nil); err != nil {
		t.Fatal(err)
	}
	for range 2 { // looking does not consume it
		if waiting, err := c.Waiting(ctx, "loader", log); err != nil || !waiting {
			t.Fatalf("a message published: waiting %v, %v", waiting, err)
		}
	}
	st, err := b.Drain(ctx, "loader", bus.DrainOptions{EmptyPulls: 1}, func(context.Context, bus.Delivery) error { return nil })
	if err != nil || st.Handled != 1 {
		t.Fatalf("the drain after the looks: %+v, %v; want the message handled", st, err)
	}
}
