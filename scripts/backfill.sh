#!/usr/bin/env bash
# Extracts a past window again on GCP: executes the extractor job with
# --from and --to. The transformer and the loader follow through Pub/Sub;
# a window already loaded changes nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

usage() {
	cat <<'USAGE'
Usage: scripts/backfill.sh --from DATE --to DATE [--source saramin|trends|cert]
                           [--project ID] [--region REGION] [--dry-run]

Executes the extractor Cloud Run job for the window [--from, --to) and waits
for it. Give dates (2026-11-01) or times (2026-11-01T09:00); both are in KST
unless they carry an offset (2026-11-01T00:00:00Z). The window understood is
printed first, and handed to the job with its offset.

  --from, --to   the window (required)
  --source       saramin (default), trends or cert
  --project      GCP project (default: gcloud's configured project)
  --region       Cloud Run region (default: asia-northeast3)
  --dry-run      print the gcloud command instead of running it
USAGE
}

source=saramin from="" to=""
while [ $# -gt 0 ]; do
	case "$1" in
	--from) value "$@"; from=$2; shift 2 ;;
	--to) value "$@"; to=$2; shift 2 ;;
	--source) value "$@"; source=$2; shift 2 ;;
	*) common_opt "$@"; shift "$SHIFT" ;;
	esac
done
need --from "$from"
need --to "$to"
day_or_time "$from" || die "--from $from: want a date like 2026-11-01 or a time like 2026-11-01T09:00"
day_or_time "$to" || die "--to $to: want a date like 2026-11-01 or a time like 2026-11-01T09:00"
case "$source" in saramin|trends|cert) ;; *) die "--source $source: want saramin, trends or cert" ;; esac
[ "$(epoch "$from")" -lt "$(epoch "$to")" ] || die "--from $from is not before --to $to"
from=$(kst "$from") to=$(kst "$to")
echo "backfill: $source from $from ($(utc "$from")) to $to ($(utc "$to"))"

args=(--region="$region" --wait "--args=--source=$source,--from=$from,--to=$to")
[ -n "$project" ] && args+=(--project="$project")
run gcloud run jobs execute jobpulse-extractor "${args[@]}"
