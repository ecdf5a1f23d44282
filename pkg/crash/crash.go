// Package crash holds the jobs' crash points: named steps between two
// effects (a message published and a watermark moved, a load committed and
// its message acknowledged) at which a test can stop a job as if it were
// killed there, to prove that each crash leaves nothing lost or doubled.
//
// A job calls its Hook at each of its crash points with the step's name; a
// nil Hook does nothing. The job's main builds the hook from STOP_AT
// (Config.Hook): at that step it logs "stopped at STEP (STOP_AT)" and ends
// the process at once with ExitCode, running no deferred function and
// acknowledging or handing back nothing, as SIGKILL would. STOP_AT is for
// tests and the local stack: a job refuses it in Cloud Run.
//
// Tests that run a job in their own process use PanicAt and Catch instead.
package crash

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
)

// The crash points, as STOP_AT names them.
const (
	// AfterPublish: a batch was announced on the bus; the extractor has not
	// moved its watermark, the transformer has not acknowledged the raw
	// message.
	AfterPublish = "after-publish"
	// BeforeLoad: the loader received a batch and touched nothing yet.
	BeforeLoad = "before-load"
	// AfterCommit: the loader's warehouse transaction for a batch is
	// committed; its message is not acknowledged.
	AfterCommit = "after-commit"
)

// ExitCode is the exit status of a job stopped at its STOP_AT step: neither
// success (0) nor a failure (1), so a test can tell a planned stop from
// either.
const ExitCode = 86

// Config is STOP_AT, embedded in each job's configuration.
type Config struct {
	StopAt string `env:"STOP_AT" help:"tests only, refused in Cloud Run: exit with code 86 at this step as if killed there (extractor: after-publish; transformer: after-publish; loader: before-load, after-commit)"`
}

// Hook is called by a job at each of its crash points with the step's name.
type Hook func(step string)

// At calls h with step; a nil Hook does nothing.
func (h Hook) At(step string) {
	if h != nil {
		h(step)
	}
}

// Hook returns the hook that stops job at c.StopAt, one of steps (the
// job's crash points): nil when STOP_AT is empty. A step the job does not
// have is an error naming those it has, and so is STOP_AT in Cloud Run
// (getenv finds CLOUD_RUN_JOB): production must never stop on purpose.
func (c Config) Hook(job string, steps []string, getenv func(string) string, log *slog.Logger) (Hook, error) {
	if c.StopAt == "" {
		return nil, nil
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv("CLOUD_RUN_JOB") != "" {
		return nil, fmt.Errorf("STOP_AT=%s: crash points are for tests and the local stack, and are refused in Cloud Run (CLOUD_RUN_JOB=%s)", c.StopAt, getenv("CLOUD_RUN_JOB"))
	}
	if !slices.Contains(steps, c.StopAt) {
		return nil, fmt.Errorf("STOP_AT=%q: the %s has no such step: want one of %s", c.StopAt, job, strings.Join(steps, ", "))
	}
	return exitAt(c.StopAt, log, os.Exit), nil
}

// exitAt returns the hook that, at step, logs the stop and calls exit with
// ExitCode.
func exitAt(step string, log *slog.Logger, exit func(int)) Hook {
	return func(s string) {
		if s != step {
			return
		}
		if log != nil {
			log.Warn("stopped at "+s+" (STOP_AT)", "step", s, "exit_code", ExitCode)
		}
		exit(ExitCode)
	}
}

// Stopped is the panic value of a hook made by PanicAt.
type Stopped struct{ Step string }

// Error says where the job stopped.
func (s Stopped) Error() string { return "stopped at " + s.Step }

// PanicAt returns a hook for tests that run a job in their own process: at
// step it panics with Stopped, which Catch recovers, so that nothing after
// the step runs. Unlike a killed process, the deferred functions on the
// way out do run.
func PanicAt(step string) Hook {
	return func(s string) {
		if s == step {
			panic(Stopped{Step: s})
		}
	}
}

// Catch runs f and returns the step at which a hook made by PanicAt stopped
// it, or "" when f ran to its end. Any other panic goes on.
func Catch(f func()) (step string) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		var s Stopped
		if err, ok := r.(error); ok && errors.As(err, &s) {
			step = s.Step
			return
		}
		panic(r)
	}()
	f()
	return ""
}
