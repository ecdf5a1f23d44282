package stack_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/crash"
	"jobpulse/pkg/stack"
)

// binDir holds the job binaries once built; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// jobBinaries builds the three job binaries once for the package's tests.
var jobBinaries = sync.OnceValues(func() (string, error) {
	bin, err := os.MkdirTemp("", "jobpulse-stack-bin-")
	if err != nil {
		return "", err
	}
	binDir = bin
	root, err := filepath.Abs("../..")
	if err != nil {
		return "", err
	}
	build := exec.Command("go", "build", "-o", bin+"/", "./services/extractor", "./services/transformer", "./services/loader")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build: %v\n%s", err, out)
	}
	return bin, nil
})

// buildJobs returns the directory of the job binaries, built once.
func buildJobs(t *testing.T) string {
	t.Helper()
	bin, err := jobBinaries()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestBinariesEndToEnd builds the three job binaries and runs the e2e
// scenario with them as separate processes against the local stack: a
// backfill, an hour with changes, an empty hour, a replay of every message
// and a re-run of a window, checked against the emulator.
func TestBinariesEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the job binaries")
	}
	t.Parallel()
	ctx := context.Background()
	bin := buildJobs(t)
	for _, job := range []string{stack.Extractor, stack.Transformer, stack.Loader} {
		var help bytes.Buffer
		cmd := exec.Command(filepath.Join(bin, job), "--help")
		cmd.Stderr = &help
		if err := cmd.Run(); err != nil || !strings.Contains(help.String(), "GOOGLE_CLOUD_PROJECT") {
			t.Fatalf("%s --help: %v\n%s", job, err, help.String())
		}
	}

	var out bytes.Buffer
	dir := t.TempDir()
	s, err := stack.Start(ctx, stack.Options{
		Dir: dir, Bin: bin, Seed: 3, Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
		HistoryDays: 365, Scale: 0.1, Out: &out,
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.E2E(ctx); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"backfill", "hour+1", "no new postings", "exactly one per posting", "core tables unchanged", "kinds of drifted answer", "after the API recovered"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("e2e output lacks %q:\n%s", want, out.String())
		}
	}
	logs, err := os.ReadDir(filepath.Join(dir, "logs"))
	if err != nil || len(logs) < 12 {
		t.Errorf("want a log file per job execution, got %d (%v)", len(logs), err)
	}
	t.Log(out.String())
}

// TestKilledJobsMessagesComeBack runs each job's binary against a stack
// whose subscriptions have a 2 s ack deadline and stops it at each crash
// point with STOP_AT, as if it were killed there. The extractor stopped
// after publishing has not moved its watermark, so its next run announces
// the window again; the transformer's and the loader's messages, neither
// acknowledged nor handed back, are delivered again to their next
// executions, which are run until they have them (the minute only guards
// against a hang). The warehouse then holds each posting once.
func TestKilledJobsMessagesComeBack(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the job binaries")
	}
	t.Parallel()
	ctx := context.Background()
	bin := buildJobs(t)
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	s, err := stack.Start(ctx, stack.Options{Dir: t.TempDir(), Bin: bin, Seed: 5, Now: now, HistoryDays: 365, Scale: 0.1, AckDeadline: 2 * time.Second, Out: io.Discard}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.Runner.Env["DRAIN_ACK_DEADLINE"]; got != "2s" {
		t.Errorf("DRAIN_ACK_DEADLINE=%s; want the subscriptions' 2s, or the drains would hold messages longer", got)
	}
	to := "--to=" + now.Format(time.RFC3339)
	r := s.Runner

	if _, err := r.Stop(ctx, "stopped", stack.Extractor, crash.AfterPublish, to); err != nil {
		t.Fatal(err)
	}
	x, err := r.Run(ctx, "again", stack.Extractor, to)
	if err != nil {
		t.Fatal(err)
	}
	want := s.Saramin.IDs(now)
	if x.Bool("nothing_new") || x.Int("postings") != len(want) {
		t.Fatalf("the extractor after its stop: %v; want the window (%d postings) again: the watermark did not move", x.Summary, len(want))
	}

	// Two raw batches wait; the stopped transformer announces the first.
	if _, err := r.Stop(ctx, "stopped", stack.Transformer, crash.AfterPublish); err != nil {
		t.Fatal(err)
	}
	if n := untilHandled(t, r, stack.Transformer, 2); n != 2 {
		t.Fatalf("the transformers after the stop handled %d raw batches; want both again", n)
	}
	// Three clean batches wait; the stopped loader commits the first.
	stopped, err := r.Stop(ctx, "stopped", stack.Loader, crash.AfterCommit)
	if err != nil {
		t.Fatal(err)
	}
	if log, err := os.ReadFile(stopped.LogFile); err != nil || !bytes.Contains(log, []byte(`"message":"batch started"`)) {
		t.Errorf("the stopped loader's log has no batch started line (%v)", err)
	}
	if n := untilHandled(t, r, stack.Loader, 3); n != 3 {
		t.Fatalf("the loaders after the stop handled %d clean batches; want all three again", n)
	}

	db, err := s.Warehouse()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids, err := stack.IDs(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Fatalf("core.recruit holds %d ids; want the %d the emulator serves, each once", len(ids), len(want))
	}
}

// untilHandled runs job until its executions together have handled want
// messages, or a minute has passed, and returns how many they handled.
func untilHandled(t *testing.T, r *stack.Runner, job string, want int) int {
	t.Helper()
	n := 0
	for i, guard := 0, time.Now().Add(time.Minute); n < want && time.Now().Before(guard); i++ {
		ex, err := r.Run(context.Background(), fmt.Sprint("again-", i), job)
		if err != nil {
			t.Fatal(err)
		}
		n += ex.Int("messages")
	}
	return n
}

// TestAckDeadline: the jobs' subscriptions take the stack's ack deadline
// (10 min, as in GCP, when none is given); one Pub/Sub could not keep is
// refused before anything starts.
func TestAckDeadline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ack, want time.Duration
		bad       bool
	}{
		{ack: 0, want: 10 * time.Minute},
		{ack: 2 * time.Second, want: 2 * time.Second},
		{ack: 10 * time.Minute, want: 10 * time.Minute},
		{ack: 500 * time.Millisecond, bad: true},
		{ack: 1500 * time.Millisecond, bad: true},
		{ack: 11 * time.Minute, bad: true},
	} {
		o := stack.Options{Dir: t.TempDir(), AckDeadline: tc.ack}
		if tc.bad {
			if _, err := stack.Start(context.Background(), o, true); err == nil || !strings.Contains(err.Error(), "ack deadline") {
				t.Errorf("AckDeadline %s: Start = %v; want it refused", tc.ack, err)
			}
			continue
		}
		for _, s := range o.Topology().Subscriptions {
			want := tc.want
			if s.ID == stack.DeadLetterSubscription {
				want = time.Minute // nothing drains it
			}
			if s.AckDeadline != want {
				t.Errorf("AckDeadline %s: subscription %s has %s; want %s", tc.ack, s.ID, s.AckDeadline, want)
			}
		}
	}
}

// TestSoakEveryFault runs a short soak that meets every fault once (every
// other hour), and checks its verdict; then it damages the warehouse and
// checks that the comparison with the emulator's truth sees it.
func TestSoakEveryFault(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the job binaries")
	}
	t.Parallel()
	ctx := context.Background()
	var out bytes.Buffer
	s, err := stack.Start(ctx, stack.Options{Dir: t.TempDir(), Bin: buildJobs(t), Seed: 11, Now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
		HistoryDays: 365, Scale: 0.1, AckDeadline: 2 * time.Second, Out: &out}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hours := 2 * len(stack.SoakFaults())
	rep, err := s.Soak(ctx, stack.SoakOptions{Hours: hours, EveryFault: true, Seed: 3})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	rep.Print(s)
	t.Log(out.String())
	for _, f := range stack.SoakFaults() {
		if rep.Faults[f] != 1 {
			t.Errorf("fault %s met %d times, want once", f, rep.Faults[f])
		}
	}
	if !rep.OK() || rep.Comparison.Served == 0 || rep.ReplayMessages == 0 {
		t.Fatalf("soak: %+v", rep.Comparison)
	}

	// A row lost and a row left stale are seen.
	db, err := sql.Open("duckdb", s.Opts.DuckDBPath())
	if err != nil {
		t.Fatal(err)
	}
	ids, err := stack.IDs(ctx, db)
	if err != nil || len(ids) < 2 {
		t.Fatalf("ids: %d (%v)", len(ids), err)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM core.recruit WHERE id = ?`, ids[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE core.recruit SET modified_at = modified_at - INTERVAL 1 HOUR WHERE id = ?`, ids[1]); err != nil {
		t.Fatal(err)
	}
	db.Close()
	cmp, err := s.Compare(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.OK() || !slices.Equal(cmp.Lost, ids[:1]) || !slices.Equal(cmp.Stale, ids[1:2]) {
		t.Errorf("after deleting %s and aging %s: %s", ids[0], ids[1], cmp)
	}
}
