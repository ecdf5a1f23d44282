package ops_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"jobpulse/pkg/ops"
)

// TestSignalsAreDocumented keeps the README's table of monitoring signals,
// which the deployment's policies follow, true to ops.Signals.
func TestSignalsAreDocumented(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range ops.Signals {
		if seen[s.Name] {
			t.Errorf("signal %s listed twice", s.Name)
		}
		seen[s.Name] = true
		row := "| `" + s.Name + "` | `" + s.Filter() + "` |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row for %s: %s", s.Name, row)
		}
	}
	if n := strings.Count(string(readme), "| `jsonPayload."); n != len(ops.Signals) {
		t.Errorf("README lists %d signals; ops.Signals has %d", n, len(ops.Signals))
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{ops.ExecuteCommand("loader"), "gcloud run jobs execute jobpulse-loader"},
		{ops.ExecuteCommand("extractor", "--source=trends", "--from=2026-11-01T00:00:00Z"), "gcloud run jobs execute jobpulse-extractor --args=--source=trends,--from=2026-11-01T00:00:00Z"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q; want %q", tc.got, tc.want)
		}
	}
}

func TestSteps(t *testing.T) {
	t.Parallel()
	base := errors.New("boom")
	tests := []struct {
		err  error
		want string
	}{
		{base, "load"},
		{ops.InStep("fetch", base), "fetch"},
		{fmt.Errorf("extract r1: %w", ops.InStep("fetch", base)), "fetch"},
		{ops.InStep("announce", ops.InStep("land", base)), "land"}, // the innermost step wins
	}
	for _, tc := range tests {
		if got := ops.StepOf(tc.err, "load"); got != tc.want || !errors.Is(tc.err, base) {
			t.Errorf("StepOf(%v) = %q; want %q", tc.err, got, tc.want)
		}
	}
	if ops.InStep("x", nil) != nil {
		t.Error("InStep(nil) is not nil")
	}
}
