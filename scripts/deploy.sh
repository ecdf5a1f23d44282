#!/usr/bin/env bash
# Deploys jobpulse to a GCP project: enables the APIs, builds the images
# (no Docker), pushes them to Artifact Registry and applies infra/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

usage() {
	cat <<'USAGE'
Usage: scripts/deploy.sh --project ID --alert-email ADDRESS
                         [--region REGION] [--tag TAG] [--dry-run]

Enables the APIs, creates the Artifact Registry repository "jobpulse" if
missing, builds the images of the jobs and the dashboard (make images),
pushes them with crane, applies the Terraform in infra/ and prints the
dashboard's URL.

  --project      GCP project (required)
  --alert-email  address Cloud Monitoring's alerts go to (required)
  --region       region of everything (default: asia-northeast3)
  --tag          image tag (default: the commit, git rev-parse --short HEAD)
  --dry-run      print the commands instead of running them
USAGE
}

project="" email="" tag=""
while [ $# -gt 0 ]; do
	case "$1" in
	--alert-email) value "$@"; email=$2; shift 2 ;;
	--tag) value "$@"; tag=$2; shift 2 ;;
	*) common_opt "$@"; shift "$SHIFT" ;;
	esac
done
need --project "$project"
need --alert-email "$email"
[[ "$email" == *@* ]] || die "--alert-email $email: want an email address"
if [ -z "$tag" ]; then
	tag=$(git rev-parse --short HEAD 2>/dev/null) || die "--tag is required outside a git checkout"
fi
repo="$region-docker.pkg.dev/$project/jobpulse"

run gcloud services enable run.googleapis.com cloudscheduler.googleapis.com pubsub.googleapis.com \
	bigquery.googleapis.com secretmanager.googleapis.com workflows.googleapis.com workflowexecutions.googleapis.com \
	eventarc.googleapis.com artifactregistry.googleapis.com monitoring.googleapis.com logging.googleapis.com \
	iam.googleapis.com cloudresourcemanager.googleapis.com --project="$project"
if [ "$DRY_RUN" = 1 ] || ! gcloud artifacts repositories describe jobpulse --location="$region" --project="$project" >/dev/null 2>&1; then
	run gcloud artifacts repositories create jobpulse --repository-format=docker --location="$region" --project="$project"
fi
run gcloud auth configure-docker "$region-docker.pkg.dev" --quiet
# The images are built as make images builds them (the dashboard's charts
# installed first by scripts/web.sh, through make deps).
run make images REPO="$repo" TAG="$tag"
for image in extractor transformer loader dashboard; do
	run go run github.com/google/go-containerregistry/cmd/crane@v0.22.1 push "bin/images/$image.tar" "$repo/$image:$tag"
done
vars=(-var="project_id=$project" -var="region=$region" -var="image_repository=$repo" -var="image_tag=$tag" -var="alert_email=$email")
run scripts/terraform.sh -chdir=infra init -input=false
# The jobs need a value in every secret before Cloud Run accepts them: create
# the secrets first, and stop until each has one.
run scripts/terraform.sh -chdir=infra apply -input=false -auto-approve -target=google_secret_manager_secret.secret "${vars[@]}"
if [ "$DRY_RUN" = 0 ]; then
	missing=()
	for s in saramin-access-key qnet-service-key slack-webhook-url smtp-password; do
		if [ -z "$(gcloud secrets versions list "$s" --project="$project" --filter=state=enabled --limit=1 --format='value(name)')" ]; then
			missing+=("$s")
		fi
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "deploy: these secrets have no value yet: ${missing[*]}" >&2
		echo "deploy: add each (printf %s \"\$VALUE\" | gcloud secrets versions add NAME --data-file=- --project=$project), then run deploy.sh again" >&2
		exit 3
	fi
fi
run scripts/terraform.sh -chdir=infra apply -input=false "${vars[@]}"
run scripts/terraform.sh -chdir=infra output -raw dashboard_url
