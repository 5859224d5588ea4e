#!/usr/bin/env bash
# Side-by-side management-API benchmark: Gatehouse vs moto_server, same load
# generator, same run, same machine. See bench/README.md.
#
#   bash bench/mgmt/run.sh
#
# Knobs (environment):
#   ROUNDS=3          wrk rounds per target for CreateIntegration (alternating order)
#   DURATION=10s      length of one wrk round
#   THREADS=2 CONNS=8 wrk threads / connections
#   WARMUP=2s         untimed wrk run against each target before the rounds ("0" to skip)
#   FILL_N=10000      integrations in the API used for the listing benchmark
#   PAGE_SIZE=500     maxResults for Gatehouse's paginated GetIntegrations
#   PAGE_REPEAT=5     timed full listings of Gatehouse (median reported)
#   MOTO_GET_REPEAT=3 timed unpaginated GETs of moto (median reported)
#   GH_FLAGS=         extra flags for `gatehouse serve` (e.g. "--log-level warn")
#   MOTO_SERVER=moto_server
#   STRICT=1          exit 1 if any target is missed
#   KEEP=1            keep the temp dir (server logs, raw wrk output)
#
# Everything listens on 127.0.0.1 only; every step is bounded in time and the
# servers are stopped on exit.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-8}
WARMUP=${WARMUP:-2s}
FILL_N=${FILL_N:-10000}
PAGE_SIZE=${PAGE_SIZE:-500}
PAGE_REPEAT=${PAGE_REPEAT:-5}
MOTO_GET_REPEAT=${MOTO_GET_REPEAT:-3}
GH_FLAGS=${GH_FLAGS:-}
MOTO_SERVER=${MOTO_SERVER:-moto_server}
STRICT=${STRICT:-0}
KEEP=${KEEP:-0}

# Targets from the issue.
TARGET_RATIO=20     # Gatehouse CreateIntegration req/s >= 20x moto's
TARGET_PAGE_MS=1000 # full paginated GetIntegrations over FILL_N < 1 s
TARGET_RSS_MB=30    # idle RSS < 30 MB

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
rerun="cd $root && ROUNDS=$ROUNDS DURATION=$DURATION THREADS=$THREADS CONNS=$CONNS FILL_N=$FILL_N PAGE_SIZE=$PAGE_SIZE PAGE_REPEAT=$PAGE_REPEAT${GH_FLAGS:+ GH_FLAGS=\"$GH_FLAGS\"} bash bench/mgmt/run.sh"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "wrk not found; installing it with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    die "wrk not found: install it with 'apt-get install -y wrk' (as root)"
  fi
fi
command -v "$MOTO_SERVER" >/dev/null 2>&1 ||
  die "$MOTO_SERVER not found: install it with 'python3 -m pip install \"moto[server]==5.2.1\"'"
for t in go python3 curl timeout; do
  command -v "$t" >/dev/null 2>&1 || die "$t not found"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-bench.XXXXXX")
gh_pid="" moto_pid="" gh_rss_pid="" moto_rss_pid=""
cleanup() {
  local rc=$?
  # the listener pids differ from the launched ones only if a wrapper forked
  for p in "$gh_pid" "$moto_pid" "$gh_rss_pid" "$moto_rss_pid"; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
      kill "$p" 2>/dev/null || true
    fi
  done
  for p in "$gh_pid" "$moto_pid"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU pressure (PSI "some" avg60, % of time runnable tasks waited for a CPU)
# tells how much other work on the machine competed with the benchmark.
psi() { awk '/^some/ {sub("avg60=", "", $3); print $3 "%"}' /proc/pressure/cpu 2>/dev/null || echo n/a; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg) psi_before=$(psi)

# ---------------------------------------------------------------- build
log "building gatehouse and the pager helper"
go build -o "$work/gatehouse" ./cmd/gatehouse
go build -o "$work/pager" ./bench/mgmt/pager
pager="$work/pager"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# rss_kb PID FIELD -> value in kB of VmRSS / VmHWM from /proc/PID/status
rss_kb() { awk -v f="$2:" '$1==f {print $2}' "/proc/$1/status"; }
# cpu_ticks PID -> utime+stime of the process (all threads), in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
clk_tck=$(getconf CLK_TCK)
kb_to_mb() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }

# wait_ready NAME PID URL: poll URL until 200 (30 s at most).
wait_ready() {
  local name=$1 pid=$2 url=$3 i
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2 || true; die "$name exited during startup"; }
    if curl -sf -o /dev/null --max-time 1 "$url"; then return 0; fi
    sleep 0.1
  done
  die "$name did not become ready at $url within 30 s"
}

# listener_pid PORT FALLBACK: the pid that listens on PORT (moto_server may be
# launched through a wrapper such as a pyenv shim), else FALLBACK.
listener_pid() {
  local p=""
  if command -v ss >/dev/null 2>&1; then
    p=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
  fi
  echo "${p:-$2}"
}

# ---------------------------------------------------------------- start servers
gh_port=$(free_port)
gh_url="http://127.0.0.1:$gh_port"
log "starting gatehouse on $gh_url (data dir $work/gh-data)"
# shellcheck disable=SC2086 # GH_FLAGS is a list of flags
"$work/gatehouse" serve --listen "127.0.0.1:$gh_port" --data-dir "$work/gh-data" $GH_FLAGS \
  >"$work/gatehouse.log" 2>&1 &
gh_pid=$!
wait_ready gatehouse "$gh_pid" "$gh_url/_gatehouse/health"

moto_port=$(free_port)
moto_url="http://127.0.0.1:$moto_port"
log "starting $MOTO_SERVER on $moto_url"
"$MOTO_SERVER" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
wait_ready moto "$moto_pid" "$moto_url/moto-api/"
moto_rss_pid=$(listener_pid "$moto_port" "$moto_pid")
gh_rss_pid=$(listener_pid "$gh_port" "$gh_pid")

sleep 1
gh_idle_kb=$(rss_kb "$gh_rss_pid" VmRSS)
moto_idle_kb=$(rss_kb "$moto_rss_pid" VmRSS)
log "idle RSS: gatehouse $(kb_to_mb "$gh_idle_kb") MB, moto $(kb_to_mb "$moto_idle_kb") MB"

# ---------------------------------------------------------------- CreateIntegration
gh_api=$(timeout 30 "$pager" api -url "$gh_url" -name bench-create)
moto_api=$(timeout 30 "$pager" api -url "$moto_url" -name bench-create)
log "CreateIntegration APIs: gatehouse $gh_api, moto $moto_api"

lua="$root/bench/mgmt/create_integration.lua"
dur_s=$(awk -v d="$DURATION" 'BEGIN{n=d+0; if (d ~ /m$/) n*=60; print int(n)+60}')

# run_wrk NAME URL API DURATION OUTFILE
run_wrk() {
  timeout "$dur_s" wrk -t"$THREADS" -c"$CONNS" -d"$4" --latency -s "$lua" "$2" -- "$3" >"$5" 2>&1 ||
    { cat "$5" >&2; die "wrk against $1 failed"; }
  grep -q '^RESULT ' "$5" || { cat "$5" >&2; die "wrk against $1 printed no RESULT line"; }
}
# field FILE KEY -> value of KEY=... on the RESULT line
field() { grep '^RESULT ' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1==k {print $2}'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }

if [ "$WARMUP" != 0 ]; then
  log "warm-up: wrk -d$WARMUP against each (not counted)"
  run_wrk gatehouse "$gh_url" "$gh_api" "$WARMUP" "$work/wrk-warmup-gatehouse.txt"
  run_wrk moto "$moto_url" "$moto_api" "$WARMUP" "$work/wrk-warmup-moto.txt"
fi

gh_rps=() gh_p50=() gh_p99=() gh_cpu=() moto_rps=() moto_p50=() moto_p99=() moto_cpu=()
gh_errors=0 moto_errors=0
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="gatehouse moto"; else order="moto gatehouse"; fi
  for t in $order; do
    out="$work/wrk-$t-$r.txt"
    if [ "$t" = gatehouse ]; then url=$gh_url api=$gh_api pid=$gh_rss_pid; else url=$moto_url api=$moto_api pid=$moto_rss_pid; fi
    t0=$(cpu_ticks "$pid")
    run_wrk "$t" "$url" "$api" "$DURATION" "$out"
    t1=$(cpu_ticks "$pid")
    rps=$(field "$out" rps) p50=$(field "$out" p50_us) p99=$(field "$out" p99_us) errs=$(field "$out" errors)
    # server CPU time per request: less sensitive to a noisy machine than req/s
    cpu_us=$(awk -v d=$((t1 - t0)) -v hz="$clk_tck" -v n="$(field "$out" requests)" 'BEGIN{printf "%.0f", (n > 0 ? d / hz * 1e6 / n : 0)}')
    log "round $r $t: $rps req/s, p50 ${p50} us, p99 ${p99} us, server CPU ${cpu_us} us/req, errors $errs ($(field "$out" requests) requests)"
    if [ "$t" = gatehouse ]; then
      gh_rps+=("$rps") gh_p50+=("$p50") gh_p99+=("$p99") gh_cpu+=("$cpu_us"); gh_errors=$((gh_errors + errs))
    else
      moto_rps+=("$rps") moto_p50+=("$p50") moto_p99+=("$p99") moto_cpu+=("$cpu_us"); moto_errors=$((moto_errors + errs))
    fi
  done
done
gh_rps_m=$(median "${gh_rps[@]}") gh_p50_m=$(median "${gh_p50[@]}") gh_p99_m=$(median "${gh_p99[@]}") gh_cpu_m=$(median "${gh_cpu[@]}")
moto_rps_m=$(median "${moto_rps[@]}") moto_p50_m=$(median "${moto_p50[@]}") moto_p99_m=$(median "${moto_p99[@]}") moto_cpu_m=$(median "${moto_cpu[@]}")
ratio=$(awk -v a="$gh_rps_m" -v b="$moto_rps_m" 'BEGIN{printf "%.1f", (b>0 ? a/b : 0)}')

# Context, not a target: the same wrk load against Gatehouse's cheapest
# endpoint (GET /_gatehouse/health: no store, no model) is the ceiling of the
# HTTP stack plus the co-located load generator on this machine.
log "HTTP ceiling: wrk -d5s GET /_gatehouse/health"
t0=$(cpu_ticks "$gh_rss_pid")
timeout 60 wrk -t"$THREADS" -c"$CONNS" -d5s --latency "$gh_url/_gatehouse/health" >"$work/wrk-health.txt" 2>&1 ||
  { cat "$work/wrk-health.txt" >&2; die "wrk against /_gatehouse/health failed"; }
t1=$(cpu_ticks "$gh_rss_pid")
health_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk-health.txt")
health_n=$(awk '/requests in/ {print $1}' "$work/wrk-health.txt")
health_cpu=$(awk -v d=$((t1 - t0)) -v hz="$clk_tck" -v n="$health_n" 'BEGIN{printf "%.0f", (n > 0 ? d / hz * 1e6 / n : 0)}')
log "health: $health_rps req/s, server CPU $health_cpu us/req"

# ---------------------------------------------------------------- GetIntegrations over FILL_N
gh_list_api=$(timeout 30 "$pager" api -url "$gh_url" -name bench-list)
moto_list_api=$(timeout 30 "$pager" api -url "$moto_url" -name bench-list)
log "filling gatehouse API $gh_list_api with $FILL_N integrations ($CONNS connections)"
timeout 300 "$pager" fill -url "$gh_url" -api "$gh_list_api" -n "$FILL_N" -c "$CONNS" | tee "$work/fill-gatehouse.txt" >&2
log "filling moto API $moto_list_api with $FILL_N integrations ($CONNS connections)"
timeout 300 "$pager" fill -url "$moto_url" -api "$moto_list_api" -n "$FILL_N" -c "$CONNS" | tee "$work/fill-moto.txt" >&2

log "gatehouse: $PAGE_REPEAT full paginated listings (maxResults=$PAGE_SIZE)"
timeout 300 "$pager" page -url "$gh_url" -api "$gh_list_api" -size "$PAGE_SIZE" -n "$FILL_N" -repeat "$PAGE_REPEAT" |
  tee "$work/page-gatehouse.txt" >&2
log "moto: $MOTO_GET_REPEAT unpaginated GET(s) of all integrations"
timeout 300 "$pager" page -url "$moto_url" -api "$moto_list_api" -n "$FILL_N" -no-paging -repeat "$MOTO_GET_REPEAT" |
  tee "$work/page-moto.txt" >&2
gh_page_ms=$(field "$work/page-gatehouse.txt" median_ms)
gh_pages=$(field "$work/page-gatehouse.txt" pages)
moto_get_ms=$(field "$work/page-moto.txt" median_ms)

# ---------------------------------------------------------------- RSS after load
sleep 2
gh_load_kb=$(rss_kb "$gh_rss_pid" VmRSS) gh_hwm_kb=$(rss_kb "$gh_rss_pid" VmHWM)
moto_load_kb=$(rss_kb "$moto_rss_pid" VmRSS) moto_hwm_kb=$(rss_kb "$moto_rss_pid" VmHWM)
gh_rows=$(awk '{s+=$0} END{print s}' < <(for f in "$work"/wrk-gatehouse-*.txt "$work"/wrk-warmup-gatehouse.txt; do [ -f "$f" ] && field "$f" requests; done))

# ---------------------------------------------------------------- report
# check A OP B -> PASS/MISS (OP is >= or <; numbers may be fractional)
check() {
  if awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN{ok = (op == ">=") ? (a+0 >= b+0) : (op == "<") ? (a+0 < b+0) : 0; exit !ok}'; then
    echo PASS
  else
    echo MISS
  fi
}
v_ratio=$(check "$ratio" ">=" "$TARGET_RATIO")
[ "$gh_errors" = 0 ] || v_ratio="MISS (errors)"
v_page=$(check "$gh_page_ms" "<" "$TARGET_PAGE_MS")
v_idle=$(check "$gh_idle_kb" "<" "$((TARGET_RSS_MB * 1024))")
v_load=$(check "$gh_load_kb" "<" "$((TARGET_RSS_MB * 1024))")
missed=0
case "$v_ratio $v_page $v_idle $v_load" in *MISS*) missed=1 ;; esac
us_ms() { awk -v u="$1" 'BEGIN{printf "%.2f ms", u/1000}'; }

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
echo
echo "== Gatehouse vs moto_server: management API ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "   machine: $(nproc) cores ($cpu), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; $(python3 -c 'import moto; print("moto", moto.__version__)' 2>/dev/null || echo "moto (version unknown)")"
echo "   load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg); CPU pressure avg60 before/after: $psi_before / $(psi)"
echo "   wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS rounds alternating, medians; gatehouse flags: ${GH_FLAGS:-(defaults)}"
echo
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "measure" "gatehouse" "moto_server" "ratio" "target" "result"
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "CreateIntegration req/s (c=$CONNS)" "$gh_rps_m" "$moto_rps_m" "${ratio}x" ">= ${TARGET_RATIO}x" "$v_ratio"
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "CreateIntegration p50 latency" "$(us_ms "$gh_p50_m")" "$(us_ms "$moto_p50_m")" "" "" ""
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "CreateIntegration p99 latency" "$(us_ms "$gh_p99_m")" "$(us_ms "$moto_p99_m")" "" "" ""
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "CreateIntegration server CPU per request" "$gh_cpu_m us" "$moto_cpu_m us" \
  "$(awk -v a="$moto_cpu_m" -v b="$gh_cpu_m" 'BEGIN{printf "%.1fx", (b>0 ? a/b : 0)}')" "" ""
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "CreateIntegration errors (all rounds)" "$gh_errors" "$moto_errors" "" "0" ""
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "HTTP ceiling: GET /_gatehouse/health req/s" "$health_rps" "" "" "" "(context)"
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "HTTP ceiling: server CPU per request" "$health_cpu us" "" "" "" ""
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "list all $FILL_N integrations" "$gh_page_ms ms ($gh_pages pages)" "$moto_get_ms ms (1 GET)" \
  "$(awk -v a="$moto_get_ms" -v b="$gh_page_ms" 'BEGIN{printf "%.1fx", (b>0 ? a/b : 0)}')" "< ${TARGET_PAGE_MS} ms" "$v_page"
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "idle RSS after startup" "$(kb_to_mb "$gh_idle_kb") MB" "$(kb_to_mb "$moto_idle_kb") MB" "" "< ${TARGET_RSS_MB} MB" "$v_idle"
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "RSS after load (2 s idle)" "$(kb_to_mb "$gh_load_kb") MB" "$(kb_to_mb "$moto_load_kb") MB" "" "< ${TARGET_RSS_MB} MB" "$v_load"
printf '%-44s %-20s %-22s %-10s %-10s %s\n' "peak RSS (VmHWM)" "$(kb_to_mb "$gh_hwm_kb") MB" "$(kb_to_mb "$moto_hwm_kb") MB" "" "" ""
echo
echo "   per round req/s: gatehouse ${gh_rps[*]}; moto ${moto_rps[*]}"
echo "   per round server CPU us/req: gatehouse ${gh_cpu[*]}; moto ${moto_cpu[*]}"
echo "   fill: gatehouse $(sed -n 's/.*rps=\([0-9]*\).*/\1/p' "$work/fill-gatehouse.txt") req/s, moto $(sed -n 's/.*rps=\([0-9]*\).*/\1/p' "$work/fill-moto.txt") req/s (pager, c=$CONNS)"
echo "   'after load' = after ~${gh_rows:-?} CreateIntegration calls from wrk + $FILL_N fill + the listings"
echo "   rerun: $rerun"
if [ "$STRICT" = 1 ] && [ "$missed" = 1 ]; then exit 1; fi
