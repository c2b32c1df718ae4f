# Shell helpers shared by the benchmark scripts that drive Gatling against a running service
# (checkout-figures.sh, webhook-figures.sh). Sourced after the caller has set OUT (its output
# directory), BASE (the service's URL) and PSQL (the psql command of the benchmark's database, as
# an array).

# say <words>: a timestamped line on stderr, kept in $OUT/figures.txt
say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/figures.txt" >&2; }

machine() {
  # what else runs: the busiest processes over one second, with their working directory
  { echo "--- $1: $(uptime)"; echo "  %CPU     PID COMMAND      CWD"
    top -b -n 2 -d 1 -o %CPU -w 200 | awk '/^top -/ { frame++ } frame == 2' | sed -n '8,13p' \
      | while read -r pid user _ _ _ _ _ _ cpu _ _ command; do
          printf '%6s%% %7s %-12s %s\n' "$cpu" "$pid" "$command" "$(readlink "/proc/$pid/cwd" 2>/dev/null)"
        done
  } >> "$OUT/machine.txt"
}

# ready: the service answers its catalog
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/categories")" = 200 ]; }

# ticks <pid...>: CPU ticks (user + system) the processes have used so far
ticks() {
  local pid sum=0 t
  for pid in "$@"; do
    # utime + stime: fields 14 and 15 of /proc/<pid>/stat, counted after the ")" of the name
    t=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null) && sum=$((sum + t))
  done
  echo "$sum"
}

# no backlog of expiries from an earlier run: the orders a run leaves PENDING would all expire
# 30 min later, at that run's rate, in the middle of whatever run is going on then (the expiry
# job gives their stock back on the very SKUs being ordered). Their deadline is brought to now,
# and the run waits until the service's own expiry job (every 10 s) has cancelled them all and
# the relay has published their events.
expire_leftovers() {
  local due left
  due=$("${PSQL[@]}" -c "WITH due AS (UPDATE customer_order SET payment_deadline = now()
                           WHERE status = 'PENDING' AND payment_deadline > now() RETURNING 1)
                         SELECT count(*) FROM due")
  for _ in $(seq 1 120); do
    left=$("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM customer_order WHERE status = 'PENDING' AND payment_deadline <= now())
                                 + (SELECT count(*) FROM outbox WHERE published_at IS NULL)")
    [ "$left" = 0 ] && break
    sleep 5
  done
  [ "$due" = 0 ] || say "expired $due PENDING orders of earlier runs first ($left left)"
}
