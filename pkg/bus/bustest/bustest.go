// Package bustest helps tests read what a job announced on the bus.
package bustest

import (
	"context"
	"testing"
	"time"

	"jobpulse/pkg/bus"
)

// Drained drains subscription until it is empty and returns its messages
// decoded as T, acknowledging them; a message that does not decode fails
// the test.
func Drained[T any](t *testing.T, b *bus.Bus, subscription string) []T {
	t.Helper()
	var out []T
	_, err := b.Drain(context.Background(), subscription, bus.DrainOptions{PullTimeout: time.Second, EmptyPulls: 1}, func(ctx context.Context, d bus.Delivery) error {
		var m T
		if err := d.Decode(&m); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		t.Fatalf("drain %s: %v", subscription, err)
	}
	return out
}
