package cli

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/notify"
)

// Clients are the cloud clients every job uses: the lake bucket and the
// Pub/Sub project of the common configuration.
type Clients struct {
	Lake *lake.Lake
	Bus  *bus.Bus
}

// Open connects to the lake and the bus (or their emulators, when
// STORAGE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST are set).
func (c Common) Open(ctx context.Context) (*Clients, error) {
	lk, err := lake.New(ctx, c.Bucket)
	if err != nil {
		return nil, err
	}
	b, err := bus.New(ctx, c.Project)
	if err != nil {
		lk.Close()
		return nil, err
	}
	return &Clients{Lake: lk, Bus: b}, nil
}

// Notifier builds the job's notifier; its rate limits live in the lake.
// Parse has validated its configuration (SMTP_TLS, a webhook URL that is
// not http(s)...): the job would otherwise fail silently to tell anyone.
func (c Common) Notifier(cl *Clients, log *slog.Logger) (*notify.Notifier, error) {
	return notify.New(c.Notify, cl.Lake, log, time.Now)
}

// Close releases both clients.
func (c *Clients) Close() error {
	return errors.Join(c.Lake.Close(), c.Bus.Close())
}

// SweepFlag is the flag of the jobs that drain a subscription: the
// schedule that runs them every few minutes to pick up a message whose
// job failed, which must cost next to nothing when none is waiting.
const SweepFlag = "sweep"

// SweepHelp is its help text.
const SweepHelp = "exit at once, recording nothing, unless a message waits on the subscription (the 10-minute schedule that handles again a message whose execution failed)"

// Waiting reports whether a message waits on subscription, looking for a
// couple of seconds without consuming it, and logs what it found.
func (c *Clients) Waiting(ctx context.Context, subscription string, log *slog.Logger) (bool, error) {
	w, err := c.Bus.Peek(ctx, subscription, 1, 2*time.Second)
	if err != nil {
		return false, err
	}
	if w.Count == 0 {
		log.Info("sweep: no message waits on the subscription; nothing to do", "subscription", subscription)
		return false, nil
	}
	log.Info("sweep: a message waits on the subscription; draining it", "subscription", subscription, "oldest", w.Oldest)
	return true, nil
}
