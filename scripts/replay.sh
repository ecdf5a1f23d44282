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

sub="" time="" snapshot=""
while [ $# -gt 0 ]; do
	case "$1" in
	--subscription) value "$@"; sub=$2; shift 2 ;;
	--time) value "$@"; time=$2; shift 2 ;;
	--snapshot) value "$@"; snapshot=$2; shift 2 ;;
	*) common_opt "$@"; shift "$SHIFT" ;;
	esac
done
need --subscription "$sub"
# Each subscription is drained by the job of the same name.
case "$sub" in
jobpulse-transformer | jobpulse-loader) ;;
*) die "--subscription $sub: want jobpulse-transformer or jobpulse-loader" ;;
esac
if [ -n "$time" ] && [ -n "$snapshot" ]; then
	die "give --time or --snapshot, not both"
fi
proj=()
[ -n "$project" ] && proj=(--project="$project")
if [ -n "$time" ]; then
	day_or_time "$time" || die "--time $time: want a date like 2026-11-25 or a time like 2026-11-25T09:00 (KST unless it has an offset)"
	time=$(kst "$time")
	echo "replay: every message published to $sub's topic since $time ($(utc "$time")) is delivered again"
	run gcloud pubsub subscriptions seek "$sub" --time="$time" ${proj[@]+"${proj[@]}"}
elif [ -n "$snapshot" ]; then
	run gcloud pubsub subscriptions seek "$sub" --snapshot="$snapshot" ${proj[@]+"${proj[@]}"}
else
	die "--time or --snapshot is required (see --help)"
fi
run gcloud run jobs execute "$sub" --region="$region" --wait ${proj[@]+"${proj[@]}"}
