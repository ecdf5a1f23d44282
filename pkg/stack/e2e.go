package stack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"jobpulse/pkg/kst"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/saramin/saramintest"
	"jobpulse/pkg/source"
)

// E2E runs the acceptance scenario: backfill the emulator's whole history,
// one hourly cycle with new postings and one without, the daily trends run
// (with a request that fails and is retried) and the weekly certification
// run, then checks that the warehouse holds exactly one row per posting the
// emulator serves, every keyword and every exam, and that replaying every
// message and re-running the windows change nothing. Along the way the API
// goes down and comes back, Slack goes down during the replay, a batch fails
// its checks, a record is set aside and the health check runs twice; at the
// end it shows what Slack and email received and checks the monitoring
// signals the jobs wrote.
func (s *Stack) E2E(ctx context.Context) error {
	out := s.Opts.Out
	em := s.Saramin
	// Start on an hour whose next hour has changes and whose hour after
	// that has none, so the two cycles cover both cases.
	h, err := em.HourPair(s.Opts.Now)
	if err != nil {
		return err
	}
	s.SetNow(h)
	fmt.Fprintf(out, "emulator: synthetic market, seed %d, clock %s, %d postings visible, history from %s\n",
		s.Opts.Seed, h.Format(time.RFC3339), len(em.IDs(h)), em.HistoryStart().Format(time.DateOnly))
	began := time.Now()

	backfill, err := s.RunCycle(ctx, "backfill", "--from", em.HistoryStart().Add(-24*time.Hour).Format(time.RFC3339), "--to", h.Format(time.RFC3339))
	if err != nil {
		return err
	}
	backfill.Print(out)

	s.SetNow(h.Add(time.Hour))
	hour1, err := s.RunCycle(ctx, "hour+1", "--to", h.Add(time.Hour).Format(time.RFC3339))
	if err != nil {
		return err
	}
	hour1.Print(out)
	if hour1.NothingNew {
		return fmt.Errorf("e2e: the first hourly cycle found nothing, but the emulator changed %d postings in it", em.Changes(h, h.Add(time.Hour)))
	}

	s.SetNow(h.Add(2 * time.Hour))
	hour2, err := s.RunCycle(ctx, "hour+2", "--to", h.Add(2*time.Hour).Format(time.RFC3339))
	if err != nil {
		return err
	}
	hour2.Print(out)
	if !hour2.NothingNew || hour2.Transform.Int("messages") != 0 {
		return fmt.Errorf("e2e: the second hourly cycle should find nothing new and publish nothing")
	}
	if err := s.apiDown(ctx, h.Add(time.Hour), h.Add(2*time.Hour)); err != nil {
		return err
	}
	// The other two indicators, each on its own schedule and watermark.
	day := kst.Midnight(h)
	if err := s.indicators(ctx, day); err != nil {
		return err
	}
	// Everything has recovered: the health check's verdict is the day's
	// all-clear.
	if err := s.health(ctx, "health", true); err != nil {
		return err
	}

	db, err := s.Warehouse()
	if err != nil {
		return err
	}
	ids, err := IDs(ctx, db)
	if err != nil {
		db.Close()
		return err
	}
	rows, hash, err := Fingerprint(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	want := em.IDs(h.Add(2 * time.Hour))
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		return fmt.Errorf("e2e: core.recruit holds %d ids, the emulator serves %d: %s", len(ids), len(want), diff(ids, want))
	}
	fmt.Fprintf(out, "core.recruit: %d rows, exactly one per posting the emulator serves\n", rows)

	// Replays: every message again, then the first hour's window again.
	n1, err := s.Local.Replay(RawSubscription, began.Add(-time.Minute))
	if err != nil {
		return err
	}
	n2, err := s.Local.Replay(CleanSubscription, began.Add(-time.Minute))
	if err != nil {
		return err
	}
	// Slack is down during the replay: the pipeline goes on, and says so
	// in its logs (alert=notify_failed).
	s.Notices.SetFault(notifytest.Fault500)
	replay, err := s.RunCycle(ctx, "replay", "--from", h.Format(time.RFC3339), "--to", h.Add(time.Hour).Format(time.RFC3339))
	s.Notices.SetFault(notifytest.FaultNone)
	if err != nil {
		return err
	}
	replay.Print(out)
	if err := webhookDown(out, replay); err != nil {
		return err
	}
	if err := s.rerunIndicators(ctx, day); err != nil {
		return err
	}
	db, err = s.Warehouse()
	if err != nil {
		return err
	}
	rows2, hash2, err := Fingerprint(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	if rows2 != rows || hash2 != hash {
		return fmt.Errorf("e2e: replaying %d messages and re-running the windows changed the external or core tables (core.recruit %d rows -> %d)", n1+n2, rows, rows2)
	}
	fmt.Fprintf(out, "replayed %d raw and %d clean messages, re-ran the postings window %s, the trends window and the certification week: external and core tables unchanged\n", n1, n2, h.Format("2006-01-02 15:04"))
	// A broken row: the API sends a region code no code table holds. The
	// batch is stopped by a check and quarantined; the next batch loads.
	if err := em.InjectFault(saramintest.Fault{Kind: saramintest.FaultBrokenRecord, Drift: saramintest.BrokenUnknownRegion, Count: 2}); err != nil {
		return err
	}
	window := []string{"--from", h.Add(-2 * time.Hour).Format(time.RFC3339), "--to", h.Add(time.Hour).Format(time.RFC3339)}
	broken, err := s.RunCycle(ctx, "broken", window...)
	if err != nil {
		return err
	}
	if broken.Load.Int("quarantined") != 1 {
		return fmt.Errorf("e2e: a batch with an unknown region code was not quarantined by the checks")
	}
	fmt.Fprintf(out, "%-10s a batch with region code %s: stopped by the checks and quarantined\n", "broken", saramintest.UnknownRegionCode)
	// The API sends a posting without an id: the transformer sets the
	// record aside, the rest of the batch loads.
	if err := em.InjectFault(saramintest.Fault{Kind: saramintest.FaultBrokenRecord, Count: 2}); err != nil {
		return err
	}
	good, err := s.RunCycle(ctx, "good", window...)
	if err != nil {
		return err
	}
	good.Print(out)
	if good.Load.Int("quarantined") != 0 || good.Quarantined != 1 {
		return fmt.Errorf("e2e: the batch after a quarantined one did not load, or its record without an id was not set aside (%d)", good.Quarantined)
	}
	db, err = s.Warehouse()
	if err != nil {
		return err
	}
	rows3, hash3, err := Fingerprint(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	if rows3 != rows || hash3 != hash {
		return fmt.Errorf("e2e: the quarantined batch changed the warehouse")
	}
	// The whole-warehouse check, as Cloud Scheduler runs it every 3 hours.
	chk, err := s.Runner.Run(ctx, "check", Loader, "--check")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-10s whole-warehouse checks: %d passed, %d failed\n", "check", chk.Int("passed"), chk.Int("failed"))
	if err := s.sweeps(ctx); err != nil {
		return err
	}
	// The quarantined batch is in the health check's period.
	if err := s.health(ctx, "health-2", false); err != nil {
		return err
	}
	if err := s.reportRuns(ctx); err != nil {
		return err
	}
	if err := s.reportSignals(); err != nil {
		return err
	}
	if err := s.reportNotices(fmt.Sprint(hour1.Extract.Summary["run_id"])); err != nil {
		return err
	}
	if err := s.driftAndRecover(ctx, h.Add(2*time.Hour)); err != nil {
		return err
	}
	fmt.Fprintf(out, "e2e passed in %s\n", time.Since(began).Round(time.Millisecond))
	return nil
}

// driftAndRecover drives every drift kind the emulator has through one
// hourly cycle each, prints what each did, lets the API recover, and
// checks that the warehouse then holds exactly what the API serves.
func (s *Stack) driftAndRecover(ctx context.Context, after time.Time) error {
	out := s.Opts.Out
	kinds := saramintest.DriftKinds()
	told := len(s.Notices.Messages())
	fmt.Fprintf(out, "%-10s %d kinds of drifted answer, one hourly cycle each:\n", "drift", len(kinds))
	rs, last, err := s.Drift(ctx, after, kinds)
	PrintDrift(out, rs)
	if err != nil {
		return fmt.Errorf("e2e: %w", err)
	}
	n := map[string]int{}
	for _, r := range rs {
		n[r.Outcome]++
	}
	// Each kind of drift absorbed is told once: one message per kind the
	// parser named, however many cycles it showed up in.
	var drifts []string
	for _, m := range s.Notices.Messages()[told:] {
		if title, _, _ := strings.Cut(m.Text, "\n"); strings.Contains(title, "API answers changed shape") {
			drifts = append(drifts, title)
		}
	}
	if n[Absorbed] > 0 && len(drifts) == 0 {
		return fmt.Errorf("e2e: %d kinds of drift absorbed, and nobody was told", n[Absorbed])
	}
	if dup := len(drifts) - len(slices.Compact(slices.Sorted(slices.Values(drifts)))); dup > 0 {
		return fmt.Errorf("e2e: %d drift messages repeat one already sent the same day", dup)
	}
	if len(drifts) > 0 {
		fmt.Fprintf(out, "%-10s Slack received %d drift messages, one per kind the parser named, e.g. %q\n", "drift", len(drifts), drifts[0])
	}
	rec, cmp, err := s.Recover(ctx, last)
	if err != nil {
		return fmt.Errorf("e2e: %w", err)
	}
	rec.Print(out)
	if !cmp.OK() {
		return fmt.Errorf("e2e: after the API recovered: %s", cmp)
	}
	fmt.Fprintf(out, "%-10s %d absorbed, %d quarantined, %d failed; after the API recovered: %s\n", "drift", n[Absorbed], n[Quarantined], n[Failed], cmp)
	return nil
}

// sweeps runs the transformer's and the loader's 10-minute sweeps with
// nothing waiting: each looks at its subscription and leaves, draining
// nothing and recording no run.
func (s *Stack) sweeps(ctx context.Context) error {
	runs := func() (int, error) {
		page, err := s.Local.GCS.ListObjectsWithOptionsPaginated(s.Local.Bucket, fakestorage.ListOptions{Prefix: ops.Prefix})
		return len(page.Objects), err
	}
	before, err := runs()
	if err != nil {
		return fmt.Errorf("e2e: run records: %w", err)
	}
	var took []string
	for _, job := range []string{Transformer, Loader} {
		ex, err := s.Runner.Run(ctx, "sweep", job, "--sweep")
		if err != nil {
			return err
		}
		if ex.Summary != nil {
			return fmt.Errorf("e2e: %s --sweep with nothing waiting drained the subscription", job)
		}
		// A loader that did not load must not count as one that did.
		if log, err := os.ReadFile(ex.LogFile); job == Loader && (err != nil || !strings.Contains(string(log), `"heartbeat":"loader-idle"`)) {
			return fmt.Errorf("e2e: loader --sweep with nothing waiting did not end as loader-idle (%v)", err)
		}
		took = append(took, fmt.Sprintf("%s %s", job, ex.Duration.Round(10*time.Millisecond)))
	}
	if after, err := runs(); err != nil || after != before {
		return fmt.Errorf("e2e: the sweeps with nothing waiting recorded runs: %d records, then %d (%v)", before, after, err)
	}
	fmt.Fprintf(s.Opts.Out, "%-10s the 10-minute sweeps with nothing waiting looked and left, recording nothing (%s)\n", "sweep", strings.Join(took, ", "))
	return nil
}

func diff(got, want []string) string {
	g := map[string]bool{}
	for _, id := range got {
		g[id] = true
	}
	var missing []string
	for _, id := range want {
		if !g[id] {
			missing = append(missing, id)
		}
		delete(g, id)
	}
	extra := len(g)
	if len(missing) > 5 {
		missing = missing[:5]
	}
	return fmt.Sprintf("missing e.g. %v, %d unexpected", missing, extra)
}

// Demo backfills, then runs one hourly cycle every interval with the
// emulator's clock one hour further each time, until ctx ends.
func (s *Stack) Demo(ctx context.Context, interval time.Duration) error {
	out := s.Opts.Out
	em := s.Saramin
	h := s.Opts.Now.Truncate(time.Hour)
	s.SetNow(h)
	fmt.Fprintf(out, "Saramin emulator at %s serving a synthetic market (clock: %s, one simulated hour every %s)\n", em.URL, h.Format(time.RFC3339), interval)
	c, err := s.RunCycle(ctx, "backfill", "--from", em.HistoryStart().Add(-24*time.Hour).Format(time.RFC3339), "--to", h.Format(time.RFC3339))
	if err != nil {
		return err
	}
	c.Print(out)
	// Search interest (daily) and certifications (weekly), once.
	for _, src := range []source.Source{source.Trends, source.Cert} {
		ic, err := s.RunSource(ctx, string(src), src, "--to="+kst.Midnight(h).Format(time.RFC3339))
		if err != nil {
			return err
		}
		if ic.ExtractErr != nil {
			fmt.Fprintf(out, "%-10s failed: %v\n", src, ic.ExtractErr)
			continue
		}
		fmt.Fprintf(out, "%-10s %d rows loaded\n", src, ic.Staged)
	}
	if err := s.serveDashboard(ctx); err != nil {
		return err
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for i := 1; ; i++ {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		h = h.Add(time.Hour)
		s.SetNow(h)
		c, err := s.RunCycle(ctx, fmt.Sprintf("cycle-%04d", i%10000), "--to", h.Format(time.RFC3339))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			fmt.Fprintf(out, "cycle %d failed: %v\n", i, err)
			continue
		}
		fmt.Fprintf(out, "[%s] ", h.In(kst.Zone).Format("01-02 15:04 KST"))
		c.Print(out)
		// The health check, every 3 (simulated) hours as scheduled.
		if i%3 == 0 {
			s.demoHealth(ctx, fmt.Sprintf("cycle-%04d", i%10000))
		}
		// Keep the logs of the last keepCycles cycles only: a demo left
		// running must not fill the disk.
		if i > keepCycles {
			old, _ := filepath.Glob(filepath.Join(s.Runner.LogDir, fmt.Sprintf("cycle-%04d-*.log", (i-keepCycles)%10000)))
			for _, f := range old {
				_ = os.Remove(f)
			}
		}
	}
}

// keepCycles bounds the demo's log files.
const keepCycles = 50

// reportRuns prints ops.runs by job and status, and checks that every job
// execution of the scenario left its record (the last loader execution
// gathers them all, its own included).
func (s *Stack) reportRuns(ctx context.Context) error {
	db, err := s.Warehouse()
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT job, status, count(*) FROM ops.runs GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		return fmt.Errorf("e2e: ops.runs: %w", err)
	}
	defer rows.Close()
	perJob := map[string]int{}
	var parts []string
	for rows.Next() {
		var job, status string
		var n int
		if err := rows.Scan(&job, &status, &n); err != nil {
			return err
		}
		perJob[job] += n
		parts = append(parts, fmt.Sprintf("%s %s %d", job, status, n))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	fmt.Fprintf(s.Opts.Out, "ops.runs: %s\n", strings.Join(parts, ", "))
	var roles string
	if err := db.QueryRowContext(ctx, `SELECT coalesce(string_agg(role || ' ' || n, ', ' ORDER BY role), '') FROM (SELECT role, count(*) AS n FROM core.datajob GROUP BY role)`).Scan(&roles); err != nil {
		return fmt.Errorf("e2e: core.datajob: %w", err)
	}
	fmt.Fprintf(s.Opts.Out, "core.datajob: %s\n", roles)
	for _, job := range []string{Extractor, Transformer, Loader} {
		if perJob[job] < 6 {
			return fmt.Errorf("e2e: ops.runs has %d %s executions, want 6", perJob[job], job)
		}
	}
	var quarantined int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM ops.runs WHERE job = 'loader' AND status = 'quarantined' AND checks_failed > 0`).Scan(&quarantined); err != nil {
		return fmt.Errorf("e2e: ops.runs: %w", err)
	}
	if quarantined != 1 {
		return fmt.Errorf("e2e: ops.runs records %d quarantined loader runs, want 1", quarantined)
	}
	return nil
}
