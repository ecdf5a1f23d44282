package ops

import (
	"strings"
	"time"
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

// SeekCommand is the command that delivers again every message a
// subscription received since t (a replay; the jobs absorb repeats).
func SeekCommand(subscription string, t time.Time) string {
	return "gcloud pubsub subscriptions seek " + subscription + " --time=" + t.UTC().Format(time.RFC3339)
}
