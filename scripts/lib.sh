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

# epoch VALUE: a date (midnight KST) or an RFC 3339 time in seconds.
epoch() {
	TZ=Asia/Seoul date -d "$1" +%s
}

# day_or_time VALUE: a date (2026-11-25) or an RFC 3339 time.
day_or_time() {
	[[ "$1" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2}))?$ ]]
}
