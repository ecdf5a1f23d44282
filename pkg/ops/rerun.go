package ops

import (
	"strings"
	"time"

	"jobpulse/pkg/source"
)

// JobName is the Cloud Run job of a job ("extractor" → "jobpulse-extractor"),
// as infra/ names them.
func JobName(job string) string { return "jobpulse-" + job }

// ExecuteCommand is the command an operator runs to execute job again with
// args (flags, each "--name=value"), as a notification shows it.
func ExecuteCommand(job string, args ...string) string {
	cmd := "gcloud run jobs execute " + JobName(job)
	if len(args) > 0 {
		cmd += " --args=" + strings.Join(args, ",")
	}
	return cmd
}

// ExtractCommand is the command that extracts source again, for the
// window from..to, or from its watermark when from is zero.
func ExtractCommand(src source.Source, from, to time.Time) string {
	args := []string{"--source=" + string(src)}
	if !from.IsZero() {
		args = append(args, "--from="+from.Format(time.RFC3339), "--to="+to.Format(time.RFC3339))
	}
	return ExecuteCommand("extractor", args...)
}

// SeekCommand is the command that delivers again every message a
// subscription received since t (a replay; the jobs absorb repeats).
func SeekCommand(subscription string, t time.Time) string {
	return "gcloud pubsub subscriptions seek " + subscription + " --time=" + t.UTC().Format(time.RFC3339)
}
