package cli

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/crash"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
)

// Clients are the cloud clients every job uses: the lake bucket and the
// Pub/Sub project of the common configuration.
type Clients struct {
	Lake *lake.Lake
	Bus  *bus.Bus
}

// Execution is what every execution of a job starts with.
type Execution struct {
	ID  string       // the execution's id (ops.ExecutionID)
	Log *slog.Logger // the job's logger, with the execution's id
	// Stop is the crash hook of STOP_AT (nil unless it is set).
	Stop crash.Hook
	*Clients
	Notify *notify.Notifier
}

// Start starts an execution of job: its id, its logger (fields added to
// every line), the crash hook for its steps, the lake and bus clients (or
// their emulators, when STORAGE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST are
// set) and the notifier, whose rate limits live in the lake. The logger
// comes back with an error too, to log it. Close the Execution when done.
func (c Common) Start(ctx context.Context, job string, cr crash.Config, steps []string, fields ...any) (*Execution, *slog.Logger, error) {
	e := &Execution{ID: ops.ExecutionID(os.Getenv, time.Now())}
	e.Log = c.Logger(os.Stderr).With(append([]any{"execution", e.ID}, fields...)...)
	var err error
	if e.Stop, err = cr.Hook(job, steps, os.Getenv, e.Log); err != nil {
		return nil, e.Log, err
	}
	lk, err := lake.New(ctx, c.Bucket)
	if err != nil {
		return nil, e.Log, err
	}
	b, err := bus.New(ctx, c.Project)
	if err != nil {
		lk.Close()
		return nil, e.Log, err
	}
	e.Clients = &Clients{Lake: lk, Bus: b}
	// Parse has validated the notifier's configuration; New checks it again
	// (for its other callers, tests and the local stack), so it fails here
	// only on what Parse let through.
	if e.Notify, err = notify.New(c.Notify, lk, e.Log, time.Now); err != nil {
		e.Clients.Close()
		return nil, e.Log, err
	}
	return e, e.Log, nil
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
