package bus

import (
	"context"
	"fmt"
	"log/slog"

	"jobpulse/pkg/lake"
)

// Putter stores an object (the lake satisfies it).
type Putter interface {
	Put(ctx context.Context, name, contentType string, data []byte) error
}

// SetAside keeps a message that does not decode in the lake
// (lake.QuarantineMessage), logs an alert, and returns cause, which wraps
// ErrPoison so that Drain acknowledges the message: no retry can make it
// readable. If the message cannot be stored, that error is returned
// instead and the message is redelivered.
func SetAside(ctx context.Context, p Putter, log *slog.Logger, subscription string, d Delivery, cause error) error {
	name := lake.QuarantineMessage(subscription, d.ID)
	if err := p.Put(ctx, name, "application/octet-stream", d.Data); err != nil {
		return fmt.Errorf("quarantine message %s: %w", d.ID, err)
	}
	log.Error("message quarantined", "alert", "quarantine", "message_id", d.ID, "object", name, "reason", cause.Error())
	return cause
}
