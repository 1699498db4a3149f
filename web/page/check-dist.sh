#!/usr/bin/env bash
# Checks that the committed page (web/dist/page, embedded in the
# coopgraph binary) is exactly what its sources build: installs the locked
# packages with `npm ci`, builds into a temporary directory and compares.
# On a difference: run `npm ci && npm run build` here and commit web/dist.
set -euo pipefail
cd "$(dirname "$0")"

command -v npm >/dev/null || { echo "check-dist.sh: npm (Node.js 20) is needed" >&2; exit 1; }
committed=../dist/page
[ -d "$committed" ] || { echo "check-dist.sh: $committed is missing: run npm ci && npm run build" >&2; exit 1; }

npm ci --no-audit --no-fund --loglevel=error
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node build.mjs --out "$tmp/page"

if ! diff -r "$tmp/page" "$committed" >"$tmp/diff"; then
  head -n 20 "$tmp/diff" | cut -c1-200 >&2
  echo "check-dist.sh: web/dist/page differs from a build of web/page: run (cd web/page && npm ci && npm run build) and commit web/dist" >&2
  exit 1
fi
echo "check-dist.sh: web/dist/page matches its sources ($(find "$committed" -type f | wc -l) files)"
