#!/usr/bin/env bash
# Catalog read benchmark with wrk: for each endpoint, a warm-up run then two measured runs,
# printing requests/s, p50 and p99 latency. Targets a running service on this machine.
#
#   load-tests/bench/catalog-wrk.sh [BASE_URL]      (default http://127.0.0.1:8080)
#   CONNECTIONS=64 THREADS=2 DURATION=20s WARMUP=10s JIT_WARMUP=60s load-tests/bench/catalog-wrk.sh
#
# Needs wrk (Debian: apt-get install wrk). Load the benchmark catalog first (README).
set -euo pipefail
BASE=${1:-http://127.0.0.1:8080}
case "$BASE" in
  http://127.*|http://localhost*|http://\[::1\]*) ;;
  *) echo "refusing to load a non-local target: $BASE" >&2; exit 2 ;;
esac
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
# the JIT needs about a minute of mixed traffic before the first figure means anything
JIT_WARMUP=${JIT_WARMUP:-60s}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

slug=$(curl -fsS "$BASE/api/products?limit=1&sort=newest" | sed -E 's/.*"slug":"([^"]+)".*/\1/')
ENDPOINTS=${ENDPOINTS:-"/api/products?limit=24
/api/products?limit=24&category=epicerie&minPrice=500&maxPrice=20000&inStock=true&sort=price_asc
/api/products/$slug
/api/products?q=epices
/api/categories"}

report=$(mktemp)
cat > "$report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
               + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests, errors))
end
LUA

echo "JIT warm-up: $JIT_WARMUP over all endpoints" >&2
jit_each=$(( ${JIT_WARMUP%s} / $(grep -c . <<<"$ENDPOINTS") ))
while IFS= read -r path; do
  [ -n "$path" ] && wrk -t"$THREADS" -c"$CONNECTIONS" -d"${jit_each}s" "$BASE$path" >/dev/null
done <<<"$ENDPOINTS"

printf '%-100s %4s %10s %9s %9s %8s\n' endpoint run 'req/s' 'p50 ms' 'p99 ms' errors
while IFS= read -r path; do
  [ -n "$path" ] || continue
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$report.lua" "$BASE$path" >/dev/null
  for run in 1 2; do
    line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$report.lua" "$BASE$path" | grep '^RESULT')
    read -r _ rps p50 p99 total errors <<<"$line"
    printf '%-100s %4s %10s %9s %9s %8s\n' "$path" "$run" "$rps" "$p50" "$p99" "$errors"
  done
done <<<"$ENDPOINTS"
rm -f "$report" "$report.lua"
