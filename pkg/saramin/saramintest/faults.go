package saramintest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// FaultKind names a failure the emulator can inject.
type FaultKind string

// Fault kinds.
const (
	// FaultServerError answers HTTP Status (default 500) with error code 99
	// before the request reaches the API; the call is not counted.
	FaultServerError FaultKind = "server-error"
	// FaultRateLimit answers HTTP 429 with a Retry-After header (default
	// 1 second) and error code 4 (retryable, unlike the quota's code 2); the call is not counted.
	FaultRateLimit FaultKind = "rate-limit"
	// FaultSlow delays the answer by Delay, then answers normally.
	FaultSlow FaultKind = "slow"
	// FaultTruncate sends the first half of the body and drops the
	// connection (the declared Content-Length is the full length).
	FaultTruncate FaultKind = "truncate"
	// FaultDrift changes the answer's shape as named by Drift.
	FaultDrift FaultKind = "drift"
	// FaultBrokenRecord gives one posting a null (or, with Drift "empty",
	// an empty) id.
	FaultBrokenRecord FaultKind = "broken-record"
)

// BrokenUnknownRegion, as the Drift of FaultBrokenRecord, gives one posting
// a region code (UnknownRegionCode) that no code table holds: the record
// parses, and only the warehouse's checks against meta catch it.
const (
	BrokenUnknownRegion = "unknown-region"
	UnknownRegionCode   = "999999"
)

// Drift variants of FaultDrift.
const (
	// DriftRenamePostingTimestamp renames posting-timestamp to
	// posting-time in every posting.
	DriftRenamePostingTimestamp = "rename-posting-timestamp"
	// DriftRetypeExperienceCode sends position.experience-level.code as a
	// string in every posting.
	DriftRetypeExperienceCode = "retype-experience-code"
	// DriftAddUnknownField adds a top-level "recruit-extra" object and a
	// position."work-style" string to every posting.
	DriftAddUnknownField = "add-unknown-field"
	// DriftDropTitle removes position.title from the first posting.
	DriftDropTitle = "drop-title"
	// DriftEmptyJobs sends jobs.job empty while total still counts the
	// postings.
	DriftEmptyJobs = "empty-jobs"
	// DriftZeroTotal sends total "0" while jobs.job holds the postings.
	DriftZeroTotal = "zero-total"
	// DriftDropLastJob leaves the page's last posting out, total and count
	// unchanged: the API's counts disagree with what it served.
	DriftDropLastJob = "drop-last-job"

	// DriftDropModificationTimestamp removes modification-timestamp from
	// every posting.
	DriftDropModificationTimestamp = "drop-modification-timestamp"
	// DriftUnreadableModificationTimestamp sends every posting's
	// modification-timestamp as "unknown".
	DriftUnreadableModificationTimestamp = "unreadable-modification-timestamp"
	// DriftISOModificationTimestamp sends every posting's
	// modification-timestamp as ISO-8601 in KST with its zone
	// ("2026-11-25T09:10:11+09:00"), the same instant.
	DriftISOModificationTimestamp = "iso-modification-timestamp"
	// DriftLocalTimestamps sends the posting, modification, opening and
	// expiration timestamps as "2006-01-02 15:04:05" in KST without a
	// zone, the same instants.
	DriftLocalTimestamps = "local-timestamps"
	// DriftISOExpirationTimestamp sends every posting's
	// expiration-timestamp as ISO-8601 in KST with its zone (+09:00).
	DriftISOExpirationTimestamp = "iso-expiration-timestamp"
	// DriftMillisTimestamps sends the four timestamps as unix milliseconds
	// (strings), the same instants.
	DriftMillisTimestamps = "millis-timestamps"
	// DriftNumericTimestamps sends the four timestamps as JSON numbers
	// (unix seconds) instead of strings.
	DriftNumericTimestamps = "numeric-timestamps"
	// DriftSalaryArray sends salary as a JSON array holding the original
	// {code, name} object.
	DriftSalaryArray = "salary-array"
	// DriftKeywordArray sends keyword as a JSON array of strings, the
	// comma-separated list split.
	DriftKeywordArray = "keyword-array"
	// DriftLocationObjectArray sends position.location as an array of
	// {code, name} objects, one per region of the comma-separated lists.
	DriftLocationObjectArray = "location-object-array"
	// DriftNoJobs answers {"result": "ok"}: valid JSON without a jobs
	// object at all.
	DriftNoJobs = "no-jobs"
	// DriftNullJobs sends jobs.job as null, total and count unchanged.
	DriftNullJobs = "null-jobs"
	// DriftTotalInflated sends a total 7 higher than the postings that
	// exist (a string, as the API's total is).
	DriftTotalInflated = "total-inflated"
	// DriftBOM starts the body with a UTF-8 byte-order mark (EF BB BF)
	// before the JSON.
	DriftBOM = "bom"
)

// InflatedBy is how many postings DriftTotalInflated adds to total.
const InflatedBy = 7

// DriftKinds returns the name of every drift FaultDrift can apply, in a
// stable order (the order of README.md's table), for callers that try
// each; the slice is the caller's.
func DriftKinds() []string {
	return []string{
		DriftRenamePostingTimestamp, DriftRetypeExperienceCode, DriftAddUnknownField, DriftDropTitle,
		DriftEmptyJobs, DriftZeroTotal, DriftDropLastJob,
		DriftDropModificationTimestamp, DriftUnreadableModificationTimestamp, DriftISOModificationTimestamp,
		DriftLocalTimestamps, DriftISOExpirationTimestamp, DriftMillisTimestamps, DriftNumericTimestamps,
		DriftSalaryArray, DriftKeywordArray, DriftLocationObjectArray,
		DriftNoJobs, DriftNullJobs, DriftTotalInflated, DriftBOM,
	}
}

// Fault is an injected failure. It applies to the next Count requests to
// /job-search (0 means 1; a negative Count applies until ClearFaults).
type Fault struct {
	Kind       FaultKind
	Count      int
	Status     int           // FaultServerError: HTTP status, default 500
	RetryAfter time.Duration // FaultRateLimit: Retry-After, default 1s (whole seconds)
	Delay      time.Duration // FaultSlow: delay before answering
	Drift      string        // FaultDrift: one of the Drift* names; FaultBrokenRecord: "null" (default), "empty" or BrokenUnknownRegion
}

// faultJSON is the wire form of Fault on the admin endpoint: durations as
// Go duration strings ("1.5s").
type faultJSON struct {
	Kind       FaultKind `json:"kind"`
	Count      int       `json:"count,omitempty"`
	Status     int       `json:"status,omitempty"`
	RetryAfter string    `json:"retry_after,omitempty"`
	Delay      string    `json:"delay,omitempty"`
	Drift      string    `json:"drift,omitempty"`
}

// MarshalJSON writes the admin wire form.
func (f Fault) MarshalJSON() ([]byte, error) {
	j := faultJSON{Kind: f.Kind, Count: f.Count, Status: f.Status, Drift: f.Drift}
	if f.RetryAfter != 0 {
		j.RetryAfter = f.RetryAfter.String()
	}
	if f.Delay != 0 {
		j.Delay = f.Delay.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the admin wire form.
func (f *Fault) UnmarshalJSON(b []byte) error {
	var j faultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	out := Fault{Kind: j.Kind, Count: j.Count, Status: j.Status, Drift: j.Drift}
	var err error
	if j.RetryAfter != "" {
		if out.RetryAfter, err = time.ParseDuration(j.RetryAfter); err != nil {
			return fmt.Errorf("retry_after: %w", err)
		}
	}
	if j.Delay != "" {
		if out.Delay, err = time.ParseDuration(j.Delay); err != nil {
			return fmt.Errorf("delay: %w", err)
		}
	}
	*f = out
	return nil
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultServerError:
		if f.Status != 0 && (f.Status < 500 || f.Status > 599) {
			return fmt.Errorf("server-error status %d: want 5xx", f.Status)
		}
	case FaultRateLimit, FaultTruncate:
	case FaultSlow:
		if f.Delay <= 0 {
			return fmt.Errorf("slow fault needs a positive delay")
		}
	case FaultDrift:
		if !slices.Contains(DriftKinds(), f.Drift) {
			return fmt.Errorf("unknown drift %q: want one of %s", f.Drift, strings.Join(DriftKinds(), ", "))
		}
	case FaultBrokenRecord:
		if f.Drift != "" && f.Drift != "null" && f.Drift != "empty" && f.Drift != BrokenUnknownRegion {
			return fmt.Errorf("broken-record drift %q: want null, empty or %s", f.Drift, BrokenUnknownRegion)
		}
	default:
		return fmt.Errorf("unknown fault kind %q", f.Kind)
	}
	return nil
}

type activeFault struct {
	Fault
	left int // requests left; negative: until cleared
}

// InjectFault queues a fault for the next matching requests.
func (e *Emulator) InjectFault(f Fault) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("saramintest.InjectFault: %w", err)
	}
	n := f.Count
	if n == 0 {
		n = 1
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = append(e.faults, &activeFault{Fault: f, left: n})
	return nil
}

// ClearFaults removes every queued fault.
func (e *Emulator) ClearFaults() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = nil
}

// Faults returns the queued faults with their remaining counts in Count.
func (e *Emulator) Faults() []Fault {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Fault, len(e.faults))
	for i, f := range e.faults {
		out[i] = f.Fault
		out[i].Count = f.left
	}
	return out
}

// takeFaults returns the faults that apply to this request and uses one of
// each. Among server-error and rate-limit faults only the first applies.
func (e *Emulator) takeFaults() []Fault {
	var out []Fault
	blocking := false
	kept := e.faults[:0]
	for _, f := range e.faults {
		use := true
		if f.Kind == FaultServerError || f.Kind == FaultRateLimit {
			use = !blocking
			blocking = true
		}
		if use {
			out = append(out, f.Fault)
			if f.left > 0 {
				f.left--
			}
		}
		if f.left != 0 {
			kept = append(kept, f)
		}
	}
	e.faults = kept
	return out
}
