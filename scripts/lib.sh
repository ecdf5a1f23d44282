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

# need NAME VALUE: VALUE must not be empty.
need() {
	[ -n "$2" ] || die "$1 is required (see --help)"
}

# day_or_time VALUE: a date (2026-11-25) or an RFC 3339 time.
day_or_time() {
	[[ "$1" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2}))?$ ]]
}
