package stack

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"

	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/saramin/saramintest"
	"jobpulse/pkg/source"
)

// startNotices starts the capture server that stands in for Slack and the
// mail server. It writes what it receives, as a person would read it, to
// file, which rotates at 1 MB keeping two old files: a demo left running
// stays within a few megabytes.
func startNotices(file string) (*notifytest.Capture, io.Closer, error) {
	w := &lumberjack.Logger{Filename: file, MaxSize: 1, MaxBackups: 2}
	c, err := notifytest.Start(notifytest.Options{Log: w})
	if err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("stack: notification capture: %w", err)
	}
	return c, w, nil
}

// apiDown is the injected API failure: the Saramin API answers 500 to
// every call, so the extractor re-running [from, to) fails and exits 1
// after its retries; then, as Cloud Run retries the task, it runs again
// against the recovered API.
func (s *Stack) apiDown(ctx context.Context, from, to time.Time) error {
	window := []string{"--from=" + from.Format(time.RFC3339), "--to=" + to.Format(time.RFC3339)}
	if err := s.Saramin.InjectFault(saramintest.Fault{Kind: saramintest.FaultServerError, Status: 503, Count: -1}); err != nil {
		return err
	}
	down, err := s.RunSource(ctx, "api-down", source.Saramin, window...)
	s.Saramin.ClearFaults()
	if err != nil {
		return err
	}
	if down.ExtractErr == nil {
		return fmt.Errorf("e2e: the extractor succeeded against an API answering 503")
	}
	retry, err := s.RunSource(ctx, "api-retry", source.Saramin, window...)
	if err != nil {
		return err
	}
	if retry.ExtractErr != nil {
		return fmt.Errorf("e2e: the extractor's retry after the API recovered: %w", retry.ExtractErr)
	}
	fmt.Fprintf(s.Opts.Out, "%-10s the API answered 503: the extractor failed and exited 1; its retry succeeded\n", "api-down")
	return nil
}

// health runs the health check (loader --health) and checks its verdict.
func (s *Stack) health(ctx context.Context, label string, wantOK bool) error {
	ex, err := s.Runner.Run(ctx, label, Loader, "--health")
	if err != nil {
		return err
	}
	problems, err := ex.Alerts("health_problem")
	if err != nil {
		return err
	}
	var lines []string
	for _, p := range problems {
		lines = append(lines, fmt.Sprintf("%v: %v", p["class"], p["detail"]))
	}
	if ok := ex.Bool("ok"); ok != wantOK || ok != (len(problems) == 0) {
		return fmt.Errorf("e2e: health check ok=%v, want %v; problems: %s", ok, wantOK, strings.Join(lines, "; "))
	}
	verdict := "all clear"
	if !wantOK {
		verdict = strings.Join(lines, "; ")
	}
	fmt.Fprintf(s.Opts.Out, "%-10s %s\n", label, verdict)
	return nil
}

// noticeCases are the notifications the scenario must produce, each named
// by a piece of its headline; the first of each is shown whole.
var noticeCases = []struct{ what, headline string }{
	{"a normal run", "Postings loaded"}, // the hourly run's, not the backfill's
	{"an empty hour", "No new postings this hour"},
	{"an injected API failure", "extractor failed at fetch"},
	{"keywords that failed to collect", "not collected"},
	{"a load complete", "Search interest loaded"},
	{"a failed check", "Batch failed data checks"},
	{"records set aside", "set aside in quarantine"},
	{"the health check's daily all-clear", "All clear"},
	{"the health check's problems", "Health check:"},
}

// reportNotices shows the messages a person received, as they read them,
// and checks that every case is among them and that the failures were
// emailed too.
func (s *Stack) reportNotices(hourlyRun string) error {
	out := s.Opts.Out
	msgs := s.Notices.Messages()
	fmt.Fprintf(out, "\nSlack received %d messages (all of them in %s):\n", len(msgs), s.Opts.NoticesFile())
	for _, m := range msgs {
		fmt.Fprintf(out, "  %s\n", firstLine(m.Text))
	}
	for _, c := range noticeCases {
		i := slices.IndexFunc(msgs, func(m notifytest.Received) bool {
			return strings.Contains(firstLine(m.Text), c.headline) && (c.what != "a normal run" || strings.Contains(m.Text, hourlyRun))
		})
		if i < 0 {
			return fmt.Errorf("e2e: no Slack message for %s (%q)", c.what, c.headline)
		}
		fmt.Fprintf(out, "\n--- what a person sees for %s ---\n%s\n", c.what, strings.TrimRight(msgs[i].Text, "\n"))
	}
	mails := s.Notices.Mails()
	fmt.Fprintf(out, "\nEmail received %d messages (failures only):\n", len(mails))
	for _, m := range mails {
		fmt.Fprintf(out, "  %s\n", m.Subject)
	}
	for _, want := range []string{"extractor failed at fetch", "Batch failed data checks", "Health check"} {
		if !slices.ContainsFunc(mails, func(m notifytest.Mail) bool { return strings.Contains(m.Subject, want) }) {
			return fmt.Errorf("e2e: no email for %q", want)
		}
	}
	if slices.ContainsFunc(mails, func(m notifytest.Mail) bool { return strings.Contains(m.Subject, "Postings loaded") }) {
		return fmt.Errorf("e2e: a successful run was emailed; email is for failures")
	}
	return nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// webhookDown checks that a cycle run while Slack answered 500 loaded
// anyway and logged each lost message.
func webhookDown(out io.Writer, c Cycle) error {
	lost, err := c.Load.Alerts("notify_failed")
	if err != nil {
		return err
	}
	if len(lost) == 0 {
		return fmt.Errorf("e2e: Slack was down during the replay, but the loader logged no notify_failed")
	}
	what := fmt.Sprintf("%d lost messages were", len(lost))
	if len(lost) == 1 {
		what = "the lost message was"
	}
	fmt.Fprintf(out, "%-10s Slack answered 500 throughout: the loads went on, and %s logged (alert=notify_failed)\n", "", what)
	return nil
}

// notInScenario are the signals the scenario does not provoke, with the
// tests that check them.
var notInScenario = map[string]string{
	"extract_stopped": "pkg/extract TestNotifications (quota spent)",
	"shape_drift":     "pkg/extract TestTrendsDrift and pkg/transform TestHandleTrends",
}

// reportSignals reads every job log of the scenario and checks that each
// of ops.Signals was written, with the filter Cloud Logging will use.
func (s *Stack) reportSignals() error {
	files, err := filepath.Glob(filepath.Join(s.Runner.LogDir, "*.log"))
	if err != nil {
		return err
	}
	seen := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("stack: %w", err)
		}
		jsonLines(b, func(m map[string]any) {
			for _, sig := range ops.Signals {
				if v, ok := m[sig.Field].(string); ok && v == sig.Value {
					seen[sig.Name]++
				}
			}
		})
	}
	var parts []string
	for _, sig := range ops.Signals {
		if seen[sig.Name] == 0 {
			if _, ok := notInScenario[sig.Name]; ok {
				continue
			}
			return fmt.Errorf("e2e: no job wrote the signal %s (%s)", sig.Name, sig.Filter())
		}
		parts = append(parts, fmt.Sprintf("%s %d", sig.Name, seen[sig.Name]))
	}
	fmt.Fprintf(s.Opts.Out, "signals for Cloud Monitoring written: %s\n", strings.Join(parts, ", "))
	return nil
}

// demoHealth runs the health check in the demo and prints its verdict.
func (s *Stack) demoHealth(ctx context.Context, label string) {
	ex, err := s.Runner.Run(ctx, label, Loader, "--health")
	if err != nil {
		fmt.Fprintf(s.Opts.Out, "health check failed: %v\n", err)
		return
	}
	verdict := "all clear"
	if !ex.Bool("ok") {
		verdict = fmt.Sprintf("%d problems (see %s)", ex.Int("problems"), s.Opts.NoticesFile())
	}
	fmt.Fprintf(s.Opts.Out, "%-10s %s\n", "health", verdict)
}
