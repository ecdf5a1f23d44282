// Package health is the pipeline's health check, run every 3 hours as a
// mode of the loader (`loader --health`). It looks at what the jobs left
// behind rather than at the jobs: their run records in the lake, each
// source's newest load in the warehouse, the quarantine, the dead-letter
// subscription and the API calls made today. It tells people only when
// something is wrong, and once a day sends a short all-clear.
//
// The seed's failure classes map to these findings:
//
//   - job failed (non-zero exit, retried by Cloud Run): a failed run record
//     that no later run of the same job made good (job_failed),
//     or a run that started and never finished (never_finished);
//   - load or check failed (batch quarantined): batches and messages set
//     aside since the last check (quarantined), messages dead-lettered
//     (dead_letter), or announced batches not handled in time (waiting);
//   - nothing arrived: a source's newest data older than its schedule allows
//     (stale); and, before it happens, an API quota nearly spent (quota).
package health

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/kst"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
)

// Config is the health check's configuration, read from the environment.
type Config struct {
	MaxAge     map[source.Source]time.Duration `env:"HEALTH_MAX_AGE, separator==, default=saramin=3h,trends=30h,cert=192h" help:"how old each source's newest data may be: source=duration, comma-separated"`
	Lookback   time.Duration                   `env:"HEALTH_LOOKBACK, default=3h" help:"batches and messages set aside this recently are reported, or since the last check when that is earlier (the check's period)"`
	StuckAfter time.Duration                   `env:"HEALTH_STUCK_AFTER, default=2h" help:"a job still running this long after its start never finished"`
	MaxWait    time.Duration                   `env:"HEALTH_MAX_WAIT, default=1h" help:"an announced batch not handled this long after is waiting too long"`
	DeadLetter string                          `env:"DEAD_LETTER_SUBSCRIPTION, default=jobpulse-dead-letter" help:"subscription on the dead-letter topic, looked at (never consumed) by the check; empty: not looked at"`
	Quota      map[source.Source]int64         `env:"HEALTH_DAILY_QUOTA, separator==, default=saramin=500,cert=1000" help:"API calls allowed per KST day, source=calls; 80% used is reported"`
}

// Validate reports every setting out of range.
func (c Config) Validate() error {
	var errs []error
	for _, src := range slices.Sorted(maps.Keys(c.MaxAge)) {
		if d := c.MaxAge[src]; d <= 0 {
			errs = append(errs, fmt.Errorf("HEALTH_MAX_AGE: %s=%s; want a positive duration such as 3h", src, d))
		}
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"HEALTH_LOOKBACK", c.Lookback}, {"HEALTH_STUCK_AFTER", c.StuckAfter}, {"HEALTH_MAX_WAIT", c.MaxWait}} {
		if d.d <= 0 {
			errs = append(errs, fmt.Errorf("%s is %s; want a positive duration such as 2h", d.name, d.d))
		}
	}
	for _, src := range slices.Sorted(maps.Keys(c.Quota)) {
		if n := c.Quota[src]; n < 0 {
			errs = append(errs, fmt.Errorf("HEALTH_DAILY_QUOTA: %s=%d; want 0 (no quota) or more calls", src, n))
		}
	}
	return errors.Join(errs...)
}

// Finding classes.
const (
	JobFailed     = "job_failed"
	NeverFinished = "never_finished"
	Stale         = "stale"
	Quarantined   = "quarantined"
	Waiting       = "waiting"
	DeadLetter    = "dead_letter"
	Quota         = "quota"
)

// Classes lists every finding class, in the order a report shows them.
var Classes = []string{JobFailed, NeverFinished, Stale, Quarantined, Waiting, DeadLetter, Quota}

// Finding is one thing wrong.
type Finding struct {
	Class  string
	Source source.Source
	Detail string // one line for a person
	Next   string // the command that puts it right, once its cause is dealt with ("" when none does)
}

func (f Finding) String() string {
	if f.Next == "" {
		return f.Class + ": " + f.Detail
	}
	return f.Class + ": " + f.Detail + "; then `" + f.Next + "`"
}

// rerun is the command that executes r's job again (the extractor for
// r's source, from its watermark).
func rerun(r ops.Run) string {
	if r.Job == "extractor" && r.Source != "" {
		return ops.ExtractCommand(r.Source, time.Time{}, time.Time{})
	}
	return ops.ExecuteCommand(r.Job)
}

// Report is one check's outcome.
type Report struct {
	At       time.Time
	Findings []Finding
	// Newest is each configured source's newest data (zero: none).
	Newest map[source.Source]time.Time
	// Executions counts the run records looked at; Recovered the failures
	// a later run made good.
	Executions, Recovered int
	// Calls counts each source's API calls today (KST), against its
	// daily Quota (HEALTH_DAILY_QUOTA).
	Calls, Quota map[source.Source]int64
	// Since is where this check's look back began: the previous check, or
	// HEALTH_LOOKBACK ago, whichever is earlier.
	Since time.Time
	// RecordsSetAside counts the quarantine objects of single records
	// written since then (the transformer has told of each; not a finding).
	RecordsSetAside int
}

// OK reports whether nothing is wrong.
func (r Report) OK() bool { return len(r.Findings) == 0 }

// Lake is what the check reads of the lake (and where it keeps the day of
// its last all-clear).
type Lake interface {
	ops.Store
	Put(ctx context.Context, name, contentType string, data []byte) error
	Objects(ctx context.Context, prefix string) ([]lake.Object, error)
	ReadJSON(ctx context.Context, name string, v any) (int64, error)
	WriteJSON(ctx context.Context, name string, generation int64, v any) error
}

// Loads answers each source's newest load (every warehouse does).
type Loads interface {
	LastLoads(ctx context.Context) (map[source.Source]time.Time, error)
}

// Peeker looks at a subscription without consuming it (the bus does).
type Peeker interface {
	Peek(ctx context.Context, subscription string, max int, wait time.Duration) (bus.Waiting, error)
}

// Notifier tells people (notify.Notifier does; nil tells no one).
type Notifier interface {
	Notify(ctx context.Context, e notify.Event)
}

// Checker runs the check.
type Checker struct {
	Cfg    Config
	Lake   Lake
	Loads  Loads
	Bus    Peeker
	Notify Notifier
	Now    func() time.Time
	Log    *slog.Logger
	// Execution names this execution in its run record; empty records
	// nothing.
	Execution string
}

// AllClearState is the lake object holding the KST day of the last
// all-clear.
const AllClearState = "state/health/all-clear.json"

type allClear struct {
	Day string `json:"day"`
}

// Run checks, reports and records the execution. An error means the check
// itself could not run (the lake unreadable); what it finds wrong is in the
// report, not an error.
func (c *Checker) Run(ctx context.Context) (Report, error) {
	began := c.Now().UTC()
	rep, err := c.Check(ctx)
	if err == nil {
		c.report(ctx, rep)
		c.remember(ctx, rep.At)
	}
	if c.Execution != "" {
		found := len(classList(rep.Findings))
		r := ops.Run{Job: "health", Execution: c.Execution, Status: ops.Status(err, false, false), Error: ops.ErrText(err),
			ChecksPassed: len(Classes) - found, ChecksFailed: found, CountIn: rep.Executions, CountOut: len(rep.Findings),
			StartedAt: began, DurationMS: c.Now().Sub(began).Milliseconds()}
		if rerr := ops.Record(ctx, c.Lake, r); rerr != nil {
			c.Log.Warn("run record not written", "error", rerr)
		}
	}
	return rep, err
}

// Check gathers the findings without telling anyone.
func (c *Checker) Check(ctx context.Context) (Report, error) {
	now := c.Now().UTC()
	rep := Report{At: now, Newest: map[source.Source]time.Time{}, Calls: map[source.Source]int64{}, Quota: c.Cfg.Quota}
	runs, unreadable, err := ops.Recent(ctx, c.Lake, now)
	if err != nil {
		return rep, fmt.Errorf("health: %w", err)
	}
	if unreadable > 0 {
		c.Log.Warn("unreadable run records skipped", "count", unreadable)
	}
	runs = slices.DeleteFunc(runs, func(r ops.Run) bool { return r.Job == "health" })
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].StartedAt.Before(runs[j].StartedAt) })
	rep.Executions = len(runs)

	rep.Since = c.since(ctx, now)
	rep.Findings = append(rep.Findings, c.failures(runs, now, &rep)...)
	rep.Findings = append(rep.Findings, waiting(runs, now, c.Cfg.MaxWait)...)
	rep.Findings = append(rep.Findings, c.freshness(ctx, runs, now, &rep)...)
	q, err := c.quarantine(ctx, &rep)
	if err != nil {
		return rep, err
	}
	rep.Findings = append(rep.Findings, q...)
	rep.Findings = append(rep.Findings, c.deadLetter(ctx)...)
	rep.Findings = append(rep.Findings, quotas(runs, now, rep.Quota, &rep)...)
	slices.SortStableFunc(rep.Findings, func(a, b Finding) int {
		return cmp.Compare(slices.Index(Classes, a.Class), slices.Index(Classes, b.Class))
	})
	return rep, nil
}

// settled reports whether r makes good the earlier failures of its job: an
// extractor run that ended well, or a drain that handled messages well (an
// empty drain may only mean the failed message waits for redelivery).
func settled(r ops.Run) bool {
	switch r.Status {
	case ops.StatusSucceeded, ops.StatusQuarantined:
		return true
	case ops.StatusNoData:
		return r.Job == "extractor"
	}
	return false
}

// failures finds failed runs not made good since, and runs that never
// finished and were not made good since either (Cloud Run retries a killed
// task as a new execution), whatever their age within the records read: a
// failure stays a finding until a later run makes it good. runs are sorted
// by start. A later settled run
// makes good the failures of the same job, and for the extractor of the
// same source: a drain that ends well has no failing message left.
func (c *Checker) failures(runs []ops.Run, now time.Time, rep *Report) []Finding {
	type key struct {
		job    string
		source source.Source
	}
	keyOf := func(r ops.Run) key {
		if r.Job == "extractor" {
			return key{r.Job, r.Source}
		}
		return key{r.Job, ""}
	}
	failed := map[key][]ops.Run{}
	stuck := map[key][]ops.Run{}
	var order []key
	for _, r := range runs {
		k := keyOf(r)
		switch {
		case r.Status == ops.StatusFailed:
			if len(failed[k]) == 0 && len(stuck[k]) == 0 {
				order = append(order, k)
			}
			failed[k] = append(failed[k], r)
		case r.Status == ops.StatusRunning && now.Sub(r.StartedAt) > c.Cfg.StuckAfter:
			if len(failed[k]) == 0 && len(stuck[k]) == 0 {
				order = append(order, k)
			}
			stuck[k] = append(stuck[k], r)
		case settled(r):
			rep.Recovered += len(failed[k]) + len(stuck[k])
			delete(failed, k)
			delete(stuck, k)
		}
	}
	var out []Finding
	for _, k := range order {
		for _, r := range stuck[k] {
			out = append(out, Finding{Class: NeverFinished, Source: r.Source,
				Detail: fmt.Sprintf("%s%s started %s and never finished (execution %s): killed, out of memory or past its timeout, and not run well since",
					r.Job, inSource(r.Source), notify.FormatKST(r.StartedAt), r.Execution), Next: rerun(r)})
		}
		fs := failed[k]
		if len(fs) == 0 {
			continue
		}
		r := fs[len(fs)-1]
		times := ""
		if len(fs) > 1 {
			times = fmt.Sprintf(" (%d executions)", len(fs))
		}
		out = append(out, Finding{Class: JobFailed, Source: r.Source,
			Detail: fmt.Sprintf("%s%s failed at %s%s and has not succeeded since: %s", r.Job, inSource(k.source), notify.FormatKST(r.StartedAt), times, oneLine(r.Error)), Next: rerun(r)})
	}
	return out
}

// waiting finds batches announced more than maxWait ago that the next job
// has not handled: the extractor's messages not seen by a transformer, the
// transformer's not seen by a loader.
func waiting(runs []ops.Run, now time.Time, maxWait time.Duration) []Finding {
	handled := map[string]map[string]bool{"transformer": {}, "loader": {}}
	announced := map[string]time.Time{} // raw batches
	transformed := map[string]time.Time{}
	for _, r := range runs {
		if h, ok := handled[r.Job]; ok {
			for _, id := range r.Runs {
				h[id] = true
			}
		}
		switch {
		case r.Job == "extractor" && r.MessageID != "" && r.RunID != "":
			if _, ok := announced[r.RunID]; !ok {
				announced[r.RunID] = r.StartedAt
			}
		case r.Job == "transformer":
			for _, id := range r.Runs {
				if _, ok := transformed[id]; !ok {
					transformed[id] = r.StartedAt
				}
			}
		}
	}
	var out []Finding
	add := func(batches map[string]time.Time, next, what string) {
		ids := make([]string, 0, len(batches))
		for id, at := range batches {
			if !handled[next][id] && now.Sub(at) > maxWait {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			out = append(out, Finding{Class: Waiting, Source: sourceOf(id),
				Detail: fmt.Sprintf("%s %s (since %s) has not been handled by the %s", what, id, notify.FormatKST(batches[id]), next),
				Next:   ops.ExecuteCommand(next)})
		}
	}
	add(announced, "transformer", "raw batch")
	add(transformed, "loader", "clean batch")
	return out
}

// freshness finds sources whose newest data is older than allowed. The
// newest data is the newest load, or for postings also the newest hour the
// extractor confirmed had nothing new: a quiet night is not stale.
func (c *Checker) freshness(ctx context.Context, runs []ops.Run, now time.Time, rep *Report) []Finding {
	maxAge := c.Cfg.MaxAge
	var out []Finding
	loads, err := c.Loads.LastLoads(ctx)
	if err != nil {
		// The warehouse cannot answer: that is itself a finding.
		return []Finding{{Class: Stale, Detail: "the warehouse could not say when each source last loaded: " + oneLine(err.Error())}}
	}
	if loads == nil {
		loads = map[source.Source]time.Time{}
	}
	for _, r := range runs {
		if r.Job == "extractor" && r.Source == source.Saramin && r.Status == ops.StatusNoData && r.WindowTo.After(loads[r.Source]) {
			loads[r.Source] = r.WindowTo
		}
	}
	for _, src := range slices.Sorted(maps.Keys(maxAge)) {
		at := loads[src]
		rep.Newest[src] = at
		switch {
		case at.IsZero():
			out = append(out, Finding{Class: Stale, Source: src, Detail: fmt.Sprintf("%s has never loaded", src),
				Next: ops.ExtractCommand(src, time.Time{}, time.Time{})})
		case now.Sub(at) > maxAge[src]:
			out = append(out, Finding{Class: Stale, Source: src,
				Detail: fmt.Sprintf("%s last loaded %s (%s ago; at most %s expected)", src, notify.FormatKST(at), ago(now.Sub(at)), short(maxAge[src])),
				Next:   ops.ExtractCommand(src, time.Time{}, time.Time{})})
		}
	}
	return out
}

// quarantine finds what was set aside since the last check, by kind:
// batches stopped by the checks and messages that could not be decoded.
// Single records set aside are counted, not reported: the transformer has
// told of them, and a real API sends such records now and then.
func (c *Checker) quarantine(ctx context.Context, rep *Report) ([]Finding, error) {
	objs, err := c.Lake.Objects(ctx, "quarantine/")
	if err != nil {
		return nil, fmt.Errorf("health: %w", err)
	}
	type group struct {
		n       int
		example string
	}
	groups := map[string]*group{}
	var order []string
	for _, o := range objs {
		if o.Updated.Before(rep.Since) {
			continue
		}
		parts := strings.Split(o.Name, "/")
		var kind string
		switch {
		case len(parts) > 1 && parts[1] == "messages":
			kind = "undecodable messages"
		case len(parts) > 2 && parts[2] == "batches":
			kind = parts[1] + " batches stopped by the data checks"
		default:
			rep.RecordsSetAside++
			continue
		}
		g, ok := groups[kind]
		if !ok {
			g = &group{example: o.Name}
			groups[kind] = g
			order = append(order, kind)
		}
		g.n++
	}
	var out []Finding
	for _, kind := range order {
		g := groups[kind]
		out = append(out, Finding{Class: Quarantined, Source: source.Source(strings.Fields(kind)[0]),
			Detail: fmt.Sprintf("%s: %s since %s, e.g. %s", kind, count(g.n, "object"), notify.FormatKST(rep.Since), g.example)})
	}
	return out, nil
}

// LastCheckState is the lake object holding when the last check ran.
const LastCheckState = "state/health/last-check.json"

type lastCheck struct {
	At time.Time `json:"at"`
}

// since is where the look back begins: HEALTH_LOOKBACK ago, or the last
// check when that was earlier (a late or missed check), so that nothing
// falls between two checks; at most two days back, as far as the run
// records go.
func (c *Checker) since(ctx context.Context, now time.Time) time.Time {
	since := now.Add(-c.Cfg.Lookback)
	var last lastCheck
	if _, err := c.Lake.ReadJSON(ctx, LastCheckState, &last); err == nil && last.At.Before(since) {
		since = last.At
	}
	if floor := now.Add(-48 * time.Hour); since.Before(floor) {
		since = floor
	}
	return since
}

// remember keeps when this check ran, for the next one's look back.
func (c *Checker) remember(ctx context.Context, at time.Time) {
	var last lastCheck
	gen, err := c.Lake.ReadJSON(ctx, LastCheckState, &last)
	if err != nil && !errors.Is(err, lake.ErrNotFound) {
		c.Log.Warn("last check time not read", "error", err)
		return
	}
	if err := c.Lake.WriteJSON(ctx, LastCheckState, gen, lastCheck{At: at}); err != nil && !errors.Is(err, lake.ErrConflict) {
		c.Log.Warn("last check time not written", "error", err)
	}
}

// deadLetter looks at the dead-letter subscription.
func (c *Checker) deadLetter(ctx context.Context) []Finding {
	if c.Cfg.DeadLetter == "" || c.Bus == nil {
		return nil
	}
	w, err := c.Bus.Peek(ctx, c.Cfg.DeadLetter, 100, 3*time.Second)
	if err != nil {
		return []Finding{{Class: DeadLetter, Detail: "the dead-letter subscription could not be read: " + oneLine(err.Error())}}
	}
	if w.Count == 0 {
		return nil
	}
	more := ""
	if w.Count >= 100 {
		more = " or more"
	}
	return []Finding{{Class: DeadLetter, Detail: fmt.Sprintf("%s%s dead-lettered on %s, the oldest published %s: no retry could handle them. Read them with `gcloud pubsub subscriptions pull %s --limit=10` (without --auto-ack they stay); once the cause is fixed, publish them again to their topic, then acknowledge them",
		count(w.Count, "message"), more, c.Cfg.DeadLetter, notify.FormatKST(w.Oldest), c.Cfg.DeadLetter)}}
}

// quotas sums today's (KST) API calls per source and reports a source past
// 80% of its daily quota.
func quotas(runs []ops.Run, now time.Time, quota map[source.Source]int64, rep *Report) []Finding {
	midnight := kst.Midnight(now)
	for _, r := range runs {
		if r.Job == "extractor" && !r.StartedAt.Before(midnight) {
			rep.Calls[r.Source] += r.Calls
		}
	}
	var out []Finding
	for _, src := range slices.Sorted(maps.Keys(quota)) {
		if q := quota[src]; q > 0 && rep.Calls[src]*5 >= q*4 {
			out = append(out, Finding{Class: Quota, Source: src,
				Detail: fmt.Sprintf("%s API: %d of %d calls used today (KST); the quota resets at midnight KST", src, rep.Calls[src], q)})
		}
	}
	return out
}

// report logs each finding, with alert=health_problem for the log-based
// metric, and tells people: the findings, or once a KST day an all-clear.
func (c *Checker) report(ctx context.Context, rep Report) {
	if !rep.OK() {
		items := make([]string, 0, len(rep.Findings))
		for _, f := range rep.Findings {
			c.Log.Error("health problem", "alert", "health_problem", "class", f.Class, "source", f.Source, "detail", f.Detail)
			items = append(items, f.String())
		}
		classes := strings.Join(classList(rep.Findings), ", ")
		c.notify(ctx, notify.Event{Kind: notify.HealthProblem, Job: "health", Step: "health", Execution: c.Execution, At: rep.At, Topic: classes,
			Summary: fmt.Sprintf("%s found (%s).", count(len(rep.Findings), "problem"), classes),
			Items:   items, Fields: c.figures(rep), Rerun: ops.ExecuteCommand("checks", "--health")})
		return
	}
	c.Log.Info("health ok", "executions", rep.Executions, "recovered", rep.Recovered)
	day := rep.At.In(kst.Zone).Format(time.DateOnly)
	var st allClear
	gen, err := c.Lake.ReadJSON(ctx, AllClearState, &st)
	switch {
	case errors.Is(err, lake.ErrNotFound):
	case err != nil:
		// Better a second all-clear than none.
		c.Log.Warn("all-clear state unreadable: sending the all-clear", "error", err)
		c.notify(ctx, c.allClear(rep))
		return
	case st.Day == day:
		return
	}
	if err := c.Lake.WriteJSON(ctx, AllClearState, gen, allClear{Day: day}); err != nil {
		if errors.Is(err, lake.ErrConflict) {
			return // another execution sends today's
		}
		c.Log.Warn("all-clear state not written", "error", err)
	}
	c.notify(ctx, c.allClear(rep))
}

// allClear is the day's short all-clear.
func (c *Checker) allClear(rep Report) notify.Event {
	return notify.Event{Kind: notify.AllClear, Job: "health", Step: "health", Execution: c.Execution, At: rep.At,
		Summary: fmt.Sprintf("Every source is fresh, nothing was set aside, no message waits; every failure in the %d job executions of today and yesterday (UTC) was made good by a later run.", rep.Executions),
		Fields:  c.figures(rep)}
}

func (c *Checker) notify(ctx context.Context, e notify.Event) {
	if c.Notify != nil {
		c.Notify.Notify(ctx, e)
	}
}

// figures are the report's numbers: each source's newest data and today's
// API calls.
func (c *Checker) figures(rep Report) []notify.Field {
	var fs []notify.Field
	srcs := slices.Sorted(maps.Keys(rep.Newest))
	for _, s := range srcs {
		v := "never"
		if at := rep.Newest[s]; !at.IsZero() {
			v = notify.FormatKST(at) + " (" + ago(rep.At.Sub(at)) + " ago)"
		}
		fs = append(fs, notify.Field{Label: string(s) + " newest data", Value: v})
	}
	for _, s := range srcs {
		if q, ok := rep.Quota[s]; ok {
			fs = append(fs, notify.Field{Label: string(s) + " API calls today", Value: fmt.Sprintf("%d of %d", rep.Calls[s], q)})
		}
	}
	if rep.Recovered > 0 {
		fs = append(fs, notify.Field{Label: "failures made good by a later run", Value: fmt.Sprint(rep.Recovered)})
	}
	if rep.RecordsSetAside > 0 {
		fs = append(fs, notify.Field{Label: "single records set aside since " + notify.FormatKST(rep.Since), Value: fmt.Sprint(rep.RecordsSetAside)})
	}
	return fs
}

// classList names the classes of fs, in their first finding's order.
func classList(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		if !slices.Contains(out, f.Class) {
			out = append(out, f.Class)
		}
	}
	return out
}

// count is "1 thing" or "n things".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// short writes a duration without zero minutes and seconds ("3h").
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func inSource(src source.Source) string {
	if src == "" {
		return ""
	}
	return " (" + string(src) + ")"
}

// sourceOf reads the source from a run id (lake.RunID puts it first).
func sourceOf(runID string) source.Source {
	s, _, _ := strings.Cut(runID, "-")
	return source.Source(s)
}

func ago(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}
