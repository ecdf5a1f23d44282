#!/usr/bin/env bash
# Installs GoogleSQL's reference analyzer (ZetaSQL, BigQuery's dialect) for
# the tests that judge the BigQuery warehouse's SQL, and prints where it is.
# It comes from the npm registry as @fivetrandevelopers/zetasql 1.13.0
# (MIT), whose tarball carries the Linux x86-64 gRPC server
# lib/zetasql/remote_server.so and the service's protos. Only those are
# kept (with its package.json, which states the licence), in
# ${XDG_CACHE_HOME:-~/.cache}/jobpulse/zetasql-1.13.0; the
# tarball (about 110 MB) is checked against the registry's sha512 and
# fetched once.
#
#   scripts/googlesql.sh        # prints the directory (make test runs it)
set -euo pipefail

version=1.13.0
integrity=sha512-yX9Apa968np2Tc+Hrf4Bf6Gz77kQVLIDLaNwovM91VBwyDTDF1C6oglUqmlU6Fe5/TVCExsnIueWiPahrYEITQ==
dir="${XDG_CACHE_HOME:-$HOME/.cache}/jobpulse/zetasql-$version"

if [ -x "$dir/remote_server.so" ] && [ -f "$dir/protos/local_service.proto" ]; then
	echo "$dir"
	exit 0
fi
if [ "$(uname -sm)" != "Linux x86_64" ]; then
	echo "googlesql: the analyzer's server is built for Linux x86-64 only, not $(uname -sm)" >&2
	exit 1
fi
if ! command -v npm >/dev/null; then
	if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
		echo "googlesql: installing Node.js and npm to fetch the analyzer" >&2
		apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
	else
		echo "googlesql: npm is required to fetch GoogleSQL's analyzer (apt-get install nodejs npm)" >&2
		exit 1
	fi
fi

echo "googlesql: fetching @fivetrandevelopers/zetasql@$version (about 110 MB, once) into $dir" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "@fivetrandevelopers/zetasql@$version" --silent --loglevel=error >/dev/null)
tgz="$tmp/fivetrandevelopers-zetasql-$version.tgz"
got="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
if [ "$got" != "$integrity" ]; then
	echo "googlesql: the tarball's checksum is $got, not the pinned $integrity" >&2
	exit 1
fi
tar -xzf "$tgz" -C "$tmp" package/package.json package/lib/zetasql/remote_server.so package/lib/zetasql/protos
rm -rf "$dir.partial"
mkdir -p "$dir.partial"
mv "$tmp/package/lib/zetasql/remote_server.so" "$tmp/package/lib/zetasql/protos" "$tmp/package/package.json" "$dir.partial/"
chmod +x "$dir.partial/remote_server.so"
rm -rf "$dir"
mv "$dir.partial" "$dir"
echo "$dir"
