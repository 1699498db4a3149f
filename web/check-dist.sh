#!/usr/bin/env bash
# Checks that a committed bundle (web/dist/NAME, embedded in the coopgraph
# binary) is exactly what its sources in web/NAME build: installs the locked
# packages with `npm ci`, builds into a temporary directory and compares.
# On a difference: run `npm ci && npm run build` in web/NAME and commit web/dist.
#
#   web/check-dist.sh playground
#   web/check-dist.sh page
set -euo pipefail
name=${1:?usage: web/check-dist.sh playground|page}
cd "$(dirname "$0")/$name"

command -v npm >/dev/null || { echo "check-dist.sh: npm (Node.js 20) is needed" >&2; exit 1; }
committed=../dist/$name
[ -d "$committed" ] || { echo "check-dist.sh: $committed is missing: run npm ci && npm run build in web/$name" >&2; exit 1; }

npm ci --no-audit --no-fund --loglevel=error
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node build.mjs --out "$tmp/$name"

if ! diff -r "$tmp/$name" "$committed" >"$tmp/diff"; then
  head -n 20 "$tmp/diff" | cut -c1-200 >&2
  echo "check-dist.sh: web/dist/$name differs from a build of web/$name: run (cd web/$name && npm ci && npm run build) and commit web/dist" >&2
  exit 1
fi
echo "check-dist.sh: web/dist/$name matches its sources ($(find "$committed" -type f | wc -l) files)"
