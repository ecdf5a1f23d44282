#!/usr/bin/env bash
# Installs the dashboard's front-end packages from the npm registry (pinned
# in pkg/dashboard/web/package-lock.json) and copies what the page loads
# into pkg/dashboard/static/vendor, which the dashboard embeds. Installs
# Node.js and npm with apt when they are missing and this runs as root on
# Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

web=pkg/dashboard/web
vendor=pkg/dashboard/static/vendor
if [ -f "$vendor/echarts.min.js" ] && [ "$vendor/echarts.min.js" -nt "$web/package-lock.json" ]; then
	exit 0
fi
if ! command -v npm >/dev/null; then
	if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
		echo "web: installing Node.js and npm for the dashboard's charts"
		apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
	else
		echo "web: npm is required to install the dashboard's charts (apt-get install nodejs npm)" >&2
		exit 1
	fi
fi
echo "web: installing the dashboard's front-end packages (npm ci)"
npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
mkdir -p "$vendor"
cp "$web/node_modules/echarts/dist/echarts.min.js" "$vendor/echarts.min.js"
cp "$web/node_modules/echarts/LICENSE" "$vendor/echarts.LICENSE"
