#!/usr/bin/env bash
# Render throughput of the three realistic mapping templates
# (internal/vtl/testdata/bench: a request mapping with $input.path/json, a
# #foreach over 100 items building JSON, an escapeJavaScript-heavy one):
# Gatehouse (go test -bench) vs Apache Velocity 1.7 on the JVM after a
# warm-up vs velocityjs 2.1.7 on Node, in one run, single-threaded each.
#
# Needs: go, java + javac, the Debian package velocity, node + npm.
# Targets: >= 1.0x Velocity's steady-state throughput, >= 5x velocityjs's.
# Each engine warms up, then reports the median of five rounds (the machine
# is shared and noisy). SECONDS_PER_RUN (default 3) sets the measuring time per
# template and engine.
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOFLAGS="${GOFLAGS:--buildvcs=false}" GOTOOLCHAIN=local

secs="${SECONDS_PER_RUN:-3}"
names=(request foreach escape)
dir=internal/vtl/testdata/bench
jars=/usr/share/java
cp="$jars/velocity-1.7.jar:$jars/commons-collections3.jar:$jars/commons-lang.jar"
for tool in go java javac node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/vtl/run.sh: $tool is required" >&2; exit 1; }
done
[ -f "$jars/velocity-1.7.jar" ] || {
  echo "bench/vtl/run.sh: Apache Velocity 1.7 is required (apt-get install -y velocity)" >&2
  exit 1
}
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# GOGC=400 is what `gatehouse serve` runs with (its --gc-percent default),
# as the JVM and Node run with their own defaults.
echo "--- gatehouse (go test -bench, GOGC=400 as gatehouse serve, median of 5 rounds in ${secs}s per template)" >&2
round=$(awk -v s="$secs" 'BEGIN {printf "%.3fs", s / 5}')
GOGC=400 go test -run '^$' -bench 'BenchmarkRender' -benchtime "$round" -count 5 ./internal/vtl/ |
  awk '/^BenchmarkRender\//{split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); print a[2], 1e9 / $3}' |
  sort -k1,1 -k2,2g | awk '{v[$1] = v[$1] " " $2} END {for (n in v) {k = split(v[n], x, " "); printf "%s %.1f\n", n, x[int((k + 1) / 2)]}}' >"$tmp/go.txt"

echo "--- Apache Velocity 1.7 (JVM, ${secs}s warm-up + ${secs}s per template)" >&2
javac -nowarn -d "$tmp/classes" -cp "$cp" bench/vtl/VelocityBench.java
java -cp "$tmp/classes:$cp" VelocityBench "$dir" "$secs" "${names[@]}" >"$tmp/java.txt"

echo "--- velocityjs 2.1.7 (node, ${secs}s warm-up + ${secs}s per template)" >&2
(cd "$tmp" && npm install --silent --no-audit --no-fund --no-save velocityjs@2.1.7 >/dev/null) ||
  { echo "bench/vtl/run.sh: npm install velocityjs@2.1.7 failed" >&2; exit 1; }
NODE_PATH="$tmp/node_modules" node bench/vtl/velocityjs_bench.js "$dir" "$secs" "${names[@]}" >"$tmp/js.txt"

printf '\n%-10s %14s %14s %14s %10s %10s\n' template "gatehouse/s" "velocity/s" "velocityjs/s" "vs vel" "vs js"
for n in "${names[@]}"; do
  g=$(awk -v n="$n" '$1 == n {print $2}' "$tmp/go.txt")
  j=$(awk -v n="$n" '$1 == n {print $2}' "$tmp/java.txt")
  s=$(awk -v n="$n" '$1 == n {print $2}' "$tmp/js.txt")
  awk -v n="$n" -v g="$g" -v j="$j" -v s="$s" 'BEGIN {
    printf "%-10s %14.0f %14.0f %14.0f %9.2fx %9.2fx\n", n, g, j, s, g / j, g / s }'
done
echo "targets: >= 1.00x Velocity, >= 5.00x velocityjs"
