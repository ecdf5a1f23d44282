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
	"slices"
	"time"

	"jobpulse/pkg/source"
)

// Statuses of a run.
const (
	// StatusRunning is the record a job leaves as it starts; its final
	// record replaces it. One still running long after its start is a job
	// that never finished (killed, out of memory, timed out).
	StatusRunning     = "running"
	StatusSucceeded   = "succeeded"
	StatusNoData      = "no_data"
	StatusQuarantined = "quarantined" // finished, but set a batch or records aside
	StatusStopped     = "stopped"     // ended early without failing (quota spent)
	StatusFailed      = "failed"
)

// Run is one job execution.
type Run struct {
	Job          string        `json:"job"`
	Execution    string        `json:"execution"`
	RunID        string        `json:"run_id,omitempty"`
	Source       source.Source `json:"source,omitempty"`
	WindowFrom   time.Time     `json:"window_from,omitzero"`
	WindowTo     time.Time     `json:"window_to,omitzero"`
	CountIn      int           `json:"count_in"`
	CountOut     int           `json:"count_out"`
	ChecksPassed int           `json:"checks_passed"`
	ChecksFailed int           `json:"checks_failed"`
	Status       string        `json:"status"`
	Error        string        `json:"error,omitempty"`
	StartedAt    time.Time     `json:"started_at"`
	DurationMS   int64         `json:"duration_ms"`
	// Calls counts the API calls the execution made (extractor), for the
	// health check's daily quota figure.
	Calls int64 `json:"calls,omitempty"`
	// Runs lists every run id the execution handled (transformer, loader),
	// so that the health check can tell an announced run that never
	// arrived from one that did.
	Runs []string `json:"runs,omitempty"`
	// MessageID is the message the execution published (extractor), so
	// that the health check can follow the batch down the chain.
	MessageID string `json:"message_id,omitempty"`
	// Drift counts, by kind, the records (or answers) read despite a
	// changed shape; SetAside counts the records set aside (extractor,
	// transformer).
	Drift    map[string]int `json:"drift,omitempty"`
	SetAside int            `json:"set_aside,omitempty"`
}

// AddDrift adds counts of drift by kind to the record.
func (r *Run) AddDrift(d map[string]int) {
	for k, n := range d {
		if r.Drift == nil {
			r.Drift = map[string]int{}
		}
		r.Drift[k] += n
	}
}

// Cover adds one handled batch to the record of an execution that handles
// several: the last run id, and the span of their windows.
func (r *Run) Cover(runID string, src source.Source, from, to time.Time) {
	r.RunID, r.Source = runID, src
	if !slices.Contains(r.Runs, runID) {
		r.Runs = append(r.Runs, runID)
	}
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

// Start records that an execution has begun (StatusRunning). The record is
// keyed like the final one, which replaces it; a failure to write it is
// returned for the caller to log, never to stop the job.
func Start(ctx context.Context, p Putter, job, execution string, src source.Source, at time.Time) error {
	if execution == "" {
		return nil
	}
	return Record(ctx, p, Run{Job: job, Execution: execution, Source: src, Status: StatusRunning, StartedAt: at.UTC()})
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

// Store lists and reads objects (the lake satisfies it).
type Store interface {
	List(ctx context.Context, prefix string) ([]string, error)
	Get(ctx context.Context, name string) ([]byte, error)
}

// Recent reads the run records of today and yesterday (UTC), the span the
// loader gathers and the health check reads: two folders, whatever the
// history's length. Unreadable records are skipped and counted.
func Recent(ctx context.Context, s Store, now time.Time) (runs []Run, unreadable int, err error) {
	now = now.UTC()
	for _, day := range []time.Time{now.AddDate(0, 0, -1), now} {
		names, err := s.List(ctx, Prefix+"dt="+day.Format(time.DateOnly)+"/")
		if err != nil {
			return nil, 0, fmt.Errorf("ops: run records: %w", err)
		}
		for _, name := range names {
			b, err := s.Get(ctx, name)
			if err != nil {
				return nil, 0, fmt.Errorf("ops: run records: %w", err)
			}
			r, err := Decode(b)
			if err != nil {
				unreadable++
				continue
			}
			runs = append(runs, r)
		}
	}
	return runs, unreadable, nil
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

// StepError names the step of a job that failed (fetch, land, announce,
// transform, load …), for the failure's notification.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// InStep marks err as a failure of step (nil stays nil; an error already
// marked keeps its step).
func InStep(step string, err error) error {
	var se *StepError
	if err == nil || errors.As(err, &se) {
		return err
	}
	return &StepError{Step: step, Err: err}
}

// StepOf is the step err failed in, or def when it names none.
func StepOf(err error, def string) string {
	var se *StepError
	if errors.As(err, &se) {
		return se.Step
	}
	return def
}
