package deploy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jobpulse/pkg/cli"
	"jobpulse/pkg/crash"
	"jobpulse/pkg/extract"
	"jobpulse/pkg/load"
	"jobpulse/pkg/transform"
)

// TestNoCrashPointInProduction: nothing in infra/ names a crash point's
// variable (crash.Config), which is for tests and the local stack; the
// jobs also refuse it in Cloud Run.
func TestNoCrashPointInProduction(t *testing.T) {
	vars := cli.EnvVars(&crash.Config{})
	if len(vars) == 0 {
		t.Fatal("crash.Config reads no variable")
	}
	err := filepath.WalkDir(infraDir, func(path string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir // .terraform: providers, not ours
		case d.IsDir() || strings.HasSuffix(path, ".md"):
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, v := range vars {
			if strings.Contains(string(b), v.Name) {
				t.Errorf("%s names %s: crash points are for tests, never for a deployment", path, v.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStopPointsAreDocumented: the README's table of crash points has a
// row for each step of each job, and no other, and STOP_AT's --help text
// names each job's steps.
func TestStopPointsAreDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### Crash points (tests only)\n")
	if !ok {
		t.Fatal("README has no section on crash points")
	}
	section, _, _ = strings.Cut(section, "\n### ")
	jobs := map[string][]string{"extractor": extract.StopPoints, "transformer": transform.StopPoints, "loader": load.StopPoints}
	var rows, want []string
	for _, line := range strings.Split(section, "\n") {
		job, rest, ok := strings.Cut(strings.TrimPrefix(line, "| "), " | `")
		if step, _, found := strings.Cut(rest, "`"); ok && found && jobs[job] != nil {
			rows = append(rows, job+" "+step)
		}
	}
	for job, steps := range jobs {
		for _, s := range steps {
			want = append(want, job+" "+s)
		}
	}
	if !sameSet(rows, want) {
		t.Errorf("README's crash points %v; the jobs have %v", rows, want)
	}
	// --help names them too.
	help := cli.EnvVars(&crash.Config{})[0].Help
	for job, steps := range jobs {
		if s := job + ": " + strings.Join(steps, ", "); !strings.Contains(help, s) {
			t.Errorf("STOP_AT's help %q does not say %q", help, s)
		}
	}
}
