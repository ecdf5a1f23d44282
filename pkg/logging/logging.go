// Package logging builds the pipeline's structured logger: colourful,
// human-readable lines (tint) on a terminal, and JSON that Cloud Logging
// understands (severity, message, trace, labels) when running in Cloud Run.
package logging

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/lmittmann/tint"
)

// Format selects how lines are written.
type Format string

const (
	// FormatAuto picks JSON in Cloud Run and text elsewhere.
	FormatAuto Format = "auto"
	// FormatText is tint's human-readable output.
	FormatText Format = "text"
	// FormatJSON is Cloud Logging's structured JSON.
	FormatJSON Format = "json"
)

// InCloudRun reports whether the process runs as a Cloud Run job or service,
// by the environment variables Cloud Run sets.
func InCloudRun(getenv func(string) string) bool {
	return getenv("CLOUD_RUN_JOB") != "" || getenv("K_SERVICE") != ""
}

// Options configure New.
type Options struct {
	Format Format
	Level  slog.Level
	// Project is the GCP project, used to build the trace field.
	Project string
	// Getenv reads the environment (os.Getenv when nil).
	Getenv func(string) string
	// NoColor turns tint's colours off.
	NoColor bool
}

// New returns a logger writing to w.
func New(w io.Writer, o Options) *slog.Logger {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	format := o.Format
	if format == "" || format == FormatAuto {
		format = FormatText
		if InCloudRun(getenv) {
			format = FormatJSON
		}
	}
	if format == FormatJSON {
		h := slog.NewJSONHandler(w, &slog.HandlerOptions{
			Level:       o.Level,
			AddSource:   false,
			ReplaceAttr: cloudLoggingAttr,
		})
		l := slog.New(h)
		// Cloud Run job executions are identified by these variables; put them
		// on every line as labels so a run's lines can be filtered together.
		labels := []any{}
		for _, kv := range [][2]string{
			{"job", getenv("CLOUD_RUN_JOB")},
			{"execution", getenv("CLOUD_RUN_EXECUTION")},
			{"task_index", getenv("CLOUD_RUN_TASK_INDEX")},
			{"task_attempt", getenv("CLOUD_RUN_TASK_ATTEMPT")},
		} {
			if kv[1] != "" {
				labels = append(labels, slog.String(kv[0], kv[1]))
			}
		}
		if len(labels) > 0 {
			l = l.With(slog.Group("logging.googleapis.com/labels", labels...))
		}
		return l
	}
	return slog.New(tint.NewTextHandler(w, &tint.Options{
		Level:      o.Level,
		TimeFormat: time.TimeOnly,
		NoColor:    o.NoColor,
	}))
}

// cloudLoggingAttr renames slog's keys to the ones Cloud Logging reads from
// structured JSON: severity and message.
func cloudLoggingAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.LevelKey:
		lvl, _ := a.Value.Any().(slog.Level)
		return slog.String("severity", severity(lvl))
	case slog.MessageKey:
		a.Key = "message"
	case slog.TimeKey:
		a.Key = "time"
	}
	return a
}

func severity(l slog.Level) string {
	switch {
	case l >= slog.LevelError:
		return "ERROR"
	case l >= slog.LevelWarn:
		return "WARNING"
	case l >= slog.LevelInfo:
		return "INFO"
	default:
		return "DEBUG"
	}
}

// TraceAttr returns the Cloud Logging trace field for a trace id, so that
// lines about one run group together in the Logs Explorer.
func TraceAttr(project, traceID string) slog.Attr {
	return slog.String("logging.googleapis.com/trace", "projects/"+project+"/traces/"+traceID)
}

// ForRun returns l with the run id on every line and, when project is set,
// a trace derived from the run id: the extractor, transformer and loader
// lines of one run share it, so the Logs Explorer shows the run together.
func ForRun(l *slog.Logger, project, runID string) *slog.Logger {
	l = l.With(slog.String("run_id", runID))
	if project != "" {
		sum := sha256.Sum256([]byte(runID))
		l = l.With(TraceAttr(project, hex.EncodeToString(sum[:16])))
	}
	return l
}

// ParseLevel reads "debug", "info", "warn" or "error" (info when unknown).
func ParseLevel(s string) slog.Level {
	l, _ := level(s)
	return l
}

// level reads a level's name; ok is false for a name it does not know
// (info then), "" included as info.
func level(s string) (l slog.Level, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, true
	case "", "info":
		return slog.LevelInfo, true
	case "warn", "warning":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	default:
		return slog.LevelInfo, false
	}
}
