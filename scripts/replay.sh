#!/usr/bin/env bash
# Replays messages on GCP: seeks a subscription back to a time or a
# snapshot, so that the messages acknowledged since are delivered again,
# then executes the job that drains it. The jobs absorb repeats: nothing is
# loaded twice.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

usage() {
	cat <<'USAGE'
Usage: scripts/replay.sh --subscription jobpulse-transformer|jobpulse-loader
                         (--time TIME | --snapshot NAME)
                         [--project ID] [--region REGION] [--dry-run]

Seeks the subscription back and executes the job that drains it
(jobpulse-transformer for raw pages, jobpulse-loader for clean files).

  --subscription  the subscription to replay (required)
  --time          replay what was published since this RFC 3339 time
  --snapshot      replay from a Pub/Sub snapshot instead
  --project       GCP project (default: gcloud's configured project)
  --region        Cloud Run region (default: asia-northeast3)
  --dry-run       print the gcloud commands instead of running them
USAGE
}

sub="" time="" snapshot="" project="${GOOGLE_CLOUD_PROJECT:-}" region=asia-northeast3
while [ $# -gt 0 ]; do
	case "$1" in
	--subscription) sub="${2:-}"; shift 2 ;;
	--time) time="${2:-}"; shift 2 ;;
	--snapshot) snapshot="${2:-}"; shift 2 ;;
	--project) project="${2:-}"; shift 2 ;;
	--region) region="${2:-}"; shift 2 ;;
	--dry-run) DRY_RUN=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
need --subscription "$sub"
case "$sub" in
jobpulse-transformer) job=jobpulse-transformer ;;
jobpulse-loader) job=jobpulse-loader ;;
*) die "--subscription $sub: want jobpulse-transformer or jobpulse-loader" ;;
esac
if [ -n "$time" ] && [ -n "$snapshot" ]; then
	die "give --time or --snapshot, not both"
fi
proj=()
[ -n "$project" ] && proj=(--project="$project")
if [ -n "$time" ]; then
	day_or_time "$time" || die "--time $time: want an RFC 3339 time like 2026-11-25T00:00:00Z"
	run gcloud pubsub subscriptions seek "$sub" --time="$time" ${proj[@]+"${proj[@]}"}
elif [ -n "$snapshot" ]; then
	run gcloud pubsub subscriptions seek "$sub" --snapshot="$snapshot" ${proj[@]+"${proj[@]}"}
else
	die "--time or --snapshot is required (see --help)"
fi
run gcloud run jobs execute "$job" --region="$region" --wait ${proj[@]+"${proj[@]}"}
