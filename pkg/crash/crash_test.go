package crash

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestHook(t *testing.T) {
	t.Parallel()
	steps := []string{BeforeLoad, AfterCommit}
	local := func(string) string { return "" }
	cloudRun := func(k string) string {
		if k == "CLOUD_RUN_JOB" {
			return "jobpulse-loader"
		}
		return ""
	}
	tests := []struct {
		name    string
		stopAt  string
		getenv  func(string) string
		wantNil bool
		wantErr []string
	}{
		{name: "unset", stopAt: "", getenv: local, wantNil: true},
		{name: "unset in Cloud Run", stopAt: "", getenv: cloudRun, wantNil: true},
		{name: "a step of the job", stopAt: AfterCommit, getenv: local},
		{name: "a step the job lacks", stopAt: AfterPublish, getenv: local, wantErr: []string{`STOP_AT="after-publish"`, "loader", "before-load, after-commit"}},
		{name: "a typo", stopAt: "after_commit", getenv: local, wantErr: []string{"after_commit", "before-load, after-commit"}},
		{name: "in Cloud Run", stopAt: AfterCommit, getenv: cloudRun, wantErr: []string{"STOP_AT", "Cloud Run", "jobpulse-loader"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Config{StopAt: tt.stopAt}.Hook("loader", steps, tt.getenv, nil)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("STOP_AT=%q: no error", tt.stopAt)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				return
			}
			if err != nil || (h == nil) != tt.wantNil {
				t.Fatalf("Hook = %v, %v; want nil hook %v and no error", h != nil, err, tt.wantNil)
			}
		})
	}
}

func TestExitAtStopsOnlyAtItsStep(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	var codes []int
	h := exitAt(AfterCommit, slog.New(slog.NewTextHandler(&logs, nil)), func(c int) { codes = append(codes, c) })
	h.At(BeforeLoad)
	if len(codes) != 0 || logs.Len() != 0 {
		t.Fatalf("another step stopped the job: exits %v, log %q", codes, logs.String())
	}
	h.At(AfterCommit)
	if fmt.Sprint(codes) != "[86]" || !strings.Contains(logs.String(), `"stopped at after-commit (STOP_AT)"`) {
		t.Fatalf("exits %v, log %q; want one exit with 86 and the stop logged", codes, logs.String())
	}
	var none Hook
	none.At(AfterCommit) // a job without a hook goes on
}

func TestPanicAtAndCatch(t *testing.T) {
	t.Parallel()
	after := false
	step := Catch(func() {
		h := PanicAt(AfterPublish)
		h.At(BeforeLoad)
		h.At(AfterPublish)
		after = true
	})
	if step != AfterPublish || after {
		t.Fatalf("Catch = %q, ran on: %v; want stopped at after-publish", step, after)
	}
	if step := Catch(func() {}); step != "" {
		t.Fatalf("Catch of a run to its end = %q", step)
	}
	defer func() {
		if r := recover(); !errors.Is(r.(error), errOther) {
			t.Fatalf("recovered %v; want the other panic to go on", r)
		}
	}()
	Catch(func() { panic(errOther) })
}

var errOther = errors.New("another panic")

// TestStopIsAKill runs the hook STOP_AT builds in a process of its own:
// the process ends with ExitCode and the stop's log line, and neither the
// code after the step nor a deferred function runs.
func TestStopIsAKill(t *testing.T) {
	if os.Getenv("CRASH_TEST_CHILD") == "1" {
		h, err := Config{StopAt: os.Getenv("STOP_AT")}.Hook("transformer", []string{AfterPublish}, func(string) string { return "" },
			slog.New(slog.NewTextHandler(os.Stderr, nil)))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		defer fmt.Fprintln(os.Stderr, "deferred function ran")
		h.At(AfterPublish)
		fmt.Fprintln(os.Stderr, "went on past the step")
		return
	}
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStopIsAKill$")
	cmd.Env = append(os.Environ(), "CRASH_TEST_CHILD=1", "STOP_AT="+AfterPublish)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != ExitCode {
		t.Fatalf("child: %v; want exit code %d\n%s", err, ExitCode, stderr.String())
	}
	out := stderr.String()
	if !strings.Contains(out, "stopped at after-publish (STOP_AT)") {
		t.Errorf("no stop line in the child's log:\n%s", out)
	}
	for _, never := range []string{"went on past the step", "deferred function ran"} {
		if strings.Contains(out, never) {
			t.Errorf("the child %s:\n%s", never, out)
		}
	}
}
