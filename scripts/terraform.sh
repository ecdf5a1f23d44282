#!/usr/bin/env bash
# Runs Terraform with the given arguments: the `terraform` on PATH when
# there is one (and TERRAFORM_PINNED is unset), else Terraform 1.5.7 built
# from the Go module proxy with `go install` (the last release under the
# MPL 2.0; no download from releases.hashicorp.com) and kept in
# ${XDG_CACHE_HOME:-~/.cache}/jobpulse. The first build takes a few minutes.
#
#   scripts/terraform.sh fmt -check -recursive -diff infra   # what make test runs
#   TERRAFORM_PINNED=1 scripts/terraform.sh version
set -euo pipefail

version=1.5.7
if [ -z "${TERRAFORM_PINNED:-}" ] && command -v terraform >/dev/null; then
	exec terraform "$@"
fi
dir="${XDG_CACHE_HOME:-$HOME/.cache}/jobpulse/terraform-$version"
if ! [ -x "$dir/terraform" ]; then
	echo "terraform: building Terraform $version from the Go module proxy into $dir (once; a few minutes)" >&2
	mkdir -p "$dir"
	GOBIN="$dir" go install -trimpath -ldflags='-s -w' "github.com/hashicorp/terraform@v$version"
fi
export CHECKPOINT_DISABLE=1 # no look for newer versions
# A CLI configuration named but missing only adds a warning to every run.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && ! [ -f "$TF_CLI_CONFIG_FILE" ]; then
	export TF_CLI_CONFIG_FILE=/dev/null
fi
exec "$dir/terraform" "$@"
