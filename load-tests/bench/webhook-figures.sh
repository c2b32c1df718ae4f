#!/usr/bin/env bash
# Issue 5's webhook-storm figures: CinetPay notifications handled per second, p50 / p99 of
# POST /api/webhooks/cinetpay, and the invariant checked in PostgreSQL after each run (every
# order paid exactly once, its events written exactly once). Target: >= 1,000 notifications/s,
# p99 < 100 ms, zero double settlements.
#
#   load-tests/bench/webhook-figures.sh [BASE_URL]      (default http://127.0.0.1:8080)
#
# The service calls a CinetPay stub instead of CinetPay (load-tests/.../CinetPayStub.java, the
# JDK's HTTP server in a JVM of its own, started here on STUB_PORT and stopped at the end). Either
# let the script start the service pointed at it (and stop it at the end):
#   START_SERVICE=1 load-tests/bench/webhook-figures.sh http://127.0.0.1:8090
# or start it yourself with the same settings (from the repository root):
#   ./mvnw spring-boot:test-run -Dspring-boot.run.arguments="--logging.level.access=warn \
#     --shop.payment.reconciliation-interval=1h \
#     --shop.payment.cinetpay.base-url=http://127.0.0.1:8091 --shop.payment.cinetpay.api-key=storm-apikey \
#     --shop.payment.cinetpay.site-id=storm-site --shop.payment.cinetpay.secret-key=storm-secret"
# (reconciliation every hour: a round checking the attempts earlier runs left open would add its
# own check calls and settlements to a measured storm)
#
# Procedure (each step is one Gatling run of WebhookStormSimulation, which first makes its own
# paying orders through the API: cart, line, order, payment start; see load-tests/README.md):
#   1. SKU_COUNT UNIT SKUs (priced >= 100 XOF, the first by id) get STOCK units with psql;
#   2. warm-up: a storm of WARMUP_DURATION s at WARMUP_RATE notifications/s on orders of its own;
#   3. RUNS measured storms at RATE notifications/s (RAMP s of ramp, then DURATION s), COPIES
#      notifications per payment (PENDING_COPIES with a pending body), shuffled within SPREAD;
#   4. after each run, the invariant over that run's orders (bench/webhook-invariant.sql), once
#      the outbox relay has published their events (at most 60 s).
# Before each run, VACUUM (ANALYZE) (this machine's PostgreSQL runs with autovacuum off; VACUUM=0
# leaves it out) and the PENDING orders of earlier runs brought to their deadline and expired by
# the service, as bench/checkout-figures.sh does. For each run: notifications/s held at the
# plateau (after the ramp), p50 / p99 / max of the webhook (the ramp included), CPU per
# notification of the service's JVM, PostgreSQL's backends of DB, Gatling and the stub, how busy
# the machine was, and the stub's check calls per notification (a duplicate of an already settled
# payment should cost none).
#
# Settings (environment): DB=monepice PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
#   STUB_PORT=8091 STUB_THREADS=4 PENDING_CHECKS=1 API_KEY=storm-apikey SITE_ID=storm-site
#   SECRET=storm-secret SKU_COUNT=200 STOCK=100000000
#   WARMUP_RATE=500 WARMUP_DURATION=20 RATE=1000 RAMP=10 DURATION=20 RUNS=2 COPIES=4 PENDING_COPIES=1
#   SPREAD=64 P99_TARGET_MS=100 VACUUM=1 START_SERVICE=0 SERVICE_ARGS= (more --key=value for the service
#   it starts) OUT=load-tests/target/webhook-figures-<time>
# Exit status: 0 when the invariant held for every run, 1 otherwise (or when a run had no report).
#
# It changes the dev database: the stock of the chosen SKUs, the payment deadline of PENDING
# orders (brought to now before each run), and every run leaves its carts and paid orders.
# Needs psql, curl, python3, java.
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
STUB_PORT=${STUB_PORT:-8091}
STUB_THREADS=${STUB_THREADS:-4}
PENDING_CHECKS=${PENDING_CHECKS:-1}
API_KEY=${API_KEY:-storm-apikey}
SITE_ID=${SITE_ID:-storm-site}
SECRET=${SECRET:-storm-secret}
SKU_COUNT=${SKU_COUNT:-200}
STOCK=${STOCK:-100000000}
WARMUP_RATE=${WARMUP_RATE:-500}
WARMUP_DURATION=${WARMUP_DURATION:-20}
RATE=${RATE:-1000}
RAMP=${RAMP:-10}
DURATION=${DURATION:-20}
RUNS=${RUNS:-2}
COPIES=${COPIES:-4}
PENDING_COPIES=${PENDING_COPIES:-1}
SPREAD=${SPREAD:-64}
P99_TARGET_MS=${P99_TARGET_MS:-100}
VACUUM=${VACUUM:-1}
START_SERVICE=${START_SERVICE:-0}
SERVICE_ARGS=${SERVICE_ARGS:-}
OUT=${OUT:-$ROOT/load-tests/target/webhook-figures-$(date +%Y%m%d-%H%M%S)}

for tool in psql curl python3 java ss pgrep top; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done
if [ "$COPIES" -le "$PENDING_CHECKS" ]; then
  echo "COPIES ($COPIES) must exceed PENDING_CHECKS ($PENDING_CHECKS): the stub answers pending to the first" \
    "$PENDING_CHECKS check(s) of each payment, so fewer notifications would leave orders unpaid" >&2
  exit 2
fi
mkdir -p "$OUT"
PSQL=(psql -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U "${PGUSER:-postgres}" -d "$DB" -v ON_ERROR_STOP=1 -Atq)
MVN=("$ROOT/mvnw" -q -f "$ROOT/load-tests/pom.xml")
STUB_URL=http://127.0.0.1:$STUB_PORT

source "$ROOT/load-tests/bench/lib.sh"
stub_stats() { curl -sf "$STUB_URL/stats" || true; }
stat_of() { sed -nE "s/.*\\b$1=([0-9.]+).*/\\1/p" <<<"$2"; }

# --- the CinetPay stub and the service ---------------------------------------------------------
stub_pid=
service_pid=
sampler_pid=
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
  if [ -n "$service_pid" ]; then
    say "stopping the service started by this script (process group $service_pid)"
    kill -- "-$service_pid" 2>/dev/null || true
  fi
  if [ -n "$stub_pid" ]; then
    kill "$stub_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if [ -n "$(stub_stats)" ]; then
  say "a CinetPay stub already answers on $STUB_URL: using it ($(stub_stats)); its settings are its own"
else
  say "starting the CinetPay stub on $STUB_URL ($STUB_THREADS threads, pending to the first $PENDING_CHECKS check(s))"
  java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    "$ROOT/load-tests/src/test/java/ci/monepiceriz/load/CinetPayStub.java" --port "$STUB_PORT" \
    --threads "$STUB_THREADS" --apikey "$API_KEY" --site-id "$SITE_ID" --pending-checks "$PENDING_CHECKS" \
    > "$OUT/stub.log" 2>&1 &
  stub_pid=$!
  for _ in $(seq 1 30); do [ -n "$(stub_stats)" ] && break; sleep 1; done
  [ -n "$(stub_stats)" ] || { echo "the stub did not start; see $OUT/stub.log" >&2; exit 1; }
fi
stub_java=$(ss -Hltnp "sport = :$STUB_PORT" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1)

port=$(sed -E 's#^http://[^/]*:([0-9]+).*#\1#;t;s#.*#80#' <<<"$BASE")
if ! ready; then
  if [ "$START_SERVICE" != 1 ]; then
    echo "no service answers at $BASE. Start it from $ROOT pointed at the stub (see the top of this script)," >&2
    echo "or run this script with START_SERVICE=1." >&2
    exit 2
  fi
  say "starting the service on port $port, database $DB, CinetPay at $STUB_URL (log: $OUT/service.log)"
  (cd "$ROOT" && POSTGRES_DB=$DB exec setsid ./mvnw -q spring-boot:test-run \
    -Dspring-boot.run.arguments="--logging.level.access=warn --server.port=$port \
--shop.payment.reconciliation-interval=1h --shop.payment.cinetpay.base-url=$STUB_URL --shop.payment.cinetpay.api-key=$API_KEY \
--shop.payment.cinetpay.site-id=$SITE_ID --shop.payment.cinetpay.secret-key=$SECRET $SERVICE_ARGS") > "$OUT/service.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 120); do ready && break; sleep 2; done
  ready || { echo "the service did not start; see $OUT/service.log" >&2; exit 1; }
fi
# A service that does not sign with SECRET answers 401 to every notification: asked once here.
probe=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'x-token: 0' --data 'cpm_trans_id=probe' \
  "$BASE/api/webhooks/cinetpay")
[ "$probe" = 401 ] || { echo "POST $BASE/api/webhooks/cinetpay with a bad token answered $probe, not 401: no webhook in this build?" >&2; exit 1; }

# --- CPU accounting ----------------------------------------------------------------------------
# Every second: time (ms), CPU ticks of the service's JVM (the process listening on the port), of
# the PostgreSQL backends connected to DB, of the Gatling JVM, of the stub's JVM, and the
# machine's busy and idle ticks (all cores, all users).
service_java=$(ss -Hltnp "sport = :$port" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1)
sample_cpu() {
  while :; do
    # shellcheck disable=SC2046
    echo "$(date +%s%3N) $(ticks "$service_java") $(ticks $(pgrep -f "^postgres: [^:]*: [^ ]+ $DB ")) $(ticks $(pgrep -f gatlingbooter)) $(ticks "$stub_java") $(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)"
    sleep 1
  done
}
if [ -n "$service_java" ]; then
  sample_cpu > "$OUT/cpu-samples.txt" &
  sampler_pid=$!
else
  say "cannot find the process listening on port $port: no CPU figures"
fi

# window_cpu <from ms> <to ms> <notifications per second>: CPU ms per notification of the service,
# PostgreSQL, Gatling and the stub; how busy the machine was (% of all cores) and how much of it was
# none of these
window_cpu() {
  awk -v from="$1" -v to="$2" -v rate="$3" -v hz="$(getconf CLK_TCK)" '
    $1 >= from && $1 <= to {
      if (!n++) { t0 = $1; s0 = $2; p0 = $3; g0 = $4; w0 = $5; b0 = $6; i0 = $7 }
      t1 = $1; s1 = $2; p1 = $3; g1 = $4; w1 = $5; b1 = $6; i1 = $7
    }
    END {
      span = (t1 - t0) / 1000
      if (n < 2 || span <= 0 || rate <= 0) { print "- - - - - -"; exit }
      all = (b1 - b0) + (i1 - i0)
      k = hz * span * rate / 1000
      printf "%.2f %.2f %.2f %.2f %.0f %.0f\n", (s1 - s0) / k, (p1 - p0) / k, (g1 - g0) / k, (w1 - w0) / k,
        100 * (b1 - b0) / all, 100 * ((b1 - b0) - (s1 - s0) - (p1 - p0) - (g1 - g0) - (w1 - w0)) / all
    }' "$OUT/cpu-samples.txt" 2>/dev/null || echo "- - - - - -"
}

# --- data --------------------------------------------------------------------------------------
skus=$("${PSQL[@]}" -c "SELECT string_agg(code, ',' ORDER BY id) FROM (
  SELECT s.id, s.code FROM sku s JOIN product p ON p.id = s.product_id
   WHERE s.active AND p.active AND s.sale_type = 'UNIT' AND s.unit_price >= 100
   ORDER BY s.id LIMIT $SKU_COUNT) chosen")
[ -n "$skus" ] || { echo "no active UNIT SKU priced at least 100 XOF in $DB" >&2; exit 1; }
"${PSQL[@]}" -c "UPDATE sku SET stock = $STOCK WHERE code = ANY(string_to_array('$skus', ','))"
echo "$skus" | tr ',' '\n' > "$OUT/skus.txt"
say "$(wc -l < "$OUT/skus.txt") SKUs ($(head -c 40 <<<"$skus")..., all in $OUT/skus.txt) set to stock $STOCK;" \
  "autovacuum is $("${PSQL[@]}" -c "SHOW autovacuum")"

# --- runs --------------------------------------------------------------------------------------
"${MVN[@]}" test-compile


# wait_published <attempts file>: until the relay has published the events of the run (60 s at most)
wait_published() {
  for _ in $(seq 1 60); do
    [ "$("${PSQL[@]}" -c "SELECT count(*) FROM outbox WHERE published_at IS NULL")" = 0 ] && return
    sleep 1
  done
}

# storm <name> <rate> <duration> [-D...]: one WebhookStormSimulation run; answers its report folder
storm() {
  local name=$1 rate=$2 duration=$3
  shift 3
  expire_leftovers
  [ "$VACUUM" = 1 ] && "${PSQL[@]}" -c "VACUUM (ANALYZE)"
  machine "before $name"
  # assertions that fail (p99 over the target) fail the Maven build: the report is there anyway
  "${MVN[@]}" gatling:test -Dgatling.simulationClass=ci.monepiceriz.load.WebhookStormSimulation \
    -DbaseUrl="$BASE" -Drate="$rate" -Dramp="$RAMP" -Dduration="$duration" -Dcopies="$COPIES" \
    -DpendingCopies="$PENDING_COPIES" -Dspread="$SPREAD" -Dsecret="$SECRET" -DsiteId="$SITE_ID" \
    -DskuCodes="$skus" -Dp99Ms="$P99_TARGET_MS" -DattemptsFile="$OUT/$name.attempts" -DstubUrl="$STUB_URL" "$@" > "$OUT/$name.log" 2>&1 || true
  machine "after $name"
  local report
  report=$(sed -nE 's#.*please open the following file: file://(.*)/index\.html.*#\1#p' "$OUT/$name.log" | tail -1)
  [ -n "$report" ] && [ -f "$report/index.html" ] || { echo "no Gatling report for $name, see $OUT/$name.log" >&2; return 1; }
  echo "$report"
}

# invariant <name>: checks the run's orders in PostgreSQL, prints and records the verdict
FAILED=0
invariant() {
  local name=$1 result attempts once double unpaid
  if [ ! -s "$OUT/$name.attempts" ]; then
    say "$name: no attempts file, invariant NOT checked"
    FAILED=1
    return
  fi
  wait_published
  result=$("${PSQL[@]}" -f "$BENCH/webhook-invariant.sql" < "$OUT/$name.attempts")
  attempts=$(stat_of attempts "$result")
  once=$(stat_of settled_once "$result")
  if [ "$attempts" -gt 0 ] && [ "$once" = "$attempts" ]; then
    say "$name invariant HOLDS: $result"
    echo "$name $result holds" >> "$OUT/invariant.txt"
  else
    double=$(stat_of double_settled "$result")
    unpaid=$(stat_of not_settled "$result")
    local why="$double double settlement(s)"
    [ "${unpaid:-0}" -gt 0 ] && why="$why, $unpaid order(s) left unpaid (were their notifications answered 200? see KO)"
    say "$name invariant FAILS ($why): $result"
    echo "$name $result FAILS ($why)" >> "$OUT/invariant.txt"
    FAILED=1
  fi
}

ROW='%-9s %8s %10s %7s %5s %6s %6s %6s %6s %7s %7s %7s %7s %5s %6s %6s  %s\n'
printf "$ROW" run 'target/s' achieved/s notifs KO 'err %' p50 p99 max 'svc cpu' 'pg cpu' gatling stub busy others checks verdict \
  > "$OUT/table.txt"
printf "$ROW" '' '' '(plateau)' '' '' '' ms ms ms 'ms/ntf' 'ms/ntf' 'ms/ntf' 'ms/ntf' % % '/ntf' '' >> "$OUT/table.txt"

# measured <name> <rate> <duration>: one storm, one table row, its invariant
measured() {
  local name=$1 rate=$2 duration=$3 report stats meter total ko p50 p99 max achieved from to cpu err checks verdict
  report=$(storm "$name" "$rate" "$duration") || { FAILED=1; return 0; }
  stats=$("$BENCH/gatling-stats.py" "$report" "webhook")
  meter=$(grep -m1 '^>>> storm-plateau ' "$OUT/$name.log" || true)
  total=$(stat_of total "$stats"); ko=$(stat_of ko "$stats")
  p50=$(stat_of p50 "$stats"); p99=$(stat_of p99 "$stats"); max=$(stat_of max "$stats")
  achieved=$(stat_of achieved "$meter"); from=$(stat_of from "$meter"); to=$(stat_of to "$meter")
  cpu=$(window_cpu "${from:-0}" "${to:-0}" "${achieved:-0}")
  err=$(awk -v ko="$ko" -v total="$total" 'BEGIN { printf "%.2f", total ? 100 * ko / total : 100 }')
  # the stub's counts just before the storm (after the preparation and its warm-up) and after it
  checks=$(awk -v a="$(stat_of checks "$(grep -m1 '^>>> stub-after ' "$OUT/$name.log")")" \
    -v b="$(stat_of checks "$(grep -m1 '^>>> stub-before ' "$OUT/$name.log")")" \
    -v n="$total" 'BEGIN { printf "%.2f", n ? (a - b) / n : 0 }')
  if awk -v p99="$p99" -v ko="$ko" -v a="${achieved:-0}" -v r="$rate" \
      'BEGIN { exit !(p99 < '"$P99_TARGET_MS"' && ko == 0 && a >= 0.97 * r) }'; then
    verdict=ok
  else
    verdict=miss
  fi
  # shellcheck disable=SC2086
  printf "$ROW" "$name" "$rate" "${achieved:--}" "$total" "$ko" "$err" "$p50" "$p99" "$max" $cpu "$checks" \
    "$verdict  ($(basename "$report"))" | tee -a "$OUT/table.txt" >&2
  invariant "$name"
}

machine "start"
say "warm-up: a storm of ${WARMUP_DURATION}s at $WARMUP_RATE notifications/s (its own orders)"
if storm warmup "$WARMUP_RATE" "$WARMUP_DURATION" > /dev/null; then
  grep -E '^webhook.*(percentile|failed).*actual' "$OUT/warmup.log" | sed 's/^/  warm-up: /' >&2 || true
  invariant warmup
else
  say "warm-up: no report (see $OUT/warmup.log)"
fi

say "measured: $RUNS storms at $RATE notifications/s (${RAMP}s ramp, ${DURATION}s plateau), $COPIES copies each"
for run in $(seq 1 "$RUNS"); do
  measured "storm-$run" "$RATE" "$DURATION"
done
machine "end"

{
  echo
  echo "POST /api/webhooks/cinetpay against $BASE ($COPIES notifications per payment, $PENDING_COPIES pending-bodied;"
  echo "stub: pending to the first $PENDING_CHECKS check(s), then ACCEPTED; $(nproc) cores)"
  cat "$OUT/table.txt"
  echo
  echo "invariant (bench/webhook-invariant.sql), per run:"
  sed 's/^/  /' "$OUT/invariant.txt" 2>/dev/null || echo "  (not checked)"
  echo
  echo "(achieved = notifications answered 200 per second from the first sent after the ramp to the last answer;"
  echo " p50/p99/max: the webhook request over the whole storm, ramp included; checks = the stub's check calls per"
  echo " notification; svc, pg, gatling, stub cpu = CPU per notification of the service's JVM, of the PostgreSQL"
  echo " backends of $DB, of the Gatling JVM, of the stub's JVM; busy = the whole machine, % of all cores; others ="
  echo " the part of busy that is none of these; verdict ok = p99 < $P99_TARGET_MS ms, no KO, >= 97 % of the target rate)"
  echo "machine load before/after each run: $OUT/machine.txt; Gatling logs: $OUT/*.log; reports: load-tests/target/gatling/"
} | tee -a "$OUT/figures.txt"

if [ "$FAILED" != 0 ]; then
  echo "INVARIANT FAILED (or not checked) for at least one run: see above" >&2
  exit 1
fi
