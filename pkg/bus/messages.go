package bus

import (
	"time"

	"jobpulse/pkg/source"
)

// Window is a half-open time range [From, To) of modification times.
type Window struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// RawBatch is what the extractor publishes after a run that found data: the
// raw API pages it wrote to the lake.
type RawBatch struct {
	Source   source.Source `json:"source"`
	RunID    string        `json:"run_id"`
	Window   Window        `json:"window"`
	Objects  []string      `json:"objects"`
	Postings int           `json:"postings"`
	Created  time.Time     `json:"created"`
}

// CleanBatch is what the transformer publishes: the load-ready files it wrote
// for one RawBatch, and what it set aside.
type CleanBatch struct {
	Source      source.Source `json:"source"`
	RunID       string        `json:"run_id"`
	Window      Window        `json:"window"`
	Objects     []string      `json:"objects"`
	Rows        int           `json:"rows"`
	Quarantined int           `json:"quarantined"`
	Quarantine  []string      `json:"quarantine,omitempty"`
	// Drift counts, by kind, the records read despite a changed shape.
	Drift   map[string]int `json:"drift,omitempty"`
	Created time.Time      `json:"created"`
}
