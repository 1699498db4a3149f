#!/usr/bin/env bash
# Start-up of `coopgraph serve` with no flags (the built-in linked network on
# the embedded store): the time from starting the process to the first 200
# of /readyz (polled every 20 ms), and its memory then (VmRSS, and VmHWM, the
# peak so far, from /proc/PID/status).
#
# Usage: scripts/bench/startup.sh [RUNS]        (default 3)
#
# The address comes from COOPGRAPH_ADDR (default 127.0.0.1:18097 here), the
# environment variable of --addr, so that the command line has no flag.
set -euo pipefail
runs=${1:-3}
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/coopgraph
go build -o "$bin" ./cmd/coopgraph
export COOPGRAPH_ADDR=${COOPGRAPH_ADDR:-127.0.0.1:18097}
url="http://$COOPGRAPH_ADDR/readyz"
if curl -fs -o /dev/null "$url"; then
	echo "something already answers at $url" >&2
	exit 1
fi
echo "run  start-to-readyz  VmRSS-at-ready  VmHWM-at-ready  VmHWM-after-1s"
for i in $(seq "$runs"); do
	start=$(date +%s%N)
	"$bin" serve >/dev/null 2>&1 &
	pid=$!
	until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "serve exited before /readyz answered 200" >&2
			exit 1
		fi
		sleep 0.02
	done
	ready=$(date +%s%N)
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
	hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
	sleep 1
	hwm1=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	printf '%3d  %13.2f s  %11d MB  %11d MB  %11d MB\n' "$i" \
		"$(echo "($ready - $start) / 1000000000" | bc -l)" $((rss / 1024)) $((hwm / 1024)) $((hwm1 / 1024))
done
rm -rf "$(dirname "$bin")"
