// Package stack runs the whole pipeline on one machine the way GCP runs it:
// the local servers (package gcptest's Cloud Storage and Pub/Sub, the API
// emulators) in this process, and each job as a separate process of its
// own binary, started in order the way Cloud Scheduler and the
// Pub/Sub-triggered executions start them in GCP. It drives `make e2e`,
// `make demo` and `make soak`.
package stack

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"jobpulse/pkg/crash"
)

// Job names, as the binaries in the bin directory are called.
const (
	Extractor   = "extractor"
	Transformer = "transformer"
	Loader      = "loader"
)

// Runner starts job binaries with the stack's environment.
type Runner struct {
	// Bin is the directory holding the job binaries.
	Bin string
	// LogDir receives one log file per job execution.
	LogDir string
	// Env is added to the jobs' environment.
	Env map[string]string
	// Out receives the one-line summaries.
	Out io.Writer
}

// Execution is the outcome of one job process.
type Execution struct {
	Job      string
	Args     []string
	Duration time.Duration
	// Summary is the job's last "done" log line, decoded.
	Summary map[string]any
	LogFile string
	// CPU is the process's user and system time; PeakMemory its peak
	// resident memory in bytes, as the job logged it at its end (zero where
	// the system does not say; the kernel's rusage of a child counts the
	// memory of the process that started it too).
	CPU        time.Duration
	PeakMemory int64
}

// Int reads a number from the summary.
func (e Execution) Int(key string) int {
	f, _ := e.Summary[key].(float64)
	return int(f)
}

// Bool reads a flag from the summary.
func (e Execution) Bool(key string) bool {
	b, _ := e.Summary[key].(bool)
	return b
}

// Run executes one job to its end. Its JSON log goes to a file; a failure
// returns an error with the last lines of that log.
func (r *Runner) Run(ctx context.Context, label, job string, args ...string) (Execution, error) {
	ex, tail, err := r.run(ctx, label, job, nil, args)
	if err != nil {
		return ex, fmt.Errorf("%s %s failed: %w\n%s", job, strings.Join(args, " "), err, lastLines(tail, 8))
	}
	return ex, nil
}

// Stop executes one job with STOP_AT=step, as if it were killed there: it
// must end with crash.ExitCode, having logged the stop. Anything else (it
// ends well, fails, or never reaches the step) is an error.
func (r *Runner) Stop(ctx context.Context, label, job, step string, args ...string) (Execution, error) {
	ex, tail, err := r.run(ctx, label, job, map[string]string{"STOP_AT": step}, args)
	return ex, stoppedAt(job, step, args, tail, err)
}

// StopIfReached is Stop for a job that may end well without reaching the
// step (nothing to publish): stopped says whether it stopped there. A job
// that fails is an error.
func (r *Runner) StopIfReached(ctx context.Context, label, job, step string, args ...string) (stopped bool, ex Execution, err error) {
	ex, tail, err := r.run(ctx, label, job, map[string]string{"STOP_AT": step}, args)
	if err == nil {
		return false, ex, nil
	}
	return true, ex, stoppedAt(job, step, args, tail, err)
}

// stoppedAt checks that a job ended at its STOP_AT step.
func stoppedAt(job, step string, args []string, tail string, err error) error {
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != crash.ExitCode {
		return fmt.Errorf("%s %s with STOP_AT=%s: want it stopped there with exit status %d, got %v\n%s", job, strings.Join(args, " "), step, crash.ExitCode, err, lastLines(tail, 8))
	}
	stopped := false
	jsonLines([]byte(tail), func(m map[string]any) {
		stopped = stopped || m["message"] == "stopped at "+step+" (STOP_AT)"
	})
	if !stopped {
		return fmt.Errorf("%s exited with status %d but did not log its stop at %s\n%s", job, crash.ExitCode, step, lastLines(tail, 8))
	}
	return nil
}

// run executes one job with env added to r.Env and returns its log.
func (r *Runner) run(ctx context.Context, label, job string, env map[string]string, args []string) (Execution, string, error) {
	ex := Execution{Job: job, Args: args, LogFile: filepath.Join(r.LogDir, label+"-"+job+".log")}
	if err := os.MkdirAll(r.LogDir, 0o755); err != nil {
		return ex, "", fmt.Errorf("stack: %w", err)
	}
	logf, err := os.Create(ex.LogFile)
	if err != nil {
		return ex, "", fmt.Errorf("stack: %w", err)
	}
	defer logf.Close()
	cmd := exec.CommandContext(ctx, filepath.Join(r.Bin, job), args...)
	cmd.Env = os.Environ()
	keys := make([]string, 0, len(r.Env))
	for k := range r.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cmd.Env = append(cmd.Env, k+"="+r.Env[k])
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "LOG_FORMAT=json")
	var tail bytes.Buffer
	cmd.Stdout = logf
	cmd.Stderr = io.MultiWriter(logf, &tail)
	began := time.Now()
	runErr := cmd.Run()
	ex.Duration = time.Since(began)
	if ps := cmd.ProcessState; ps != nil {
		ex.CPU = ps.UserTime() + ps.SystemTime()
	}
	jsonLines(tail.Bytes(), func(m map[string]any) {
		if n, ok := m["peak_memory_bytes"].(float64); ok {
			ex.PeakMemory = int64(n)
		}
	})
	ex.Summary = lastDone(tail.Bytes(), job)
	for _, mode := range []string{"check", "health"} { // loader --check, --health
		if ex.Summary == nil {
			ex.Summary = lastDone(tail.Bytes(), mode)
		}
	}
	return ex, tail.String(), runErr
}

// jsonLines hands each line of a JSON log to f, decoded; lines that are
// not JSON objects are skipped.
func jsonLines(log []byte, f func(map[string]any)) {
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			f(m)
		}
	}
}

// lastDone finds the job's closing summary line ("<job> done").
func lastDone(log []byte, job string) map[string]any {
	var found map[string]any
	jsonLines(log, func(m map[string]any) {
		if m["message"] == job+" done" {
			found = m
		}
	})
	return found
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    " + strings.Join(lines, "\n    ")
}

// Alerts returns the execution's log lines whose alert attribute is kind,
// decoded.
func (e Execution) Alerts(kind string) ([]map[string]any, error) {
	b, err := os.ReadFile(e.LogFile)
	if err != nil {
		return nil, fmt.Errorf("stack: %w", err)
	}
	var out []map[string]any
	jsonLines(b, func(m map[string]any) {
		if m["alert"] == kind {
			out = append(out, m)
		}
	})
	return out, nil
}
