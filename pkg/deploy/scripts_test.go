package deploy_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// script runs scripts/NAME with args and returns its output and exit code.
func script(t *testing.T, name string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command("bash", append([]string{filepath.Join("..", "..", "scripts", name)}, args...)...)
	cmd.Env = []string{"PATH=/usr/bin:/bin"} // no gcloud needed, no project from the environment
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out.String(), errb.String(), code
}

func TestDryRuns(t *testing.T) {
	tests := []struct {
		name   string
		script string
		args   []string
		want   []string // the commands, one a line
	}{
		{
			name: "replay the loader's messages since a time", script: "replay.sh",
			args: []string{"--subscription", "jobpulse-loader", "--time", "2026-11-25T00:00:00Z", "--project", "jp-prod", "--dry-run"},
			want: []string{
				"replay: every message published to jobpulse-loader's topic since 2026-11-25T09:00:00+09:00 (2026-11-25T00:00:00Z) is delivered again",
				"gcloud pubsub subscriptions seek jobpulse-loader --time=2026-11-25T09:00:00+09:00 --project=jp-prod",
				"gcloud run jobs execute jobpulse-loader --region=asia-northeast3 --wait --project=jp-prod",
			},
		},
		{
			name: "replay the transformer's from a snapshot", script: "replay.sh",
			args: []string{"--subscription", "jobpulse-transformer", "--snapshot", "before-fix", "--region", "us-central1", "--dry-run"},
			want: []string{
				"gcloud pubsub subscriptions seek jobpulse-transformer --snapshot=before-fix",
				"gcloud run jobs execute jobpulse-transformer --region=us-central1 --wait",
			},
		},
		{
			name: "deploy a commit", script: "deploy.sh",
			args: []string{"--project", "jp-prod", "--alert-email", "oncall@example.com", "--tag", "abc123", "--dry-run"},
			want: []string{
				"gcloud services enable run.googleapis.com cloudscheduler.googleapis.com pubsub.googleapis.com bigquery.googleapis.com secretmanager.googleapis.com workflows.googleapis.com workflowexecutions.googleapis.com eventarc.googleapis.com artifactregistry.googleapis.com monitoring.googleapis.com logging.googleapis.com iam.googleapis.com cloudresourcemanager.googleapis.com --project=jp-prod",
				"gcloud artifacts repositories create jobpulse --repository-format=docker --location=asia-northeast3 --project=jp-prod",
				"gcloud auth configure-docker asia-northeast3-docker.pkg.dev --quiet",
				"make images REPO=asia-northeast3-docker.pkg.dev/jp-prod/jobpulse TAG=abc123",
				"go run github.com/google/go-containerregistry/cmd/crane@v0.22.1 push bin/images/extractor.tar asia-northeast3-docker.pkg.dev/jp-prod/jobpulse/extractor:abc123",
				"go run github.com/google/go-containerregistry/cmd/crane@v0.22.1 push bin/images/transformer.tar asia-northeast3-docker.pkg.dev/jp-prod/jobpulse/transformer:abc123",
				"go run github.com/google/go-containerregistry/cmd/crane@v0.22.1 push bin/images/loader.tar asia-northeast3-docker.pkg.dev/jp-prod/jobpulse/loader:abc123",
				"go run github.com/google/go-containerregistry/cmd/crane@v0.22.1 push bin/images/dashboard.tar asia-northeast3-docker.pkg.dev/jp-prod/jobpulse/dashboard:abc123",
				"scripts/terraform.sh -chdir=infra init -input=false",
				"scripts/terraform.sh -chdir=infra apply -input=false -auto-approve -target=google_secret_manager_secret.secret -var=project_id=jp-prod -var=region=asia-northeast3 -var=image_repository=asia-northeast3-docker.pkg.dev/jp-prod/jobpulse -var=image_tag=abc123 -var=alert_email=oncall@example.com",
				"scripts/terraform.sh -chdir=infra apply -input=false -var=project_id=jp-prod -var=region=asia-northeast3 -var=image_repository=asia-northeast3-docker.pkg.dev/jp-prod/jobpulse -var=image_tag=abc123 -var=alert_email=oncall@example.com",
				"scripts/terraform.sh -chdir=infra output -raw dashboard_url",
			},
		},
		{
			name: "backfill a month of postings", script: "backfill.sh",
			args: []string{"--from", "2026-10-01", "--to", "2026-11-01", "--project", "jp-prod", "--dry-run"},
			// A bare date is midnight KST, handed on with its offset.
			want: []string{
				"backfill: saramin from 2026-10-01T00:00:00+09:00 (2026-09-30T15:00:00Z) to 2026-11-01T00:00:00+09:00 (2026-10-31T15:00:00Z)",
				"gcloud run jobs execute jobpulse-extractor --region=asia-northeast3 --wait --args=--source=saramin,--from=2026-10-01T00:00:00+09:00,--to=2026-11-01T00:00:00+09:00 --project=jp-prod",
			},
		},
		{
			name: "backfill the trends window", script: "backfill.sh",
			args: []string{"--source", "trends", "--from", "2021-11-25T00:00:00+09:00", "--to", "2026-11-25T00:00:00+09:00", "--dry-run"},
			want: []string{
				"backfill: trends from 2021-11-25T00:00:00+09:00 (2021-11-24T15:00:00Z) to 2026-11-25T00:00:00+09:00 (2026-11-24T15:00:00Z)",
				"gcloud run jobs execute jobpulse-extractor --region=asia-northeast3 --wait --args=--source=trends,--from=2021-11-25T00:00:00+09:00,--to=2026-11-25T00:00:00+09:00",
			},
		},
		{
			name: "replay since a KST time without an offset, and since a UTC one", script: "replay.sh",
			args: []string{"--subscription", "jobpulse-transformer", "--time", "2026-11-25T09:30", "--dry-run"},
			want: []string{
				"replay: every message published to jobpulse-transformer's topic since 2026-11-25T09:30:00+09:00 (2026-11-25T00:30:00Z) is delivered again",
				"gcloud pubsub subscriptions seek jobpulse-transformer --time=2026-11-25T09:30:00+09:00",
				"gcloud run jobs execute jobpulse-transformer --region=asia-northeast3 --wait",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := script(t, tc.script, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if got := strings.TrimSpace(out); got != strings.Join(tc.want, "\n") {
				t.Errorf("commands:\n%s\nwant:\n%s", got, strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestBadArguments(t *testing.T) {
	tests := []struct {
		script string
		args   []string
		says   string
	}{
		{"replay.sh", []string{"--dry-run"}, "--subscription is required"},
		{"replay.sh", []string{"--subscription", "jobpulse-raw", "--time", "2026-11-25T00:00:00Z"}, "want jobpulse-transformer or jobpulse-loader"},
		{"replay.sh", []string{"--subscription", "jobpulse-loader"}, "--time or --snapshot is required"},
		{"replay.sh", []string{"--subscription", "jobpulse-loader", "--time", "t", "--snapshot", "s"}, "not both"},
		{"replay.sh", []string{"--subscription", "jobpulse-loader", "--time", "yesterday"}, "KST unless it has an offset"},
		{"backfill.sh", []string{"--from", "2026-11-01"}, "--to is required"},
		{"backfill.sh", []string{"--from", "2026-11-02", "--to", "2026-11-01"}, "is not before"},
		{"backfill.sh", []string{"--from", "2026-11-01", "--to", "2026-11-02", "--source", "x"}, "want saramin, trends or cert"},
		{"backfill.sh", []string{"--window", "1d"}, "unknown option --window"},
		{"backfill.sh", []string{"--to", "2026-11-02", "--from"}, "--from needs a value"},
		// 01:00Z is before 02:00Z, whatever the text says.
		{"backfill.sh", []string{"--from", "2026-11-01T02:00:00Z", "--to", "2026-11-01T10:00:00+09:00"}, "is not before"},
		{"replay.sh", []string{"--subscription"}, "--subscription needs a value"},
		{"deploy.sh", []string{"--project", "p", "--region"}, "--region needs a value"},
		{"deploy.sh", []string{"--alert-email", "a@b.c"}, "--project is required"},
		{"deploy.sh", []string{"--project", "p"}, "--alert-email is required"},
		{"deploy.sh", []string{"--project", "p", "--alert-email", "nobody"}, "want an email address"},
	}
	for _, tc := range tests {
		out, errs, code := script(t, tc.script, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.says) || out != "" {
			t.Errorf("%s %v: exit %d, stdout %q, stderr %q; want exit 2 saying %q and no command", tc.script, tc.args, code, out, errs, tc.says)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, name := range []string{"replay.sh", "backfill.sh", "deploy.sh"} {
		out, _, code := script(t, name, "--help")
		if code != 0 || !strings.Contains(out, "Usage: scripts/"+name) || !strings.Contains(out, "--dry-run") {
			t.Errorf("%s --help: exit %d\n%s", name, code, out)
		}
	}
}
