# Shared by the operator scripts: option parsing helpers and `run`, which
# prints each command and runs it, or only prints it with --dry-run.
# Sourced, not run.

DRY_RUN=0

# run prints a command, each word quoted only where the shell needs it, and
# runs it unless DRY_RUN=1.
run() {
	local out="" w q
	for w in "$@"; do
		if [[ "$w" =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]]; then
			q="$w"
		else
			printf -v q '%q' "$w"
		fi
		out+="${out:+ }$q"
	done
	echo "$out"
	if [ "$DRY_RUN" = 0 ]; then
		"$@"
	fi
}

die() {
	echo "$(basename "$0"): $*" >&2
	exit 2
}

# Options every script takes; a script may reset project (deploy.sh
# requires it).
project="${GOOGLE_CLOUD_PROJECT:-}" region=asia-northeast3

# value OPTION [VALUE]: an option that takes a value must be given one.
value() {
	[ $# -ge 2 ] || die "$1 needs a value (see --help)"
}

# common_opt "$@" reads the option every script takes that starts "$@",
# and sets SHIFT to the words it used. Anything else is unknown.
common_opt() {
	SHIFT=2
	case "$1" in
	--project) value "$@"; project=$2 ;;
	--region) value "$@"; region=$2 ;;
	--dry-run) DRY_RUN=1; SHIFT=1 ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
}

# need NAME VALUE: VALUE must not be empty.
need() {
	[ -n "$2" ] || die "$1 is required (see --help)"
}

# One rule for times, in every script and job: a date, or a time without
# an offset, is in KST (Asia/Seoul, the market's own zone); a time with an
# offset (Z, +09:00) is that instant.

# epoch VALUE: the time in seconds since 1970.
epoch() {
	TZ=Asia/Seoul date -d "$1" +%s
}

# day_or_time VALUE: a date (2026-11-25), or a time (2026-11-25T09:00,
# with seconds and an offset if wanted).
day_or_time() {
	[[ "$1" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?$ ]]
}

# kst VALUE: the time as RFC 3339 in KST, e.g. 2026-11-25T00:00:00+09:00,
# the form every script hands on (no reader can take it for another zone).
kst() {
	TZ=Asia/Seoul date -d "$(tr T ' ' <<<"$1")" +%Y-%m-%dT%H:%M:%S%:z
}

# utc VALUE: the same instant in UTC, for the line a script prints.
utc() {
	date -u -d "@$(epoch "$(tr T ' ' <<<"$1")")" +%Y-%m-%dT%H:%M:%SZ
}
