#!/usr/bin/env bash
# Issue 4's checkout figures: p50 / p99 / max of POST /api/orders at a fixed rate, and the
# number of orders placed per second while p99 < 150 ms and errors < 1 %.
#
#   load-tests/bench/checkout-figures.sh [BASE_URL]     (default http://127.0.0.1:8080)
#
# The service must be running against the dev database (from the repository root):
#   ./mvnw spring-boot:test-run -Dspring-boot.run.arguments="--logging.level.access=warn"
# or let the script start it (and stop it at the end): START_SERVICE=1 load-tests/bench/checkout-figures.sh
#
# Procedure (each step is one Gatling run; every figure is the "place order" request alone):
#   1. the benchmark catalog: PRODUCTS synthetic products (demo_generate_products) in DB;
#   2. SKU_COUNT UNIT SKUs of synthetic products (the first by id: the same ones at every run)
#      get STOCK units each with psql, so that no order is refused for stock during the runs;
#   3. JIT warm-up: WARMUP s of the whole checkout journey (CheckoutSimulation without think
#      time, WARMUP_RATE shoppers/s: catalog reads, carts, orders), then PLACEMENT_WARMUP s of
#      order placement at FIXED_RATE;
#   4. FIXED_RUNS runs of OrderPlacementSimulation at FIXED_RATE orders/s for FIXED_DURATION s;
#   5. one run per rate of STEPS, STEP_DURATION s each, stopping after the first step that
#      cannot keep up (achieved < 90 % of what the profile asks, or >= 10 % errors): the table then shows the
#      latency at each rate up to saturation. The answer is the highest step whose p99 <
#      P99_TARGET_MS and errors < MAX_ERROR_PCT %.
# Every measured run (4 and 5) reaches its rate by a linear ramp of RAMP s (from 1 order/s), as a
# load test of a live service would; its figures include the ramp. With RAMP=0 a run starts at
# full rate, and its first seconds measure the start-up of Gatling's open-model injection (it
# took a core for ~5 s and queued the service's requests) more than the service.
# For each measured run it also gives the CPU spent per order by the service's JVM, by the
# PostgreSQL backends of DB and by Gatling, and how busy the whole machine was (all users), from /proc samples
# taken every second over the measured window: on a shared machine these ratios say more than
# the latencies.
# Each OrderPlacementSimulation run first makes one cart per order through the API (its own
# phase and request names, not in the figures), then places the orders: LINES_PER_CART lines of
# 1 unit from those SKUs each.
# Before every run, the orders earlier runs left PENDING are made due and the script waits until
# the service's expiry job has cancelled them (so that no run meets a backlog of expiries from
# another), then the database gets a VACUUM (ANALYZE), as autovacuum would give it in
# production: this machine's PostgreSQL runs with autovacuum = off, and without statistics the
# planner seq-scans sku in the cart's line query (5 ms instead of 0.05 ms per order). VACUUM=0
# leaves that out.
#
# Settings (environment): DB=monepice PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
#   PRODUCTS=10000 SKU_COUNT=200 STOCK=100000000 LINES_PER_CART=2 DELIVERY_PCT=20
#   WARMUP=60 WARMUP_RATE=20 PLACEMENT_WARMUP=20 FIXED_RATE=100 FIXED_DURATION=60 FIXED_RUNS=2
#   STEPS="100 200 300 400 500 600 700 800" STEP_DURATION=30 RAMP=10
#   P99_TARGET_MS=150 MAX_ERROR_PCT=1 VACUUM=1 START_SERVICE=0 OUT=load-tests/target/checkout-figures-<time>
#
# It changes the dev database: synthetic products (when fewer than PRODUCTS), the stock of the
# chosen SKUs, the payment deadline of PENDING orders (brought to now before each run), and every
# run leaves its carts and PENDING orders. Needs psql, curl, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/load-tests/bench"
BASE=${1:-http://127.0.0.1:8080}
BASE=${BASE%/}
case "$BASE" in
  http://127.*|http://localhost*|http://\[::1\]*) ;;
  *) echo "refusing to load a non-local target: $BASE" >&2; exit 2 ;;
esac

DB=${DB:-monepice}
PRODUCTS=${PRODUCTS:-10000}
SKU_COUNT=${SKU_COUNT:-200}
STOCK=${STOCK:-100000000}
LINES_PER_CART=${LINES_PER_CART:-2}
DELIVERY_PCT=${DELIVERY_PCT:-20}
WARMUP=${WARMUP:-60}
WARMUP_RATE=${WARMUP_RATE:-20}
PLACEMENT_WARMUP=${PLACEMENT_WARMUP:-20}
FIXED_RATE=${FIXED_RATE:-100}
FIXED_DURATION=${FIXED_DURATION:-60}
FIXED_RUNS=${FIXED_RUNS:-2}
STEPS=${STEPS:-"100 200 300 400 500 600 700 800"}
STEP_DURATION=${STEP_DURATION:-30}
RAMP=${RAMP:-10}
P99_TARGET_MS=${P99_TARGET_MS:-150}
MAX_ERROR_PCT=${MAX_ERROR_PCT:-1}
VACUUM=${VACUUM:-1}
START_SERVICE=${START_SERVICE:-0}
OUT=${OUT:-$ROOT/load-tests/target/checkout-figures-$(date +%Y%m%d-%H%M%S)}

for tool in psql curl python3 ss pgrep top; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done
mkdir -p "$OUT"
PSQL=(psql -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U "${PGUSER:-postgres}" -d "$DB" -v ON_ERROR_STOP=1 -Atq)
MVN=("$ROOT/mvnw" -q -f "$ROOT/load-tests/pom.xml")

source "$ROOT/load-tests/bench/lib.sh"

# --- the service -----------------------------------------------------------------------------
port=$(sed -E 's#^http://[^/]*:([0-9]+).*#\1#;t;s#.*#80#' <<<"$BASE")
service_pid=
stop_service() {
  if [ -n "$service_pid" ]; then
    say "stopping the service started by this script (process group $service_pid)"
    kill -- "-$service_pid" 2>/dev/null || true
  fi
}
trap stop_service EXIT
if ! ready; then
  if [ "$START_SERVICE" != 1 ]; then
    echo "no service answers at $BASE. Start it from $ROOT with" >&2
    echo "  ./mvnw spring-boot:test-run -Dspring-boot.run.arguments=\"--logging.level.access=warn\"" >&2
    echo "or run this script with START_SERVICE=1." >&2
    exit 2
  fi
  say "starting the service on port $port (log: $OUT/service.log)"
  (cd "$ROOT" && exec setsid ./mvnw -q spring-boot:test-run \
    -Dspring-boot.run.arguments="--logging.level.access=warn --server.port=$port") > "$OUT/service.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 120); do ready && break; sleep 2; done
  ready || { echo "the service did not start; see $OUT/service.log" >&2; exit 1; }
fi
cart_status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Accept: application/json' "$BASE/api/carts")
[ "$cart_status" = 201 ] || { echo "POST $BASE/api/carts answered $cart_status: no cart API in this build?" >&2; exit 1; }

# --- CPU accounting ----------------------------------------------------------------------------
# Every second: time (ms), CPU ticks of the service's JVM (the process listening on the port; with
# spring-boot:test-run it also hosts the in-process Kafka broker), of the PostgreSQL backends
# connected to DB, of the Gatling JVM (forked by the plugin from a gatlingbooter jar), and the
# machine's busy and idle ticks (all cores, all users).
service_java=$(ss -Hltnp "sport = :$port" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1)
sample_cpu() {
  while :; do
    # shellcheck disable=SC2046
    echo "$(date +%s%3N) $(ticks "$service_java") $(ticks $(pgrep -f "^postgres: [^:]*: [^ ]+ $DB ")) $(ticks $(pgrep -f gatlingbooter)) $(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)"
    sleep 1
  done
}
sampler_pid=
if [ -n "$service_java" ]; then
  sample_cpu > "$OUT/cpu-samples.txt" &
  sampler_pid=$!
else
  say "cannot find the process listening on port $port: no CPU figures"
fi
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
  stop_service
}
trap cleanup EXIT

# window_cpu <from ms> <to ms> <orders per second>: CPU ms per order of the service, PostgreSQL and
# Gatling; how busy the machine was (% of all cores) and how much of it was none of these three
window_cpu() {
  awk -v from="$1" -v to="$2" -v rate="$3" -v hz="$(getconf CLK_TCK)" '
    $1 >= from && $1 <= to {
      if (!n++) { t0 = $1; s0 = $2; p0 = $3; g0 = $4; b0 = $5; i0 = $6 }
      t1 = $1; s1 = $2; p1 = $3; g1 = $4; b1 = $5; i1 = $6
    }
    END {
      span = (t1 - t0) / 1000
      if (n < 2 || span <= 0 || rate <= 0) { print "- - - - -"; exit }
      all = (b1 - b0) + (i1 - i0)
      printf "%.2f %.2f %.2f %.0f %.0f\n", (s1 - s0) / hz * 1000 / span / rate, (p1 - p0) / hz * 1000 / span / rate,
        (g1 - g0) / hz * 1000 / span / rate, 100 * (b1 - b0) / all,
        100 * ((b1 - b0) - (s1 - s0) - (p1 - p0) - (g1 - g0)) / all
    }' "$OUT/cpu-samples.txt" 2>/dev/null || echo "- - - - -"
}

# --- data ------------------------------------------------------------------------------------
synthetic=$("${PSQL[@]}" -c "SELECT count(*) FROM product WHERE slug LIKE 'synth-%'")
if [ "$synthetic" -lt "$PRODUCTS" ]; then
  say "catalog: $synthetic synthetic products, adding $((PRODUCTS - synthetic)) (demo_generate_products)"
  "${PSQL[@]}" -c "SELECT demo_generate_products($((PRODUCTS - synthetic)))" >/dev/null
fi
products=$("${PSQL[@]}" -c "SELECT count(*) FROM product WHERE active")
skus=$("${PSQL[@]}" -c "SELECT string_agg(code, ',' ORDER BY id) FROM (
  SELECT s.id, s.code FROM sku s JOIN product p ON p.id = s.product_id
   WHERE s.active AND p.active AND s.sale_type = 'UNIT' AND p.slug LIKE 'synth-%'
   ORDER BY s.id LIMIT $SKU_COUNT) chosen")
[ -n "$skus" ] || { echo "no UNIT SKU of a synthetic product in $DB" >&2; exit 1; }
# The stock is raised so that no order of the run is refused for it (each order takes 1 unit
# per line); the catalog's in_stock flags follow by trigger.
"${PSQL[@]}" -c "UPDATE sku SET stock = $STOCK WHERE code = ANY(string_to_array('$skus', ','))"
echo "$skus" | tr ',' '\n' > "$OUT/skus.txt"
autovacuum=$("${PSQL[@]}" -c "SHOW autovacuum")
say "autovacuum is $autovacuum; VACUUM (ANALYZE) before each run: $([ "$VACUUM" = 1 ] && echo yes || echo no)"
say "catalog: $products active products; $(wc -l < "$OUT/skus.txt") SKUs ($(head -c 40 <<<"$skus")..., all in $OUT/skus.txt) set to stock $STOCK"

# --- runs ------------------------------------------------------------------------------------
"${MVN[@]}" test-compile


# statistics and dead rows as autovacuum would keep them (off on this machine, see above)
vacuum() {
  if [ "$VACUUM" = 1 ]; then
    "${PSQL[@]}" -c "VACUUM (ANALYZE)"
  fi
}

# gatling <log name> <simulation> <-D...>: runs one simulation, answers its report folder
gatling() {
  local name=$1 simulation=$2
  shift 2
  expire_leftovers
  vacuum
  machine "before $name"
  # assertions that fail (an overloaded step) fail the Maven build: the report is there anyway
  "${MVN[@]}" gatling:test -Dgatling.simulationClass="ci.monepiceriz.load.$simulation" \
    -DbaseUrl="$BASE" "$@" > "$OUT/$name.log" 2>&1 || true
  machine "after $name"
  local report
  report=$(sed -nE 's#.*please open the following file: file://(.*)/index\.html.*#\1#p' "$OUT/$name.log" | tail -1)
  [ -n "$report" ] && [ -f "$report/index.html" ] || { echo "no Gatling report for $name, see $OUT/$name.log" >&2; return 1; }
  echo "$report"
}

ROW='%-10s %8s %10s %7s %5s %6s %6s %6s %6s %8s %8s %8s %5s %6s  %s\n'
printf "$ROW" run 'target/s' achieved/s orders KO 'err %' p50 p99 max 'svc cpu' 'pg cpu' 'gatling' busy others verdict \
  > "$OUT/table.txt"
printf "$ROW" '' '' '' '' '' '' ms ms ms ms/order ms/order ms/order % % '' >> "$OUT/table.txt"
best=
top_rate=

# placement <row label> <rate> <duration>: one measured OrderPlacementSimulation run, one table row
placement() {
  local label=$1 rate=$2 duration=$3 report stats meter
  report=$(gatling "$label" OrderPlacementSimulation -Drate="$rate" -Dramp="$RAMP" -Dduration="$duration" \
    -DskuCodes="$skus" -DlinesPerCart="$LINES_PER_CART" -DdeliveryPct="$DELIVERY_PCT" -Dp99Ms="$P99_TARGET_MS" \
    -DmaxFailedPct="$MAX_ERROR_PCT") || return 1
  stats=$("$BENCH/gatling-stats.py" "$report" "place order")
  meter=$(grep -m1 '^>>> placement ' "$OUT/$label.log" || true)
  local total ok ko p50 p99 max achieved err verdict from to cpu
  total=$(sed -E 's/.*\btotal=([0-9]+).*/\1/' <<<"$stats")
  ko=$(sed -E 's/.*\bko=([0-9]+).*/\1/' <<<"$stats")
  p50=$(sed -E 's/.*\bp50=([0-9]+).*/\1/' <<<"$stats")
  p99=$(sed -E 's/.*\bp99=([0-9]+).*/\1/' <<<"$stats")
  max=$(sed -E 's/.*\bmax=([0-9]+).*/\1/' <<<"$stats")
  achieved=$(sed -nE 's/.*achieved=([0-9.]+).*/\1/p' <<<"$meter")
  from=$(sed -nE 's/.* from=([0-9]+).*/\1/p' <<<"$meter")
  to=$(sed -nE 's/.* to=([0-9]+).*/\1/p' <<<"$meter")
  cpu=$(window_cpu "${from:-0}" "${to:-0}" "${achieved:-0}")
  err=$(awk -v ko="$ko" -v total="$total" 'BEGIN { printf "%.2f", total ? 100 * ko / total : 100 }')
  if awk -v p99="$p99" -v err="$err" 'BEGIN { exit !(p99 < '"$P99_TARGET_MS"' && err < '"$MAX_ERROR_PCT"') }'; then
    verdict=ok
  else
    verdict=miss
  fi
  # shellcheck disable=SC2086
  printf "$ROW" "$label" "$rate" "${achieved:--}" "$total" "$ko" "$err" "$p50" "$p99" "$max" $cpu \
    "$verdict  ($(basename "$report"))" | tee -a "$OUT/table.txt" >&2
  LAST_VERDICT=$verdict
  LAST_ACHIEVED=${achieved:-0}
  LAST_P99=$p99
  LAST_ERR=$err
}

machine "start"
say "warm-up: ${WARMUP}s of checkout journeys without think time at $WARMUP_RATE shoppers/s"
gatling warmup-checkout CheckoutSimulation -Dstress=true -Drate="$WARMUP_RATE" -Dramp=10 \
  -Dduration="$WARMUP" -DrampDown=0 >/dev/null || say "warm-up: no report (see $OUT/warmup-checkout.log)"
grep -E '^(Global|place order).*(percentile|failed).*actual' "$OUT/warmup-checkout.log" | sed 's/^/  warm-up: /' >&2 || true
if [ "$PLACEMENT_WARMUP" -gt 0 ]; then
  say "warm-up: ${PLACEMENT_WARMUP}s of order placement at $FIXED_RATE orders/s"
  gatling warmup-placement OrderPlacementSimulation -Drate="$FIXED_RATE" -Dduration="$PLACEMENT_WARMUP" \
    -DskuCodes="$skus" -DlinesPerCart="$LINES_PER_CART" >/dev/null || true
fi

say "fixed rate: $FIXED_RUNS x ${FIXED_DURATION}s at $FIXED_RATE orders/s"
for run in $(seq 1 "$FIXED_RUNS"); do
  placement "fixed-$run" "$FIXED_RATE" "$FIXED_DURATION" || true
done

say "steps: $STEPS orders/s, ${STEP_DURATION}s each"
for rate in $STEPS; do
  LAST_VERDICT=miss LAST_ACHIEVED=0 LAST_ERR=100
  placement "step-$rate" "$rate" "$STEP_DURATION" || true
  [ "$LAST_VERDICT" = ok ] && best="$rate (achieved ${LAST_ACHIEVED}/s, p99 ${LAST_P99} ms)"
  top_rate=$(awk -v a="$LAST_ACHIEVED" -v t="${top_rate:-0}" 'BEGIN { print (a > t ? a : t) }')
  # what a run that keeps up achieves on average: the ramp's area and the constant part
  if awk -v a="$LAST_ACHIEVED" -v r="$rate" -v e="$LAST_ERR" -v ramp="$RAMP" -v d="$STEP_DURATION" \
      'BEGIN { exit !(a < 0.9 * r * (d + ramp / 2) / (d + ramp) || e >= 10) }'; then
    say "steps: $rate orders/s is not kept up with (achieved ${LAST_ACHIEVED}/s, ${LAST_ERR} % errors), stopping"
    break
  fi
done
machine "end"

{
  echo
  echo "POST /api/orders against $BASE ($products active products, $LINES_PER_CART line(s) per order, $(nproc) cores)"
  cat "$OUT/table.txt"
  echo
  echo "orders placed per second at p99 < $P99_TARGET_MS ms and errors < $MAX_ERROR_PCT %: ${best:-none of the steps}"
  echo "highest rate achieved by a step: ${top_rate:--}/s"
  echo "(achieved = successful orders / time from the first sent to the last answered; svc cpu, pg cpu, gatling ="
  echo " CPU per order placed of the service's JVM, of the PostgreSQL backends of $DB, of the Gatling JVM; busy ="
  echo " the whole machine, % of all cores; others = the part of busy that is none of these: other users' processes)"
  echo "machine load before/after each run: $OUT/machine.txt; Gatling logs: $OUT/*.log; reports: load-tests/target/gatling/"
} | tee -a "$OUT/figures.txt"
