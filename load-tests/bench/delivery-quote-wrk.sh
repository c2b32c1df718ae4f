#!/usr/bin/env bash
# Delivery quote latency with Yango enabled (issue 6): POST /api/carts/{token}/delivery-quote
#   warm  - the same destination every time: after the first, Yango's price comes from the
#           Redis cache (the request still reads the cart and keeps the quote in PostgreSQL)
#   yango - a random destination per request in a 1 deg x 1 deg square around Abidjan, a
#           million 0.001 deg cells: nearly every request misses the cache and calls
#           check-price on WireMock (contracts/yango, generic stub: 1500 XOF, no delay)
# WireMock answers in about a millisecond, a real Yango in tens to hundreds: the "yango" row
# measures our side of a cache miss (HTTP client, JSON, Redis write), not Yango.
#
#   load-tests/bench/delivery-quote-wrk.sh
#   CONNECTIONS=16 THREADS=2 DURATION=20s WARMUP=10s JIT_WARMUP=30s load-tests/bench/delivery-quote-wrk.sh
#
# Starts, on this machine only, WireMock (contracts/yango, port $YANGO_PORT, from the
# wiremock-standalone jar Maven already fetched for the tests) and the service
# (spring-boot:test-run, port $PORT, database $POSTGRES_DB, Redis database $REDIS_DATABASE,
# Yango enabled and pointed at WireMock), measures, and stops both. Needs wrk
# (apt-get install wrk), curl, java, PostgreSQL and Redis as for the tests.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${PORT:-8191}
YANGO_PORT=${YANGO_PORT:-8192}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
JIT_WARMUP=${JIT_WARMUP:-30s}
export POSTGRES_DB=${POSTGRES_DB:-monepice_bench_yango}
export REDIS_DATABASE=${REDIS_DATABASE:-10}
OUT=${OUT:-$ROOT/load-tests/target/delivery-quote-$(date -u +%Y%m%dT%H%M%SZ)}
BASE=http://127.0.0.1:$PORT
mkdir -p "$OUT"
for tool in wrk curl java; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done
for port in "$PORT" "$YANGO_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use: set PORT / YANGO_PORT" >&2; exit 2
  fi
done
WIREMOCK_JAR=${WIREMOCK_JAR:-$(ls ~/.m2/repository/org/wiremock/wiremock-standalone/*/wiremock-standalone-*.jar | tail -1)}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  rm -f "$OUT"/*.lua
}
trap cleanup EXIT

echo "WireMock on $YANGO_PORT (log: $OUT/wiremock.log)" >&2
(cd "$ROOT/contracts/yango" && exec setsid java -jar "$WIREMOCK_JAR" --root-dir . --port "$YANGO_PORT" \
  --no-request-journal --async-response-enabled true) > "$OUT/wiremock.log" 2>&1 &
pids+=($!)

echo "service on $PORT, database $POSTGRES_DB (log: $OUT/service.log)" >&2
(cd "$ROOT" && exec setsid ./mvnw -q spring-boot:test-run -Dspring-boot.run.arguments="--server.port=$PORT \
--logging.level.access=warn --logging.level.ci.monepiceriz.delivery=warn --shop.delivery.yango.enabled=true \
--shop.delivery.yango.base-url=http://127.0.0.1:$YANGO_PORT --shop.delivery.yango.token=bench-token \
--shop.delivery.yango.store.address=Treichville --shop.delivery.yango.store.latitude=5.3 \
--shop.delivery.yango.store.longitude=-4.01") > "$OUT/service.log" 2>&1 &
pids+=($!)
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/categories")" = 200 ]; }
for _ in $(seq 1 150); do ready && break; sleep 2; done
ready || { echo "the service did not start; see $OUT/service.log" >&2; exit 1; }

# a cart worth delivering (the demo catalog's 5 kg rice)
token=$(curl -fsS -X POST "$BASE/api/carts" | sed -E 's/.*"token":"([^"]+)".*/\1/')
curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"quantity": 2}' \
  "$BASE/api/carts/$token/lines/RIZ-PARF-5KG"
URL="$BASE/api/carts/$token/delivery-quote"

cat > "$OUT/warm.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"address": "Cocody, Abidjan", "latitude": 5.3599, "longitude": -3.966}'
LUA
cat > "$OUT/yango.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- one seed per wrk thread, or the threads would ask about the same cells
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
init = function(args)
  math.randomseed(os.time() * 100 + id)
end
request = function()
  local body = string.format('{"address": "Abidjan", "latitude": %.4f, "longitude": %.4f}',
    5.0 + math.random() , -5.0 + math.random())
  return wrk.format(nil, nil, nil, body)
end
LUA
cat > "$OUT/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
               + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.requests, errors))
end
LUA
for mode in warm yango; do cat "$OUT/report.lua" >> "$OUT/$mode.lua"; done

curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
  -d '{"address": "Cocody, Abidjan", "latitude": 5.3599, "longitude": -3.966}' "$URL"
echo "JIT warm-up: $JIT_WARMUP" >&2
half=$(( ${JIT_WARMUP%s} / 2 ))
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${half}s" -s "$OUT/warm.lua" "$URL" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${half}s" -s "$OUT/yango.lua" "$URL" >/dev/null

printf '%-6s %4s %9s %8s %8s %8s %9s %7s\n' mode run 'req/s' 'p50 ms' 'p99 ms' 'max ms' requests errors | tee "$OUT/figures.txt"
for mode in warm yango; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$OUT/$mode.lua" "$URL" >/dev/null
  for run in 1 2; do
    line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$OUT/$mode.lua" "$URL" | grep '^RESULT')
    read -r _ rps p50 p99 max total errors <<<"$line"
    printf '%-6s %4s %9s %8s %8s %8s %9s %7s\n' "$mode" "$run" "$rps" "$p50" "$p99" "$max" "$total" "$errors" | tee -a "$OUT/figures.txt"
  done
done
# the provider timer and the cache counters as the service saw them
curl -fsS "$BASE/actuator/prometheus" | grep -E '^delivery_(provider_requests_seconds_count|quote_cache_total)' | tee -a "$OUT/figures.txt"
