#!/usr/bin/env bash
# Lambda benchmark: the same Node handler behind an HTTP API route in Gatehouse
# and in serverless-offline (worker-thread default and --useInProcess), plus a
# Go provided.al2023 function in Gatehouse; wrk at c1 and c32, same run, same
# machine; then cold starts. See bench/lambda/README.md.
#
#   bash bench/lambda/run.sh          # about 5 minutes with the defaults
#
# Knobs (environment):
#   DURATION=10s     length of one wrk run
#   ROUNDS=3         rounds per connection count (order rotates every round)
#   CONNS="1 32"     wrk connection counts (-t1 always)
#   WARMUP=3s        untimed wrk -c32 run against each target first ("0" to skip)
#   COLD=5           cold starts measured per runtime (median reported)
#   SLS_DIR=~/.cache/gatehouse-bench/sls   where serverless@3 + serverless-offline@13 are installed
#   GH_FLAGS=        extra flags for gatehouse serve (e.g. "--http-server gatehouse")
#   STRICT=1         exit 1 if any target is missed
#   KEEP=1           keep the temp dir (logs, raw wrk output)
#
# Everything listens on 127.0.0.1; every step is bounded in time; a trap stops
# every server it started (and their function processes) on any exit.
set -euo pipefail

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-1 32}
WARMUP=${WARMUP:-3s}
COLD=${COLD:-5}
SLS_DIR=${SLS_DIR:-$HOME/.cache/gatehouse-bench/sls}
SLS_VERSION=3.40.0
SLS_OFFLINE_VERSION=13.9.0
STRICT=${STRICT:-0}
KEEP=${KEEP:-0}
GH_FLAGS=${GH_FLAGS:-}

# Targets from the issue.
TARGET_NODE_RATIO=2   # Gatehouse Node req/s >= 2x serverless-offline's fastest mode
TARGET_GO_RATIO=5     # Gatehouse Go req/s >= 5x serverless-offline's fastest mode
TARGET_GO_P50_MS=0.3  # Go p50 at c1
TARGET_COLD_GO_MS=50
TARGET_COLD_NODE_MS=200

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
rerun="cd $root && DURATION=$DURATION ROUNDS=$ROUNDS CONNS=\"$CONNS\" COLD=$COLD GH_FLAGS=\"$GH_FLAGS\" bash bench/lambda/run.sh"

log() { printf '[lambda %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing wrk with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    die "wrk not found: install it with 'apt-get install -y wrk' (as root)"
  fi
fi
for t in go curl timeout awk python3 node npm aws; do
  command -v "$t" >/dev/null 2>&1 || die "$t not found"
done
if [ ! -x "$SLS_DIR/node_modules/.bin/serverless" ] || [ ! -d "$SLS_DIR/node_modules/serverless-offline" ]; then
  log "installing serverless@$SLS_VERSION and serverless-offline@$SLS_OFFLINE_VERSION into $SLS_DIR (npm)"
  mkdir -p "$SLS_DIR"
  [ -f "$SLS_DIR/package.json" ] || echo '{"name":"gatehouse-bench-sls","private":true}' >"$SLS_DIR/package.json"
  (cd "$SLS_DIR" && timeout 600 npm install --no-audit --no-fund --loglevel=error \
    "serverless@$SLS_VERSION" "serverless-offline@$SLS_OFFLINE_VERSION" >/dev/null) ||
    die "npm install of serverless/serverless-offline failed"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-lambda.XXXXXX")
gh_pid="" 
declare -A SLS_PID
cleanup() {
  local rc=$?
  for p in "$gh_pid" "${SLS_PID[@]}"; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null || true; fi
  done
  for p in "$gh_pid" "${SLS_PID[@]}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
  # serverless-offline runs node under a wrapper; make sure nothing outlives the run
  pkill -f "$work/sls" 2>/dev/null || true
  if [ "$KEEP" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b>0 ? a/b : 0)}'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a >= b)}'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a <= b)}'; }
# descendants PID -> PID and every process below it
descendants() {
  local p=$1 c
  echo "$p"
  for c in $(pgrep -P "$p" 2>/dev/null || true); do descendants "$c"; done
}
# cpu_ticks ROOT -> utime+stime of ROOT and every live descendant, plus the
# cutime+cstime ROOT has collected from descendants that exited (function
# instances come and go during a run)
cpu_ticks() {
  local root=$1 p
  {
    awk '{print $16 + $17}' "/proc/$root/stat" 2>/dev/null
    for p in $(descendants "$root"); do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done
  } | awk '{s+=$1} END{print s+0}'
}
clk_tck=$(getconf CLK_TCK)

wait_ready() { # NAME PID URL: poll URL until 200 (60 s at most)
  local name=$1 pid=$2 url=$3 i
  for i in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { tail -50 "$work/$name.log" >&2 || true; die "$name exited during startup"; }
    if curl -sf -o /dev/null --max-time 2 "$url"; then return 0; fi
    sleep 0.1
  done
  tail -50 "$work/$name.log" >&2 || true
  die "$name did not answer 200 at $url within 60 s"
}

# ---------------------------------------------------------------- build
log "building gatehouse and the Go function (work dir $work)"
go build -o "$work/gatehouse" ./cmd/gatehouse
mkdir -p "$work/gofn" "$work/nodefn"
CGO_ENABLED=0 go build -tags lambda.norpc -o "$work/gofn/bootstrap" ./bench/lambda/gofn
cp bench/lambda/node/handler.js "$work/nodefn/handler.js"
(cd "$work/gofn" && python3 -m zipfile -c "$work/go.zip" bootstrap)
(cd "$work/nodefn" && python3 -m zipfile -c "$work/node.zip" handler.js)

# ---------------------------------------------------------------- gatehouse
gh_port=$(free_port)
gh_url="http://127.0.0.1:$gh_port"
log "starting gatehouse on $gh_url"
"$work/gatehouse" serve --listen "127.0.0.1:$gh_port" --data-dir "$work/gh-data" --log-level warn \
  --account-rate 1e9 --account-burst 1000000000 $GH_FLAGS >"$work/gatehouse.log" 2>&1 &
gh_pid=$!
wait_ready gatehouse "$gh_pid" "$gh_url/_gatehouse/health"

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
awsgh() { timeout 60 aws --endpoint-url "$gh_url" --output text "$@"; }
role=arn:aws:iam::000000000000:role/bench
# deploy NAME RUNTIME HANDLER ZIP -> prints the API's invoke URL (path form)
deploy() {
  local name=$1 runtime=$2 handler=$3 zip=$4 arn api
  arn=$(awsgh lambda create-function --function-name "$name" --runtime "$runtime" --handler "$handler" \
    --role "$role" --zip-file "fileb://$zip" --timeout 10 --query FunctionArn) || die "create-function $name failed"
  api=$(awsgh apigatewayv2 create-api --name "$name" --protocol-type HTTP --target "$arn" --query ApiEndpoint) ||
    die "create-api $name failed"
  echo "$api"
}
node_url="$(deploy benchnode nodejs20.x handler.hello "$work/node.zip")/hello"
go_url="$(deploy benchgo provided.al2023 bootstrap "$work/go.zip")/hello"
for u in "$node_url" "$go_url"; do
  body=$(curl -sf --max-time 10 "$u") || die "$u did not answer 200"
  [ "$body" = '{"ok":true,"path":"/hello"}' ] || die "$u answered $body"
done
log "gatehouse: node $node_url, go $go_url"

# ---------------------------------------------------------------- serverless-offline
mkdir -p "$work/sls"
cp bench/lambda/node/handler.js "$work/sls/handler.js"
cat >"$work/sls/serverless.yml" <<'EOF'
service: bench
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
plugins:
  - serverless-offline
functions:
  hello:
    handler: handler.hello
    events:
      - httpApi:
          method: GET
          path: /hello
EOF
ln -s "$SLS_DIR/node_modules" "$work/sls/node_modules"
declare -A SLS_URL
# start_sls MODE [FLAGS...]
start_sls() {
  local mode=$1 port lport
  shift
  port=$(free_port) lport=$(free_port)
  (cd "$work/sls" && exec env SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
    "$work/sls/node_modules/.bin/serverless" offline --host 127.0.0.1 --httpPort "$port" --lambdaPort "$lport" \
    --noPrependStageInUrl "$@") >"$work/sls-$mode.log" 2>&1 &
  SLS_PID[$mode]=$!
  SLS_URL[$mode]="http://127.0.0.1:$port/hello"
  wait_ready "sls-$mode" "${SLS_PID[$mode]}" "${SLS_URL[$mode]}"
  body=$(curl -sf "${SLS_URL[$mode]}")
  [ "$body" = '{"ok":true,"path":"/hello"}' ] || die "serverless-offline ($mode) answered $body"
  log "serverless-offline $mode on ${SLS_URL[$mode]}"
}
start_sls default
start_sls inprocess --useInProcess

# ---------------------------------------------------------------- load
dur_s=$(awk -v d="$DURATION" 'BEGIN{n=d+0; if (d ~ /m$/) n*=60; print int(n)+30}')
run_wrk() { # CONNS DURATION OUTFILE URL
  timeout "$dur_s" wrk -t1 -c"$1" -d"$2" --latency "$4" >"$3" 2>&1 || { cat "$3" >&2; die "wrk $4 failed"; }
  grep -q '^Requests/sec:' "$3" || { cat "$3" >&2; die "wrk $4 printed no Requests/sec"; }
}
w_rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
w_n() { awk '/requests in/ {print $1}' "$1"; }
w_p() { # PERCENTILE FILE -> latency in ms
  awk -v p="$1%" '$1==p {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    f = (u=="us") ? 0.001 : (u=="ms") ? 1 : (u=="s") ? 1000 : (u=="m") ? 60000 : 1; printf "%.3f", v*f}' "$2"
}
w_bad() { awk '/Non-2xx or 3xx responses:/ {n+=$NF} /Socket errors:/ {gsub(",", ""); n+=$4+$6+$8+$10} END{print n+0}' "$1"; }

declare -A T_URL
T_URL[sls-default]=${SLS_URL[default]}
T_URL[sls-inprocess]=${SLS_URL[inprocess]}
T_URL[gh-node]=$node_url
T_URL[gh-go]=$go_url
root_of() {
  case $1 in
  sls-default) echo "${SLS_PID[default]}" ;;
  sls-inprocess) echo "${SLS_PID[inprocess]}" ;;
  *) echo "$gh_pid" ;; # gatehouse and its function processes
  esac
}
declare -A RPS P50 P99 CPU BAD
measure() { # TARGET CONNS ROUND
  local t=$1 c=$2 r=$3 out="$work/wrk-$1-c$2-r$3.txt" t0 t1 rps n cpu bad
  t0=$(cpu_ticks "$(root_of "$t")")
  run_wrk "$c" "$DURATION" "$out" "${T_URL[$t]}"
  t1=$(cpu_ticks "$(root_of "$t")")
  rps=$(w_rps "$out") n=$(w_n "$out") bad=$(w_bad "$out")
  cpu=$(awk -v d=$((t1 - t0)) -v hz="$clk_tck" -v n="$n" 'BEGIN{printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0)}')
  RPS["$t $c"]+="$rps " P50["$t $c"]+="$(w_p 50 "$out") " P99["$t $c"]+="$(w_p 99 "$out") "
  CPU["$t $c"]+="$cpu " BAD["$t $c"]=$((${BAD["$t $c"]:-0} + bad))
  log "c$c round $r $t: $rps req/s, p50 $(w_p 50 "$out") ms, p99 $(w_p 99 "$out") ms, CPU $cpu us/req, non-2xx+errors $bad"
}
med() { local -n a=$1; median ${a[$2]}; } # shellcheck disable=SC2086

targets=(sls-default sls-inprocess gh-node gh-go)
nt=${#targets[@]}
if [ "$WARMUP" != 0 ]; then
  log "warm-up: wrk -c32 -d$WARMUP against each target (not counted)"
  for t in "${targets[@]}"; do run_wrk 32 "$WARMUP" "$work/wrk-warmup-$t.txt" "${T_URL[$t]}"; done
fi
for c in $CONNS; do
  for r in $(seq 1 "$ROUNDS"); do
    for i in $(seq 0 $((nt - 1))); do measure "${targets[$(((i + r - 1) % nt))]}" "$c" "$r"; done
  done
done
# serverless-offline is done: stop it so it does not disturb the cold starts
for m in "${!SLS_PID[@]}"; do kill "${SLS_PID[$m]}" 2>/dev/null || true; wait "${SLS_PID[$m]}" 2>/dev/null || true; done
SLS_PID=()

# ---------------------------------------------------------------- cold starts
# A cold start is the first request to a function that has never run: create
# the function and its API (not timed), then time one request end to end.
cold() { # RUNTIME HANDLER ZIP PREFIX -> per-run ms
  local runtime=$1 handler=$2 zip=$3 prefix=$4 i url ms
  for i in $(seq 1 "$COLD"); do
    url="$(deploy "$prefix$i" "$runtime" "$handler" "$zip")/hello"
    ms=$(curl -sf -o /dev/null --max-time 30 -w '%{time_total}' "$url" | awk '{printf "%.1f", $1*1000}') ||
      die "cold request to $url failed"
    echo "$ms"
  done
}
log "cold starts: $COLD new functions per runtime"
cold_go=$(cold provided.al2023 bootstrap "$work/go.zip" coldgo | tr '\n' ' ')
cold_node=$(cold nodejs20.x handler.hello "$work/node.zip" coldnode | tr '\n' ' ')
# shellcheck disable=SC2086
cold_go_med=$(median $cold_go) cold_node_med=$(median $cold_node)

# ---------------------------------------------------------------- report
missed=0
verdict() { if "$@"; then echo PASS; else missed=$((missed + 1)); echo MISS; fi; }
fastest_sls() { # CONNS -> the higher median req/s of the two serverless-offline modes
  local a b
  a=$(med RPS "sls-default $1") b=$(med RPS "sls-inprocess $1")
  awk -v a="$a" -v b="$b" 'BEGIN{print (a > b ? a : b)}'
}
echo
echo "== Gatehouse vs serverless-offline: Lambda behind an HTTP API route ($(date -u +%FT%TZ))"
echo "   machine: $(nproc) cores, node $(node --version), serverless $SLS_VERSION, serverless-offline $SLS_OFFLINE_VERSION"
echo "   wrk -t1 -d$DURATION --latency, $ROUNDS rounds per connection count, order rotating, medians; CPU = server + function processes"
echo "   gatehouse serve flags: ${GH_FLAGS:-(defaults)}"
echo
printf '%-8s %-16s %12s %10s %10s %12s %8s\n' conns target "req/s" "p50 ms" "p99 ms" "CPU us/req" errors
for c in $CONNS; do
  for t in "${targets[@]}"; do
    printf '%-8s %-16s %12s %10s %10s %12s %8s\n' "c$c" "$t" "$(med RPS "$t $c")" "$(med P50 "$t $c")" \
      "$(med P99 "$t $c")" "$(med CPU "$t $c")" "${BAD["$t $c"]:-0}"
  done
done
echo
printf '%-58s %10s %10s %8s\n' measure value target result
for c in $CONNS; do
  f=$(fastest_sls "$c")
  rn=$(ratio "$(med RPS "gh-node $c")" "$f") rg=$(ratio "$(med RPS "gh-go $c")" "$f")
  printf '%-58s %9sx %9sx %8s\n' "c$c Node in Gatehouse vs fastest serverless-offline" "$rn" ">= $TARGET_NODE_RATIO" "$(verdict ge "$rn" "$TARGET_NODE_RATIO")"
  printf '%-58s %9sx %9sx %8s\n' "c$c Go in Gatehouse vs fastest serverless-offline" "$rg" ">= $TARGET_GO_RATIO" "$(verdict ge "$rg" "$TARGET_GO_RATIO")"
done
case " $CONNS " in
*" 1 "*)
  p=$(med P50 "gh-go 1")
  printf '%-58s %8s ms %7s ms %8s\n' "c1 Go in Gatehouse p50 latency" "$p" "<= $TARGET_GO_P50_MS" "$(verdict le "$p" "$TARGET_GO_P50_MS")"
  printf '%-58s %8s ms %10s\n' "c1 serverless-offline --useInProcess p50 (context)" "$(med P50 "sls-inprocess 1")" ""
  ;;
esac
printf '%-58s %8s ms %7s ms %8s\n' "cold start, Go provided.al2023 (median of $COLD)" "$cold_go_med" "<= $TARGET_COLD_GO_MS" "$(verdict le "$cold_go_med" "$TARGET_COLD_GO_MS")"
printf '%-58s %8s ms %7s ms %8s\n' "cold start, Node nodejs20.x (median of $COLD)" "$cold_node_med" "<= $TARGET_COLD_NODE_MS" "$(verdict le "$cold_node_med" "$TARGET_COLD_NODE_MS")"
echo
echo "   cold starts ms: go $cold_go; node $cold_node"
for c in $CONNS; do
  for t in "${targets[@]}"; do echo "   c$c $t per round req/s: ${RPS["$t $c"]}"; done
done
echo "   rerun: $rerun"
if [ "$STRICT" = 1 ] && [ "$missed" -gt 0 ]; then exit 1; fi
