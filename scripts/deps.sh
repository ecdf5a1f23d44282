#!/usr/bin/env bash
# Checks, and installs where missing, what jobpulse needs to build and test:
# the Go toolchain named in go.work, a C compiler (DuckDB's Go driver uses
# cgo), and Debian's Chromium and a Korean font for the dashboard's browser
# test. Go modules, fake-gcs-server and pstest included, come from the Go
# module proxy at build time; the dashboard's npm packages from web.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

need_go=$(awk '/^go /{print $2; exit}' go.work)
if ! command -v go >/dev/null; then
	echo "deps: Go $need_go or newer is required (https://go.dev/dl/); not found on PATH" >&2
	exit 1
fi
have_go=$(go env GOVERSION | sed 's/^go//')
if [ "$(printf '%s\n%s\n' "$need_go" "$have_go" | sort -V | head -1)" != "$need_go" ]; then
	echo "deps: Go $need_go or newer is required, found $have_go" >&2
	exit 1
fi

if ! command -v gcc >/dev/null && ! command -v cc >/dev/null; then
	if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
		echo "deps: installing a C compiler (gcc) for DuckDB's cgo driver"
		apt-get update -qq && apt-get install -y -qq gcc g++ libc6-dev >/dev/null
	else
		echo "deps: a C compiler is required for DuckDB's Go driver (apt-get install gcc g++)" >&2
		exit 1
	fi
fi
if [ "$(go env CGO_ENABLED)" != 1 ]; then
	echo "deps: CGO_ENABLED must be 1 for DuckDB's Go driver" >&2
	exit 1
fi

# Chromium and a Korean font, for the dashboard's browser test and its
# screenshot (Debian's packages). Outside CI the test is skipped, saying
# so, where they cannot be installed; in CI (CI=true) that fails the run,
# so that CI never goes green without opening the dashboard in a browser.
if ! command -v chromium >/dev/null || ! [ -d /usr/share/fonts/opentype/noto ]; then
	if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
		echo "deps: installing Chromium and fonts-noto-cjk for the dashboard's browser test"
		apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null || true
	fi
	if ! command -v chromium >/dev/null || ! [ -d /usr/share/fonts/opentype/noto ]; then
		if [ "${CI:-}" = true ]; then
			echo "deps: Chromium and fonts-noto-cjk are required in CI for the dashboard's browser test, and could not be installed: run 'apt-get update && apt-get install -y chromium fonts-noto-cjk' as root" >&2
			exit 1
		fi
		echo "deps: Chromium or fonts-noto-cjk is not installed (as root: apt-get install chromium fonts-noto-cjk); the dashboard's browser test will be skipped" >&2
	fi
fi
