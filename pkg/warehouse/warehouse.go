// Package warehouse loads clean postings, search interest and certification
// statistics from the lake into the analytical warehouse and answers the few
// questions the pipeline itself asks of it.
//
// Warehouse is the boundary: DuckDB (package warehouse/duckdb) is the
// embedded default for local runs and tests, BigQuery the production
// implementation. Every implementation keeps the seed's layers for recruit
// data:
//
//   - staging.recruit: every row of every batch as it arrived, tagged with
//     the batch's run_id, the lake object it came from and the load time.
//     Loading a run_id again replaces that run's rows, in one transaction.
//   - external.recruit_table: one row per posting id, its latest version,
//     with whether it is still open; closed postings stay. The newest
//     modified_at wins; an equal or older one leaves the row untouched, so
//     replays, duplicates and out-of-order batches never regress a row.
//   - meta.*: the API's code tables; core.recruit, core.datajob and the
//     daily aggregates: what dashboards read, derived from external and
//     meta in the same transaction as each load.
//
// CountRecruit, RecruitIDs and Recruit answer from external.recruit_table
// (core.recruit holds the same ids).
//
// The package warehousetest holds the contract every implementation passes.
package warehouse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"jobpulse/pkg/ops"
	"jobpulse/pkg/role"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
)

// Opener opens a lake object by name (the lake package satisfies it).
type Opener interface {
	Open(ctx context.Context, name string) (io.ReadCloser, error)
}

// Batch is one clean batch to load: the NDJSON objects (one saramin.Posting
// per line) the transformer wrote for one run.
type Batch struct {
	Source source.Source // producer
	RunID  string        // required; reloading a RunID replaces its staging rows
	// Objects are the lake objects to load, in order. An empty list is a
	// valid batch: it stages nothing and leaves core as it is.
	Objects []string
	// Rows is the number of rows the producer wrote. When positive, a load
	// that stages a different number fails (ErrRowCount) and changes nothing.
	Rows                 int
	WindowFrom, WindowTo time.Time // modification-time window the run covered
}

// Result counts what one load did. Inserted, Updated and Unchanged count
// distinct posting ids of the batch (duplicates inside it collapse to the
// newest), so they add up to the batch's distinct ids, not to Staged.
type Result struct {
	Staged    int // rows written to staging
	Inserted  int // ids new to core
	Updated   int // ids whose core row was replaced by a newer version
	Unchanged int // ids whose core row is as new or newer, left as is
	// Checks are the data checks the batch passed on its way up.
	Checks []Check
}

// Recruit is a posting as core.recruit keeps it. The embedded Posting's
// RunID is the run whose version is kept and its SourceObject the raw page
// that version was parsed from.
type Recruit struct {
	saramin.Posting
	LoadedFrom  string    // the clean lake object the kept version was loaded from
	FirstSeenAt time.Time // load time of the first load that carried the id
	LastSeenAt  time.Time // load time of the load that brought the kept version
}

// Warehouse is what the loader and the checks need from a warehouse.
// Implementations are safe for concurrent use.
type Warehouse interface {
	// Ensure creates schemas and tables if missing. It is idempotent.
	Ensure(ctx context.Context) error
	// LoadRecruit stages one clean batch, merges it into external and
	// refreshes core, all or nothing: any error leaves every layer as it was.
	LoadRecruit(ctx context.Context, b Batch, src Opener) (Result, error)
	// CountRecruit counts the postings (rows of external.recruit_table).
	CountRecruit(ctx context.Context) (int64, error)
	// RecruitIDs lists the posting ids, sorted.
	RecruitIDs(ctx context.Context) ([]string, error)
	// Recruit reads one posting as loaded; ErrNotFound if absent.
	Recruit(ctx context.Context, id string) (Recruit, error)
	// RecordRuns writes job execution records into ops.runs; recording an
	// execution again replaces its row.
	RecordRuns(ctx context.Context, runs []ops.Run) error
	// LoadTrends stages a batch of Google Trends rows (trends.Row per line)
	// into staging.google_trend, merges them into external.google_trend
	// (one row per request, keyword and period; identical rows are left as
	// they are) and rebuilds core.google_trend for the keywords it touched
	// (one row per keyword and period, from the newest window), all or
	// nothing. Result counts rows of external, not posting ids.
	LoadTrends(ctx context.Context, b Batch, src Opener) (Result, error)
	// ReplaceCertifications replaces the certification data set
	// (external.certification and core.certification) with the batch's rows
	// (cert.Stat per line), all or nothing: any error leaves the previous
	// set in place. A batch whose WindowTo is older than the loaded set's
	// changes nothing (Result.Unchanged counts its rows), so a replay of an
	// old run cannot bring back an old set.
	ReplaceCertifications(ctx context.Context, b Batch, src Opener) (Result, error)

	// CheckAll checks the whole warehouse (the loader's --check mode,
	// scheduled every 3 hours): freshness, duplicates and layer
	// consistency; a load older than maxAge at now fails freshness.
	CheckAll(ctx context.Context, now time.Time, maxAge time.Duration) ([]Check, error)
	// LastLoads returns each source's newest load time (postings from
	// staging.recruit_loads, the indicators from staging.indicator_loads),
	// for the notifications and the health check. A source never loaded is
	// absent.
	LastLoads(ctx context.Context) (map[source.Source]time.Time, error)
	// RunPostings counts, among the postings a loaded run carried, those
	// now closed and those of a data role.
	RunPostings(ctx context.Context, runID string) (closed, dataRoles int, err error)
	Close() error
}

// Classifier decides a posting's data role from its title, job codes, job
// code names, keywords and job mid codes ("" for none), and the comparison
// group of other IT work of a posting that is not a data job ("" when not
// IT work). Both engines classify with Classify unless told otherwise (a
// test's classifier).
type Classifier func(title string, jobCodes, jobCodeNames, keywords, mids []string) (role, group string)

// Classify is the Classifier of package role.
func Classify(title string, jobCodes, jobCodeNames, keywords, mids []string) (string, string) {
	r := role.Classify(role.Input{Title: title, JobCodes: jobCodes, JobCodeNames: jobCodeNames, Keywords: keywords, JobMidCodes: mids})
	return string(r.Role), string(r.Group)
}

var (
	// ErrNotFound is returned by Recruit for an id core does not hold.
	ErrNotFound = errors.New("warehouse: not found")
	// ErrRowCount is wrapped when a batch stages a different number of rows
	// than Batch.Rows announced.
	ErrRowCount = errors.New("warehouse: staged row count differs from batch")
	// ErrInvalidRow is wrapped when a staged row cannot be merged (no id or
	// no modified_at).
	ErrInvalidRow = errors.New("warehouse: row cannot be merged")
)

// ErrCheckFailed is matched by a *CheckError: a batch that failed a data
// check and was kept from moving up a layer.
var ErrCheckFailed = errors.New("warehouse: data check failed")

// Check is the outcome of one SQL data check.
type Check struct {
	Name  string `json:"name"`
	Layer string `json:"layer"` // the layer the data was about to enter
	// Failed counts the offending rows (0: passed).
	Failed int64 `json:"failed"`
	// Example points at one offending row.
	Example string `json:"example,omitempty"`
}

// Passed reports whether the check found nothing wrong.
func (c Check) Passed() bool { return c.Failed == 0 }

// CheckError lists the checks a batch failed. The load it stopped changed
// nothing.
type CheckError struct {
	RunID  string
	Checks []Check // all checks run; the failed ones have Failed > 0
}

// Error names the failed checks.
func (e *CheckError) Error() string {
	var parts []string
	for _, c := range e.Checks {
		if !c.Passed() {
			s := fmt.Sprintf("%s: %d rows", c.Name, c.Failed)
			if c.Example != "" {
				s += " (e.g. " + c.Example + ")"
			}
			parts = append(parts, s)
		}
	}
	return fmt.Sprintf("batch %s failed checks: %s", e.RunID, strings.Join(parts, "; "))
}

// Is makes errors.Is(err, ErrCheckFailed) true.
func (e *CheckError) Is(target error) bool { return target == ErrCheckFailed }

// Counts returns how many checks passed and failed.
func Counts(checks []Check) (passed, failed int) {
	for _, c := range checks {
		if c.Passed() {
			passed++
		} else {
			failed++
		}
	}
	return passed, failed
}
