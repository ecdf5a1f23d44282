// Package ops records the pipeline's own history: one Run per job
// execution (job, run id, window, counts in and out, checks, status, error,
// duration). Each job writes its record to the lake as it ends, so a job
// that has no warehouse connection still leaves one; the loader gathers the
// records into the warehouse's ops.runs table, where the history can be
// queried.
package ops

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// Statuses of a run.
const (
	StatusSucceeded   = "succeeded"
	StatusNoData      = "no_data"
	StatusQuarantined = "quarantined" // finished, but set a batch or records aside
	StatusStopped     = "stopped"     // ended early without failing (quota spent)
	StatusFailed      = "failed"
)

// Run is one job execution.
type Run struct {
	Job          string    `json:"job"`
	Execution    string    `json:"execution"`
	RunID        string    `json:"run_id,omitempty"`
	Source       string    `json:"source,omitempty"`
	WindowFrom   time.Time `json:"window_from,omitzero"`
	WindowTo     time.Time `json:"window_to,omitzero"`
	CountIn      int       `json:"count_in"`
	CountOut     int       `json:"count_out"`
	ChecksPassed int       `json:"checks_passed"`
	ChecksFailed int       `json:"checks_failed"`
	Status       string    `json:"status"`
	Error        string    `json:"error,omitempty"`
	StartedAt    time.Time `json:"started_at"`
	DurationMS   int64     `json:"duration_ms"`
}

// Cover adds one handled batch to the record of an execution that handles
// several: the last run id, and the span of their windows.
func (r *Run) Cover(runID, source string, from, to time.Time) {
	r.RunID, r.Source = runID, source
	if r.WindowFrom.IsZero() || from.Before(r.WindowFrom) {
		r.WindowFrom = from
	}
	if to.After(r.WindowTo) {
		r.WindowTo = to
	}
}

// Key identifies a record: recording the same execution again replaces it.
func (r Run) Key() string { return r.Job + "/" + r.Execution }

// ExecutionID names this process's execution: Cloud Run's execution name
// and task attempt when running there, else a time and random suffix.
func ExecutionID(getenv func(string) string, now time.Time) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	if e := getenv("CLOUD_RUN_EXECUTION"); e != "" {
		return e + "-t" + getenv("CLOUD_RUN_TASK_INDEX") + "a" + getenv("CLOUD_RUN_TASK_ATTEMPT")
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// Putter writes an object (the lake satisfies it).
type Putter interface {
	Put(ctx context.Context, name, contentType string, data []byte) error
}

// Prefix is where run records live in the lake, one folder per day.
const Prefix = "ops/runs/"

// ObjectName is the lake object of a run record.
func ObjectName(r Run) string {
	return fmt.Sprintf("%sdt=%s/%s-%s.json", Prefix, r.StartedAt.UTC().Format(time.DateOnly), r.Job, r.Execution)
}

// Record writes r to the lake. It uses a context of its own, so that a
// run cancelled by SIGTERM still leaves its record.
func Record(ctx context.Context, p Putter, r Run) error {
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("ops: encode run: %w", err)
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := p.Put(rctx, ObjectName(r), "application/json", data); err != nil {
		return fmt.Errorf("ops: record run %s: %w", r.Key(), err)
	}
	return nil
}

// Status derives a run's status from its error and what it did.
func Status(err error, noData, quarantined bool) string {
	switch {
	case err != nil:
		return StatusFailed
	case noData:
		return StatusNoData
	case quarantined:
		return StatusQuarantined
	default:
		return StatusSucceeded
	}
}

// ErrText is the error's message, or "".
func ErrText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Decode reads one record.
func Decode(b []byte) (Run, error) {
	var r Run
	if err := json.Unmarshal(b, &r); err != nil {
		return Run{}, fmt.Errorf("ops: decode run: %w", err)
	}
	if r.Job == "" || r.Execution == "" {
		return Run{}, errors.New("ops: run record without job or execution")
	}
	return r, nil
}
