#!/usr/bin/env bash
# CPU profile of the real gatehouse binary under run.sh's c32 load, with perf
# (the binary has no pprof endpoint). See bench/dataplane/README.md.
#
#   bash bench/dataplane/profile.sh          # about 30 s
#
# Knobs (environment):
#   PERF_SECONDS=10   length of the perf recording (wrk runs 4 s longer)
#   CONNS=32          wrk connections (-t1)
#   FREQ=999          perf sampling frequency (Hz)
#   GH_FLAGS=...      as in run.sh
#   KEEP=1            keep the temp dir (perf.data, binaries, logs)
#   SYSCALLS=1        count system calls by kind per request (perf trace -s) instead of sampling
set -euo pipefail

PERF_SECONDS=${PERF_SECONDS:-10}
CONNS=${CONNS:-32}
FREQ=${FREQ:-999}
GH_FLAGS=${GH_FLAGS---account-rate 1e9 --account-burst 1000000000}
KEEP=${KEEP:-0}
SYSCALLS=${SYSCALLS:-0}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
log() { printf '[profile %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if ! command -v perf >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || die "needs perf and wrk (apt-get install -y linux-perf wrk)"
  log "installing perf / wrk with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf wrk >/dev/null
fi
perf record -q -o /dev/null -- true >/dev/null 2>&1 ||
  die "perf cannot record here (kernel.perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)); run as root"

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-profile.XXXXXX")
up_pid="" gh_pid="" wrk_pid=""
cleanup() {
  local rc=$?
  for p in "$wrk_pid" "$gh_pid" "$up_pid"; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null || true; fi
  done
  for p in "$wrk_pid" "$gh_pid" "$up_pid"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building (work dir $work)"
go build -o "$work/gatehouse" ./cmd/gatehouse
go build -o "$work/upstream" ./bench/dataplane/upstream
go build -o "$work/setup" ./bench/dataplane/setup

"$work/upstream" -listen 127.0.0.1:0 -port-file "$work/upstream.port" >"$work/upstream.log" 2>&1 &
up_pid=$!
for _ in $(seq 1 100); do [ -s "$work/upstream.port" ] && break; sleep 0.1; done
[ -s "$work/upstream.port" ] || die "upstream did not start"
up_url="http://127.0.0.1:$(cat "$work/upstream.port")"

gh_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
gh_url="http://127.0.0.1:$gh_port"
# shellcheck disable=SC2086
"$work/gatehouse" serve --listen "127.0.0.1:$gh_port" --data-dir "$work/gh-data" --max-routes 20000 $GH_FLAGS \
  >"$work/gatehouse.log" 2>&1 &
gh_pid=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null --max-time 1 "$gh_url/_gatehouse/health" && break; sleep 0.1; done
timeout 60 "$work/setup" -endpoint "$gh_url" -id bench -upstream "$up_url" >/dev/null 2>"$work/setup.log" ||
  { cat "$work/setup.log" >&2; die "setup failed"; }
host=bench.execute-api.localhost
curl -sf -o /dev/null -H "Host: $host" "$gh_url/api/hello" || die "GET /api/hello failed"

log "wrk -t1 -c$CONNS for $((PERF_SECONDS + 4)) s; perf record -F $FREQ -g on gatehouse (pid $gh_pid) for $PERF_SECONDS s"
wrk -t1 -c"$CONNS" -d"$((PERF_SECONDS + 4))s" --latency -H "Host: $host" "$gh_url/api/hello" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 2
if [ "$SYSCALLS" = 1 ]; then
  # System calls by kind over the window, per request (perf trace's
  # summary; tracing slows the process, so the rate here is not a result).
  perf trace -s -p "$gh_pid" -o "$work/trace.txt" -- sleep "$PERF_SECONDS" 2>/dev/null ||
    die "perf trace failed"
  wait "$wrk_pid" || true
  wrk_pid=""
  reqs=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  secs=$(awk '/requests in/ {gsub(/s,/, "", $4); print $4}' "$work/wrk.txt")
  echo "== system calls of gatehouse over ${PERF_SECONDS} s of a ${secs} s wrk run ($reqs requests in all)"
  awk -v reqs="$reqs" -v secs="$secs" -v win="$PERF_SECONDS" '
    $1 ~ /^[a-z_0-9]+$/ && $2 ~ /^[0-9]+$/ { n[$1] += $2 }
    END { per = reqs * win / secs; for (k in n) printf "   %-16s %10d  %6.2f per request\n", k, n[k], n[k] / per }' "$work/trace.txt" | sort -k2 -nr
  exit 0
fi
perf record -q -F "$FREQ" -g -p "$gh_pid" -o "$work/perf.data" -- sleep "$PERF_SECONDS" 2>"$work/perf-record.log" ||
  { cat "$work/perf-record.log" >&2; die "perf record failed"; }
wait "$wrk_pid" || true
wrk_pid=""
grep -E 'Requests/sec|99%|Non-2xx' "$work/wrk.txt" >&2 || true

echo "== self time by function (top 45)"
perf report -i "$work/perf.data" --stdio --no-children --sort symbol -g none --percent-limit 0.4 2>/dev/null |
  grep -v '^#' | grep -v '^$' | head -45
echo
echo "== inclusive time (children), gatehouse and net/http frames (top 60)"
perf report -i "$work/perf.data" --stdio --children --sort symbol -g none --percent-limit 1 2>/dev/null |
  grep -v '^#' | grep -v '^$' | head -60
echo
echo "   rerun: cd $root && PERF_SECONDS=$PERF_SECONDS CONNS=$CONNS bash bench/dataplane/profile.sh  (KEEP=1 keeps perf.data)"
