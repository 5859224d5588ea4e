#!/usr/bin/env bash
# Data-plane benchmark: Gatehouse (one HTTP_PROXY route) vs nginx (proxy_pass
# with keepalive) vs the upstream directly, same upstream, same load generator,
# same run, same machine. See bench/dataplane/README.md.
#
#   bash bench/dataplane/run.sh            # about 5 minutes with the defaults
#
# Knobs (environment):
#   DURATION=10s       length of one wrk run
#   ROUNDS=3           rounds per connection count (targets alternate, order rotates)
#   CONNS="32 256"     wrk connection counts (-t1 always)
#   WARMUP=2s          untimed wrk run against each target first ("0" to skip)
#   ROUTES=10000       routes in the second API (ROUTES-1 "GET /svc{i}/items/{id}" + "ANY /api/{proxy+}")
#   ROUNDS_10K=ROUNDS  rounds of the one-route vs ROUTES-route comparison (alternating; 0 skips it)
#   GH_FLAGS=...       extra flags for `gatehouse serve`; default raises the account
#                      throttle (AWS default 10,000 req/s) out of the way, see README
#   GH_ENV=            environment for gatehouse, e.g. "GOGC=400" (an experiment, not the default)
#   GH2_FLAGS=         a second Gatehouse with these flags, measured like the others as "gatehouse2"
#                      (e.g. GH2_FLAGS="--http-server evloop --account-rate 1e9 --account-burst 1000000000":
#                      two configurations side by side in one run)
#   GH2_BIN=           a prebuilt gatehouse binary for gatehouse2 (default: the one built here),
#                      to compare two builds side by side: GH2_BIN=/tmp/gh-old GH2_FLAGS="..."
#   REFS=              extra reference proxies from bench/dataplane/refproxy, measured like the
#                      others: any of "reverseproxy nethttp syncclient rawserver evloop" (each adds ~20 s per
#                      round and connection count: ~2 min for all three with the defaults)
#   STRICT=1           exit 1 if any target is missed
#   KEEP=1             keep the temp dir (configs, logs, raw wrk output)
#
# Everything listens on 127.0.0.1; every step is bounded in time; a trap stops
# all servers and removes the temp dir on any exit.
set -euo pipefail

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-32 256}
WARMUP=${WARMUP:-2s}
ROUTES=${ROUTES:-10000}
ROUNDS_10K=${ROUNDS_10K:-$ROUNDS}
GH_FLAGS=${GH_FLAGS---account-rate 1e9 --account-burst 1000000000}
GH_ENV=${GH_ENV:-}
GH2_FLAGS=${GH2_FLAGS:-}
GH2_BIN=${GH2_BIN:-}
[ -z "$GH2_BIN" ] || [ -x "$GH2_BIN" ] || { echo "GH2_BIN=$GH2_BIN is not an executable" >&2; exit 1; }
REFS=${REFS:-}
STRICT=${STRICT:-0}
KEEP=${KEEP:-0}

# Targets from the issue.
TARGET_RPS_RATIO=1.0   # gatehouse req/s >= 1.0x nginx (each connection count)
TARGET_10K_RATIO=0.95  # req/s with ROUTES routes >= 0.95x one route
TARGET_IDLE_MB=30      # idle RSS
TARGET_10K_MB=150      # RSS with ROUTES routes deployed

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
rerun="cd $root && DURATION=$DURATION ROUNDS=$ROUNDS CONNS=\"$CONNS\" ROUTES=$ROUTES${ROUNDS_10K:+ ROUNDS_10K=$ROUNDS_10K} GH_FLAGS=\"$GH_FLAGS\"${GH_ENV:+ GH_ENV=\"$GH_ENV\"}${GH2_FLAGS:+ GH2_FLAGS=\"$GH2_FLAGS\"}${GH2_BIN:+ GH2_BIN=$GH2_BIN}${REFS:+ REFS=\"$REFS\"} bash bench/dataplane/run.sh"

log() { printf '[dataplane %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "missing ${missing[*]}: install with 'apt-get install -y ${missing[*]}' (as root)"
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for t in go curl timeout awk python3; do
  command -v "$t" >/dev/null 2>&1 || die "$t not found"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-dataplane.XXXXXX")
up_pid="" gh_pid="" gh2_pid="" ngx_pid=""
declare -A REF_PID
cleanup() {
  local rc=$?
  for p in "$gh_pid" "$gh2_pid" "$ngx_pid" "${REF_PID[@]}" "$up_pid"; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null || true; fi
  done
  for p in "$gh_pid" "$gh2_pid" "$ngx_pid" "${REF_PID[@]}" "$up_pid"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

psi() { awk '/^some/ {sub("avg60=", "", $3); print $3 "%"}' /proc/pressure/cpu 2>/dev/null || echo n/a; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg) psi_before=$(psi)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# kb FIELD PID... -> sum of FIELD (kB) over the processes' /proc/PID/status (VmRSS, VmHWM)
kb() { local f=$1; shift; for p in "$@"; do awk -v f="$f:" '$1==f {print $2}' "/proc/$p/status"; done | awk '{s+=$1} END{print s+0}'; }
# pss_kb PID... -> sum of Pss (kB); shared pages are split between the processes
pss_kb() { for p in "$@"; do awk '$1=="Pss:" {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null; done | awk '{s+=$1} END{print s+0}'; }
mb() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }
# cpu_ticks PID... -> utime+stime summed over the processes, in clock ticks
cpu_ticks() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat"; done | awk '{s+=$1} END{print s+0}'; }
# sys_ticks PID... -> stime (kernel time) summed over the processes, in clock ticks
sys_ticks() { for p in "$@"; do awk '{print $15}' "/proc/$p/stat"; done | awk '{s+=$1} END{print s+0}'; }
# ctx_switches PID... -> context switches (voluntary + involuntary) of every thread of the processes
ctx_switches() { for p in "$@"; do cat /proc/"$p"/task/*/status 2>/dev/null; done | awk '/ctxt_switches/ {s+=$2} END{print s+0}'; }
clk_tck=$(getconf CLK_TCK)
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b>0 ? a/b : 0)}'; }

wait_ready() { # NAME PID URL [HOST]: poll URL until 200 (30 s at most)
  local name=$1 pid=$2 url=$3 host=${4:-} i
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2 || true; die "$name exited during startup"; }
    if curl -sf -o /dev/null --max-time 1 ${host:+-H "Host: $host"} "$url"; then return 0; fi
    sleep 0.1
  done
  die "$name did not answer 200 at $url within 30 s"
}

# ---------------------------------------------------------------- build
log "building gatehouse, the upstream and the setup helper (work dir $work)"
go build -o "$work/gatehouse" ./cmd/gatehouse
go build -o "$work/upstream" ./bench/dataplane/upstream
go build -o "$work/setup" ./bench/dataplane/setup
[ -z "$REFS" ] || go build -o "$work/refproxy" ./bench/dataplane/refproxy

# ---------------------------------------------------------------- upstream
"$work/upstream" -listen 127.0.0.1:0 -port-file "$work/upstream.port" >"$work/upstream.log" 2>&1 &
up_pid=$!
for _ in $(seq 1 100); do [ -s "$work/upstream.port" ] && break; sleep 0.1; done
[ -s "$work/upstream.port" ] || die "upstream did not start"
up_port=$(cat "$work/upstream.port")
up_url="http://127.0.0.1:$up_port"
wait_ready upstream "$up_pid" "$up_url/hello"
log "upstream on $up_url"

# ---------------------------------------------------------------- gatehouse
gh_port=$(free_port)
gh_url="http://127.0.0.1:$gh_port"
log "starting gatehouse on $gh_url (flags: --max-routes $((ROUTES * 2)) $GH_FLAGS${GH_ENV:+; env $GH_ENV})"
# shellcheck disable=SC2086 # GH_FLAGS is a list of flags, GH_ENV of NAME=VALUE
env $GH_ENV "$work/gatehouse" serve --listen "127.0.0.1:$gh_port" --data-dir "$work/gh-data" --max-routes $((ROUTES * 2)) $GH_FLAGS \
  >"$work/gatehouse.log" 2>&1 &
gh_pid=$!
wait_ready gatehouse "$gh_pid" "$gh_url/_gatehouse/health"
sleep 1
gh_idle_kb=$(kb VmRSS "$gh_pid")
log "gatehouse idle RSS $(mb "$gh_idle_kb") MB"

timeout 60 "$work/setup" -endpoint "$gh_url" -id bench -upstream "$up_url" >"$work/bench.endpoint" 2>"$work/setup-bench.log" ||
  { cat "$work/setup-bench.log" >&2; die "deploying the one-route API failed"; }
gh_host=bench.execute-api.localhost
wait_ready gatehouse "$gh_pid" "$gh_url/api/hello" "$gh_host"
body_gh=$(curl -sf -H "Host: $gh_host" "$gh_url/api/hello")
body_up=$(curl -sf "$up_url/hello")
[ "$body_gh" = "$body_up" ] || die "gatehouse /api/hello does not return the upstream's /hello body"
curl -sf -o /dev/null "$(cat "$work/bench.endpoint")/api/hello" || die "the execute-api path form of the endpoint does not answer"
gh_after_setup_kb=$(kb VmRSS "$gh_pid")

# ---------------------------------------------------------------- second gatehouse (GH2_FLAGS)
if [ -n "$GH2_FLAGS" ]; then
  gh2_port=$(free_port)
  gh2_url="http://127.0.0.1:$gh2_port"
  log "starting gatehouse2 on $gh2_url (flags: $GH2_FLAGS)"
  # shellcheck disable=SC2086 # GH2_FLAGS is a list of flags
  env $GH_ENV "${GH2_BIN:-$work/gatehouse}" serve --listen "127.0.0.1:$gh2_port" --data-dir "$work/gh2-data" $GH2_FLAGS \
    >"$work/gatehouse2.log" 2>&1 &
  gh2_pid=$!
  wait_ready gatehouse2 "$gh2_pid" "$gh2_url/_gatehouse/health"
  timeout 60 "$work/setup" -endpoint "$gh2_url" -id bench -upstream "$up_url" >"$work/bench2.endpoint" 2>"$work/setup-bench2.log" ||
    { cat "$work/setup-bench2.log" >&2; die "deploying the one-route API on gatehouse2 failed"; }
  wait_ready gatehouse2 "$gh2_pid" "$gh2_url/api/hello" "$gh_host"
  [ "$(curl -sf -H "Host: $gh_host" "$gh2_url/api/hello")" = "$body_up" ] || die "gatehouse2 /api/hello does not return the upstream's /hello body"
fi

# ---------------------------------------------------------------- nginx
ngx_port=$(free_port)
ngx_url="http://127.0.0.1:$ngx_port"
ngx_dir="$work/nginx"
mkdir -p "$ngx_dir/logs" "$ngx_dir/tmp"
chmod 755 "$work" "$ngx_dir" "$ngx_dir/tmp" # workers run as nobody when the master is root
cat >"$ngx_dir/nginx.conf" <<EOF
worker_processes auto;
pid $ngx_dir/nginx.pid;
error_log $ngx_dir/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $ngx_dir/tmp/client_body;
    proxy_temp_path       $ngx_dir/tmp/proxy;
    fastcgi_temp_path     $ngx_dir/tmp/fastcgi;
    uwsgi_temp_path       $ngx_dir/tmp/uwsgi;
    scgi_temp_path        $ngx_dir/tmp/scgi;
    keepalive_requests 1000000;
    upstream backend {
        server 127.0.0.1:$up_port;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$ngx_port;
        location /api/ {
            # "/api/hello" -> "/hello", as the Gatehouse route ANY /api/{proxy+} -> {upstream}/{proxy}
            proxy_pass http://backend/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # the counterpart of Gatehouse's header mapping append:header.x-request-id
            proxy_set_header X-Request-Id \$request_id;
        }
    }
}
EOF
"$NGINX" -t -q -e "$ngx_dir/logs/error.log" -p "$ngx_dir" -c "$ngx_dir/nginx.conf" >"$work/nginx.log" 2>&1 ||
  { cat "$work/nginx.log" >&2; die "nginx rejected its config"; }
"$NGINX" -e "$ngx_dir/logs/error.log" -p "$ngx_dir" -c "$ngx_dir/nginx.conf" -g 'daemon off;' >>"$work/nginx.log" 2>&1 &
ngx_pid=$!
wait_ready nginx "$ngx_pid" "$ngx_url/api/hello"
[ "$(curl -sf "$ngx_url/api/hello")" = "$body_up" ] || die "nginx /api/hello does not return the upstream's /hello body"
ngx_pids() { echo "$ngx_pid" $(pgrep -P "$ngx_pid" || true); }
log "nginx on $ngx_url (pids $(ngx_pids))"

# ---------------------------------------------------------------- reference proxies
declare -A REF_URL
for m in $REFS; do
  case $m in reverseproxy | nethttp | syncclient | rawserver | evloop) ;; *) die "REFS: unknown reference proxy $m" ;; esac
  "$work/refproxy" -mode "$m" -listen 127.0.0.1:0 -port-file "$work/ref-$m.port" -upstream "$up_url" >"$work/ref-$m.log" 2>&1 &
  REF_PID[$m]=$!
  for _ in $(seq 1 100); do [ -s "$work/ref-$m.port" ] && break; sleep 0.1; done
  [ -s "$work/ref-$m.port" ] || die "refproxy $m did not start"
  REF_URL[$m]="http://127.0.0.1:$(cat "$work/ref-$m.port")"
  wait_ready "ref-$m" "${REF_PID[$m]}" "${REF_URL[$m]}/api/hello"
  [ "$(curl -sf "${REF_URL[$m]}/api/hello")" = "$body_up" ] || die "refproxy $m /api/hello does not return the upstream's /hello body"
  log "refproxy $m on ${REF_URL[$m]}"
done

# ---------------------------------------------------------------- load
dur_s=$(awk -v d="$DURATION" 'BEGIN{n=d+0; if (d ~ /m$/) n*=60; print int(n)+30}')
# run_wrk CONNS DURATION OUTFILE URL [HOST]
run_wrk() {
  timeout "$dur_s" wrk -t1 -c"$1" -d"$2" --latency ${5:+-H "Host: $5"} "$4" >"$3" 2>&1 ||
    { cat "$3" >&2; die "wrk $4 failed"; }
  grep -q '^Requests/sec:' "$3" || { cat "$3" >&2; die "wrk $4 printed no Requests/sec"; }
}
# wrk output -> numbers
w_rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
w_n() { awk '/requests in/ {print $1}' "$1"; }
w_p() { # PERCENTILE FILE -> latency in ms
  awk -v p="$1%" '$1==p {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    f = (u=="us") ? 0.001 : (u=="ms") ? 1 : (u=="s") ? 1000 : (u=="m") ? 60000 : 1; printf "%.2f", v*f}' "$2"
}
# requests that were not 2xx/3xx, plus socket errors
w_bad() { awk '/Non-2xx or 3xx responses:/ {n+=$NF} /Socket errors:/ {gsub(",", ""); n+=$4+$6+$8+$10} END{print n+0}' "$1"; }

declare -A T_URL T_HOST
T_URL[direct]="$up_url/hello"
T_URL[nginx]="$ngx_url/api/hello"
T_URL[gatehouse]="$gh_url/api/hello" T_HOST[gatehouse]=$gh_host
T_URL[gatehouse10k]="$gh_url/api/hello" T_HOST[gatehouse10k]=bench10k.execute-api.localhost
for m in $REFS; do T_URL[$m]="${REF_URL[$m]}/api/hello"; done
[ -z "$GH2_FLAGS" ] || { T_URL[gatehouse2]="$gh2_url/api/hello" T_HOST[gatehouse2]=$gh_host; }
pids_of() {
  case $1 in
  direct) echo "$up_pid" ;;
  nginx) ngx_pids ;;
  gatehouse | gatehouse10k) echo "$gh_pid" ;;
  gatehouse2) echo "$gh2_pid" ;;
  *) echo "${REF_PID[$1]}" ;;
  esac
}

# key "TARGET CONNS" -> space-separated per-round values; the one-route vs many-routes
# block is stored under "TARGET 32x" so that it does not mix with the first block's c32
declare -A RPS P50 P99 CPU SYS CS BAD
# measure TARGET CONNS ROUND [KEY]: one wrk run; records req/s, p50, p99, server CPU per
# request under "TARGET KEY" (KEY defaults to CONNS)
measure() {
  local t=$1 c=$2 r=$3 k=${4:-$2} out="$work/wrk-$1-c$2-${4:-}r$3.txt" t0 t1 s0 s1 x0 x1 rps n cpu bad
  # shellcheck disable=SC2046
  t0=$(cpu_ticks $(pids_of "$t")) s0=$(sys_ticks $(pids_of "$t")) x0=$(ctx_switches $(pids_of "$t"))
  run_wrk "$c" "$DURATION" "$out" "${T_URL[$t]}" "${T_HOST[$t]:-}"
  # shellcheck disable=SC2046
  t1=$(cpu_ticks $(pids_of "$t")) s1=$(sys_ticks $(pids_of "$t")) x1=$(ctx_switches $(pids_of "$t"))
  rps=$(w_rps "$out") n=$(w_n "$out") bad=$(w_bad "$out")
  cpu=$(awk -v d=$((t1 - t0)) -v hz="$clk_tck" -v n="$n" 'BEGIN{printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0)}')
  RPS["$t $k"]+="$rps " P50["$t $k"]+="$(w_p 50 "$out") " P99["$t $k"]+="$(w_p 99 "$out") "
  CPU["$t $k"]+="$cpu " SYS["$t $k"]+="$(awk -v s=$((s1 - s0)) -v d=$((t1 - t0)) 'BEGIN{printf "%.0f", (d > 0 ? 100 * s / d : 0)}') " BAD["$t $k"]=$((${BAD["$t $k"]:-0} + bad))
  CS["$t $k"]+="$(awk -v x=$((x1 - x0)) -v n="$n" 'BEGIN{printf "%.3f", (n > 0 ? x / n : 0)}') "
  log "c$c round $r $t: $rps req/s, p50 $(w_p 50 "$out") ms, p99 $(w_p 99 "$out") ms, proxy CPU $cpu us/req, non-2xx+errors $bad"
}
med() { # ARRAY-NAME KEY -> median of the per-round values
  local -n a=$1
  # shellcheck disable=SC2086
  median ${a[$2]:-}
}

# shellcheck disable=SC2206
targets=(direct nginx gatehouse ${GH2_FLAGS:+gatehouse2} $REFS)
nt=${#targets[@]}
if [ "$WARMUP" != 0 ]; then
  log "warm-up: wrk -c32 -d$WARMUP against each target (not counted)"
  for t in "${targets[@]}"; do run_wrk 32 "$WARMUP" "$work/wrk-warmup-$t.txt" "${T_URL[$t]}" "${T_HOST[$t]:-}"; done
fi
for c in $CONNS; do
  for r in $(seq 1 "$ROUNDS"); do
    # rotate the order every round so that a burst of outside load does not always hit the same target
    for i in $(seq 0 $((nt - 1))); do measure "${targets[$(((i + r - 1) % nt))]}" "$c" "$r"; done
  done
done
sleep 2
gh_after_load_kb=$(kb VmRSS "$gh_pid")
# shellcheck disable=SC2046
ngx_rss_kb=$(kb VmRSS $(ngx_pids)) ngx_pss_kb=$(pss_kb $(ngx_pids))
up_rss_kb=$(kb VmRSS "$up_pid")

# ---------------------------------------------------------------- many routes
log "deploying bench10k: $((ROUTES - 1)) routes GET /svc{i}/items/{id} + ANY /api/{proxy+}, then the stage"
s0=$(date +%s.%N)
timeout 300 "$work/setup" -endpoint "$gh_url" -id bench10k -upstream "$up_url" -extra-routes $((ROUTES - 1)) -c 16 \
  >"$work/bench10k.endpoint" 2>"$work/setup-bench10k.log" ||
  { cat "$work/setup-bench10k.log" >&2; die "deploying the $ROUTES-route API failed"; }
setup_s=$(awk -v a="$s0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
sed 's/^/    /' "$work/setup-bench10k.log" >&2
wait_ready gatehouse "$gh_pid" "$gh_url/api/hello" bench10k.execute-api.localhost
[ "$(curl -sf -H "Host: bench10k.execute-api.localhost" "$gh_url/api/hello")" = "$body_up" ] ||
  die "bench10k /api/hello does not return the upstream's /hello body"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: bench10k.execute-api.localhost" "$gh_url/svc$((ROUTES - 2))/items/42")
[ "$code" = 200 ] || die "bench10k GET /svc$((ROUTES - 2))/items/42 answered $code, want 200 (route not deployed?)"
sleep 2
gh_10k_idle_kb=$(kb VmRSS "$gh_pid")
log "gatehouse RSS with both APIs deployed ($ROUTES + 1 routes): $(mb "$gh_10k_idle_kb") MB"

log "one route vs $ROUTES routes, c32"
for r in $(seq 1 "$ROUNDS_10K"); do
  if [ $((r % 2)) = 1 ]; then order="gatehouse10k gatehouse"; else order="gatehouse gatehouse10k"; fi
  for t in $order; do measure "$t" 32 "$r" 32x; done
done
sleep 2
gh_10k_load_kb=$(kb VmRSS "$gh_pid") gh_hwm_kb=$(kb VmHWM "$gh_pid")

# ---------------------------------------------------------------- report
check() { # A OP B -> PASS/MISS
  if awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN{ok = (op == ">=") ? (a+0 >= b+0) : (op == "<=") ? (a+0 <= b+0) : (op == "<") ? (a+0 < b+0) : 0; exit !ok}'; then
    echo PASS
  else
    echo MISS
  fi
}
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
echo
echo "== Gatehouse data plane vs nginx vs direct upstream ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "   machine: $(nproc) cores ($cpu_model), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; $($NGINX -v 2>&1 | sed 's/.*: //'); $(go version | awk '{print $3}'); $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
echo "   load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg); CPU pressure avg60 before/after: $psi_before / $(psi)"
echo "   wrk -t1 -d$DURATION --latency, $ROUNDS rounds per connection count, order rotating, medians"
echo "   gatehouse: one HTTP_PROXY route ANY /api/{proxy+} -> $up_url/{proxy}, append:header.x-request-id, no access log; flags: --max-routes $((ROUTES * 2)) $GH_FLAGS${GH_ENV:+; env $GH_ENV}"
[ -z "$GH2_FLAGS" ] || echo "   gatehouse2: the same API on a second Gatehouse; flags: $GH2_FLAGS"
echo "   nginx: worker_processes auto ($(($(echo $(ngx_pids) | wc -w) - 1)) workers), upstream keepalive 64, proxy_http_version 1.1, access_log off"
echo
printf '%-12s %-6s %10s %9s %9s %12s %6s %7s %9s   %s\n' target conns "req/s" "p50 ms" "p99 ms" "CPU us/req" "sys%" "cs/req" "bad" "per-round req/s"
for c in $CONNS; do
  for t in "${targets[@]}"; do
    printf '%-12s %-6s %10.0f %9.2f %9.2f %12.1f %6.0f %7.3f %9s   %s\n' "$t" "c$c" "$(med RPS "$t $c")" "$(med P50 "$t $c")" \
      "$(med P99 "$t $c")" "$(med CPU "$t $c")" "$(med SYS "$t $c")" "$(med CS "$t $c")" "${BAD["$t $c"]}" "${RPS["$t $c"]}"
  done
done
for t in gatehouse gatehouse10k; do
  [ "$ROUNDS_10K" -gt 0 ] || break
  printf '%-12s %-6s %10.0f %9.2f %9.2f %12.1f %6.0f %7.3f %9s   %s\n' "${t/gatehouse10k/gh-${ROUTES}r}" "c32" "$(med RPS "$t 32x")" \
    "$(med P50 "$t 32x")" "$(med P99 "$t 32x")" "$(med CPU "$t 32x")" "$(med SYS "$t 32x")" "$(med CS "$t 32x")" "${BAD["$t 32x"]}" "${RPS["$t 32x"]}"
done
echo "   (CPU us/req: CPU time of the proxy process(es) (upstream for 'direct') per completed request; sys%: the kernel's share of it; cs/req: context switches of the proxy's threads per request; bad: non-2xx + socket errors, all rounds)"
echo "   (last two rows: second block, gatehouse one-route API vs the $ROUTES-route API, alternating, c32)"
echo

missed=0
row() { # MEASURE VALUE TARGET RESULT
  printf '%-52s %-28s %-14s %s\n' "$1" "$2" "$3" "$4"
  case $4 in MISS*) missed=1 ;; esac
}
row measure value target result
for c in $CONNS; do
  rr=$(ratio "$(med RPS "gatehouse $c")" "$(med RPS "nginx $c")")
  v=$(check "$rr" ">=" "$TARGET_RPS_RATIO")
  [ "${BAD["gatehouse $c"]}" = 0 ] || v="MISS (non-2xx/errors)"
  row "req/s gatehouse / nginx, c$c" "${rr}x ($(med RPS "gatehouse $c" | awk '{printf "%.0f", $1}') / $(med RPS "nginx $c" | awk '{printf "%.0f", $1}'))" ">= ${TARGET_RPS_RATIO}x" "$v"
  rd=$(ratio "$(med RPS "gatehouse $c")" "$(med RPS "direct $c")")
  row "  (context) gatehouse / direct upstream, c$c" "${rd}x" "" ""
  if [ -n "$GH2_FLAGS" ]; then
    row "  (context) gatehouse2 / nginx, c$c" "$(ratio "$(med RPS "gatehouse2 $c")" "$(med RPS "nginx $c")")x" "" ""
    row "  (context) gatehouse2 / gatehouse, c$c" "$(ratio "$(med RPS "gatehouse2 $c")" "$(med RPS "gatehouse $c")")x" "" ""
  fi
done
if [[ " $CONNS " == *" 32 "* ]]; then
  g99=$(med P99 "gatehouse 32") n99=$(med P99 "nginx 32")
  row "p99 gatehouse vs nginx, c32" "$g99 ms vs $n99 ms" "<= nginx" "$(check "$g99" "<=" "$n99")"
fi
if [ "$ROUNDS_10K" -gt 0 ]; then
  r10=$(ratio "$(med RPS "gatehouse10k 32x")" "$(med RPS "gatehouse 32x")")
  v10=$(check "$r10" ">=" "$TARGET_10K_RATIO")
  [ "${BAD["gatehouse10k 32x"]}" = 0 ] || v10="MISS (non-2xx/errors)"
  row "req/s $ROUTES routes / 1 route, c32" "${r10}x" ">= ${TARGET_10K_RATIO}x" "$v10"
  row "  (context) the same from CPU us/req (1 route / ${ROUTES})" "$(ratio "$(med CPU "gatehouse 32x")" "$(med CPU "gatehouse10k 32x")")x" "" ""
fi
row "idle RSS after start (health OK + 1 s)" "$(mb "$gh_idle_kb") MB" "< ${TARGET_IDLE_MB} MB" "$(check "$gh_idle_kb" "<" $((TARGET_IDLE_MB * 1024)))"
row "  RSS after deploying the 1-route API" "$(mb "$gh_after_setup_kb") MB" "" ""
row "  RSS after the 1-route load (+2 s)" "$(mb "$gh_after_load_kb") MB" "" ""
row "RSS with $ROUTES routes deployed (idle, +2 s)" "$(mb "$gh_10k_idle_kb") MB" "< ${TARGET_10K_MB} MB" "$(check "$gh_10k_idle_kb" "<" $((TARGET_10K_MB * 1024)))"
row "RSS with $ROUTES routes after load (+2 s)" "$(mb "$gh_10k_load_kb") MB" "< ${TARGET_10K_MB} MB" "$(check "$gh_10k_load_kb" "<" $((TARGET_10K_MB * 1024)))"
row "  gatehouse peak RSS (VmHWM), whole run" "$(mb "$gh_hwm_kb") MB" "" ""
row "  (reference) nginx RSS, master+workers" "$(mb "$ngx_rss_kb") MB (PSS $(mb "$ngx_pss_kb") MB)" "" ""
row "  (reference) upstream RSS" "$(mb "$up_rss_kb") MB" "" ""
row "  (info) deploying the $ROUTES-route API" "${setup_s} s" "" ""
echo
echo "   rerun: $rerun"
if [ "$STRICT" = 1 ] && [ "$missed" = 1 ]; then exit 1; fi
exit 0
