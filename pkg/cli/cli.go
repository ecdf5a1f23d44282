// Package cli holds what the jobs' main packages share: the common
// configuration read from the environment with go-envconfig, the --help
// text that lists every flag and environment variable with its default and
// meaning, and the run wrapper that turns a job's outcome into an exit code.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/sethvargo/go-envconfig"

	"jobpulse/pkg/kst"
	"jobpulse/pkg/logging"
	"jobpulse/pkg/notify"
)

// Common is the configuration every job reads.
type Common struct {
	Project string `env:"GOOGLE_CLOUD_PROJECT, required" help:"GCP project holding the topics and subscriptions"`
	Bucket  string `env:"LAKE_BUCKET, required" help:"Cloud Storage bucket of the lake"`
	logging.Config
	// Notify configures the Slack and email notifications.
	Notify notify.Config
}

// Job describes one job's command line.
type Job struct {
	Name    string
	Summary string
	// Config is a pointer to the job's configuration struct, filled from
	// the environment.
	Config any
	// Flags are the overrides an operator passes with
	// `gcloud run jobs execute NAME --args=...`.
	Flags *flag.FlagSet
}

// ErrHelp is returned by Parse when --help was asked for; the usage has
// been printed.
var ErrHelp = flag.ErrHelp

// Parse reads the flags in args and then the environment into j.Config,
// leaving a field a flag has set, and validates the configuration (see
// Validator). On --help it prints the usage to w and returns ErrHelp; a
// configuration that is wrong is a *ConfigError listing every problem.
func Parse(ctx context.Context, j Job, args []string, lookup envconfig.Lookuper, w io.Writer) error {
	j.Flags.SetOutput(w)
	j.Flags.Usage = func() { Usage(w, j) }
	if err := j.Flags.Parse(args); err != nil {
		return err
	}
	if lookup == nil {
		lookup = envconfig.OsLookuper()
	}
	if problems := configure(ctx, j.Config, lookup); len(problems) > 0 {
		return &ConfigError{Job: j.Name, Problems: problems}
	}
	return nil
}

// Usage prints the job's flags and environment variables.
func Usage(w io.Writer, j Job) {
	fmt.Fprintf(w, "%s: %s\n\nUsage: %s [flags]\n\nFlags:\n", j.Name, j.Summary, j.Name)
	j.Flags.VisitAll(func(f *flag.Flag) {
		def := ""
		if f.DefValue != "" {
			def = " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  --%s\n        %s%s\n", f.Name, f.Usage, def)
	})
	fmt.Fprintf(w, "\nEnvironment:\n")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, v := range EnvVars(j.Config) {
		def := v.Default
		if v.Required {
			def = "(required)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, def, v.Help)
	}
	tw.Flush()
}

// EnvVar documents one environment variable of a config struct.
type EnvVar struct {
	Name, Default, Help string
	Required            bool
	// want describes the values the variable takes, for an error.
	want string
}

// EnvVars lists the environment variables of a config struct (a pointer or
// value), including those of embedded structs, in field order.
func EnvVars(cfg any) []EnvVar {
	var out []EnvVar
	t := reflect.TypeOf(cfg)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("env")
		if !ok {
			if f.Type.Kind() == reflect.Struct {
				out = append(out, EnvVars(reflect.New(f.Type).Interface())...)
			}
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		v := EnvVar{Name: strings.TrimSpace(name), Help: f.Tag.Get("help"), want: want(f.Type, tag)}
		// As in go-envconfig, default= takes the rest of the tag, commas
		// included.
		for opts != "" {
			var p string
			opts = strings.TrimLeft(opts, " ")
			if strings.HasPrefix(opts, "default=") {
				v.Default = strings.TrimPrefix(opts, "default=")
				break
			}
			p, opts, _ = strings.Cut(opts, ",")
			if strings.TrimSpace(p) == "required" {
				v.Required = true
			}
		}
		out = append(out, v)
	}
	return out
}

// Logger builds the job's logger from the common configuration.
func (c Common) Logger(w io.Writer) *slog.Logger { return c.Config.Logger(w, c.Project) }

// TimeFlag is a flag.Value holding an RFC 3339 time (or a date).
type TimeFlag struct{ T time.Time }

// String formats the time.
func (f *TimeFlag) String() string {
	if f == nil || f.T.IsZero() {
		return ""
	}
	return f.T.Format(time.RFC3339)
}

// Set parses a time with an offset ("2026-11-25T09:00:00+09:00",
// "2026-11-25T00:00:00Z"), or a time or date without one, which is in KST,
// the market's own zone, as in every script ("2026-11-25T09:00",
// "2026-11-25" for midnight KST).
func (f *TimeFlag) Set(s string) error {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		f.T = t.UTC()
		return nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, kst.Zone); err == nil {
			f.T = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("want a time like 2026-11-25T09:00:00+09:00, or 2026-11-25T09:00 or 2026-11-25 in KST, got %q", s)
}

// Main runs a job's program: run with the command line's arguments and a
// context that ends on SIGINT or SIGTERM (Cloud Run's stop), then Exit.
func Main(job string, run func(ctx context.Context, args []string) (*slog.Logger, error)) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	log, err := run(ctx, os.Args[1:])
	stop()
	Exit(job, err, log)
}

// Exit ends the process: 0 on success or after --help, 1 on failure. A
// failure is logged with alert=job_failed, a success with heartbeat=<job>:
// the log-based metrics of ops.Signals count both.
func Exit(job string, err error, log *slog.Logger) {
	os.Exit(Finish(job, err, log))
}

// Finish logs the job's end as Exit does and returns the exit code. The
// line carries the process's peak resident memory (peak_memory_bytes,
// where the system says), for sizing the job's memory.
func Finish(job string, err error, log *slog.Logger) int {
	var peak []any
	if n, ok := PeakMemory(); ok {
		peak = []any{"peak_memory_bytes", n}
	}
	switch {
	case errors.Is(err, ErrHelp):
		return 0
	case err == nil:
		if log != nil {
			log.Info("job succeeded", append([]any{"heartbeat", job}, peak...)...)
		}
		return 0
	default:
		if log == nil {
			fmt.Fprintln(os.Stderr, err)
		} else {
			log.Error("job failed", append([]any{"alert", "job_failed", "job", job, "error", err}, peak...)...)
		}
		return 1
	}
}

// PeakMemory is the process's peak resident memory in bytes since its
// program started (Linux's VmHWM); ok is false where the system does not
// say. Unlike getrusage's maximum, it does not count the memory of the
// process that started this one.
func PeakMemory() (n int64, ok bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if v, found := strings.CutPrefix(line, "VmHWM:"); found {
			kib, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kib * 1024, err == nil
		}
	}
	return 0, false
}
