package stack_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/stack"
)

// TestBinariesEndToEnd builds the three job binaries and runs the e2e
// scenario with them as separate processes against the local stack: a
// backfill, an hour with changes, an empty hour, a replay of every message
// and a re-run of a window, checked against the emulator.
func TestBinariesEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the job binaries")
	}
	ctx := context.Background()
	bin := t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	build := exec.CommandContext(ctx, "go", "build", "-o", bin+"/", "./services/extractor", "./services/transformer", "./services/loader")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
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
