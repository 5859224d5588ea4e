#!/usr/bin/env bash
# Where a Go function's time goes: the benchmark's Go function (gofn,
# aws-lambda-go, provided.al2023) behind a quick-create HTTP API in Gatehouse,
# under wrk; prints req/s, p50, and for Gatehouse and each function process
# the CPU time and context switches per request, then (PERF=1) the top of a
# perf profile of the function processes. See bench/lambda/README.md.
#
#   bash bench/lambda/profile.sh                 # c1, about 30 s
#   CONNS=32 bash bench/lambda/profile.sh        # c32
#
# Knobs (environment):
#   CONNS=1          wrk connections (-t1)
#   DURATION=8       seconds of measured load (after a 3 s warm-up)
#   GH_FLAGS=        extra flags for gatehouse serve (e.g. "--lambda-concurrency 2")
#   FN_ENV=          the function's environment, as the CLI's shorthand
#                    (e.g. "GOMAXPROCS=1" → --environment Variables={GOMAXPROCS=1})
#   PERF=0           1: perf record -g the function processes for the middle of the run
#   PERF_OF=functions   what PERF=1 records: "functions" or "gatehouse"
#   KEEP=0           1: keep the temp dir (logs, perf.data)
#
# Everything listens on 127.0.0.1; a trap stops Gatehouse (and its function
# processes) on any exit.
set -euo pipefail

CONNS=${CONNS:-1}
DURATION=${DURATION:-8}
GH_FLAGS=${GH_FLAGS:-}
FN_ENV=${FN_ENV:-}
PERF=${PERF:-0}
PERF_OF=${PERF_OF:-functions}
KEEP=${KEEP:-0}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
log() { printf '[lambda-profile %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for t in go curl wrk aws python3 timeout; do command -v "$t" >/dev/null 2>&1 || die "$t not found"; done
[ "$PERF" = 0 ] || command -v perf >/dev/null 2>&1 || die "perf not found (apt-get install -y linux-perf)"

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-lambda-profile.XXXXXX")
gh_pid=""
cleanup() {
  local rc=$?
  if [ -n "$gh_pid" ] && kill -0 "$gh_pid" 2>/dev/null; then kill "$gh_pid" 2>/dev/null || true; wait "$gh_pid" 2>/dev/null || true; fi
  if [ "$KEEP" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building gatehouse and the Go function (work dir $work)"
go build -o "$work/gatehouse" ./cmd/gatehouse
mkdir -p "$work/gofn"
CGO_ENABLED=0 go build -tags lambda.norpc -o "$work/gofn/bootstrap" ./bench/lambda/gofn
(cd "$work/gofn" && python3 -m zipfile -c "$work/go.zip" bootstrap)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port"
# shellcheck disable=SC2086 # GH_FLAGS is a list of flags
"$work/gatehouse" serve --listen "127.0.0.1:$port" --data-dir "$work/data" --log-level warn \
  --account-rate 1e9 --account-burst 1000000000 $GH_FLAGS >"$work/gatehouse.log" 2>&1 &
gh_pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null --max-time 1 "$url/_gatehouse/health" && break; sleep 0.1; done
curl -sf -o /dev/null --max-time 1 "$url/_gatehouse/health" || { cat "$work/gatehouse.log" >&2; die "gatehouse did not start"; }

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
envarg=()
[ -z "$FN_ENV" ] || envarg=(--environment "Variables={$FN_ENV}")
arn=$(timeout 60 aws --endpoint-url "$url" --output text lambda create-function --function-name gofn --runtime provided.al2023 \
  --handler bootstrap --role arn:aws:iam::000000000000:role/bench --zip-file "fileb://$work/go.zip" --timeout 10 \
  "${envarg[@]}" --query FunctionArn) || die "create-function failed"
api=$(timeout 60 aws --endpoint-url "$url" --output text apigatewayv2 create-api --name gofn --protocol-type HTTP \
  --target "$arn" --query ApiEndpoint) || die "create-api failed"
target="$api/hello"
body=$(curl -sf --max-time 10 "$target") || die "$target did not answer 200"
[ "$body" = '{"ok":true,"path":"/hello"}' ] || die "$target answered $body"

log "warm-up: wrk -t1 -c$CONNS -d3s"
timeout 30 wrk -t1 -c"$CONNS" -d3s "$target" >/dev/null
fn_pids=$(pgrep -P "$gh_pid" | tr '\n' ' ')
[ -n "$fn_pids" ] || die "no function process found"
# snap PID... -> "pid context-switches cpu-ticks" per process (all its threads)
snap() {
  local p
  for p in "$@"; do
    echo "$p $(cat /proc/"$p"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s+=$2} END{print s+0}') $(awk '{print $14 + $15}' /proc/"$p"/stat)"
  done
}
# shellcheck disable=SC2086
snap "$gh_pid" $fn_pids >"$work/before"
log "load: wrk -t1 -c$CONNS -d${DURATION}s --latency (function processes: $fn_pids)"
timeout $((DURATION + 30)) wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "$target" >"$work/wrk.txt" &
wrk_pid=$!
if [ "$PERF" = 1 ]; then
  sleep 1
  perf_pids=$(echo $fn_pids | tr ' ' ',')
  [ "$PERF_OF" = functions ] || perf_pids=$gh_pid
  perf record -q -F 999 -g -p "$perf_pids" -o "$work/perf.data" -- sleep $((DURATION - 2)) 2>"$work/perf.log" ||
    { cat "$work/perf.log" >&2; die "perf record failed"; }
fi
wait "$wrk_pid"
# shellcheck disable=SC2086
snap "$gh_pid" $fn_pids >"$work/after"
n=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
hz=$(getconf CLK_TCK)

echo
echo "== Go function behind a quick-create HTTP API, wrk -t1 -c$CONNS -d${DURATION}s ($(date -u +%FT%TZ))"
echo "   flags: ${GH_FLAGS:-(none)}; function environment: ${FN_ENV:-(none)}${PERF:+; perf: $PERF}"
grep -E "Requests/sec" "$work/wrk.txt" | awk '{print "   req/s " $2}'
awk '$1 == "50%" {print "   p50 " $2}' "$work/wrk.txt"
printf '%-12s %8s %14s %14s\n' process pid "CPU us/req" "cs/req"
join "$work/before" "$work/after" | awk -v n="$n" -v hz="$hz" -v gh="$gh_pid" '
  { cpu = ($5 - $3) / hz * 1e6 / n; cs = ($4 - $2) / n
    name = ($1 == gh ? "gatehouse" : "function"); printf "%-12s %8s %14.1f %14.2f\n", name, $1, cpu, cs
    if ($1 != gh) { fc += cpu; fs += cs } }
  END { printf "%-12s %8s %14.1f %14.2f\n", "functions", "all", fc, fs }'
echo "   (per request served; a function process serves a share of them)"
if [ "$PERF" = 1 ]; then
  echo
  echo "== $PERF_OF: self time by symbol (top 20)"
  perf report -i "$work/perf.data" --stdio --no-children --sort symbol -g none 2>/dev/null | grep '%' | head -20 || true
  echo
  echo "== $PERF_OF: where the scheduler was entered (callers of finish_task_switch)"
  perf report -i "$work/perf.data" --stdio --no-children --sort symbol --call-graph=caller,2 \
    -S finish_task_switch.isra.0 2>/dev/null | grep -E -- '--[0-9.]+%--' | head -20 || true
fi
