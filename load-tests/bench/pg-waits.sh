#!/usr/bin/env bash
# Where the database sessions of a running load spend their time: samples pg_stat_activity
# every 50 ms for SECONDS seconds (one psql session, one DO loop, nothing to install: works
# without pg_stat_statements) and prints, per wait and statement, the average number of
# sessions found in it. Run it beside a load test, e.g. during an OrderPlacementSimulation step.
#
#   load-tests/bench/pg-waits.sh [SECONDS]      (default 20; DB=monepice PGHOST=127.0.0.1 ...)
#
# Reading it: "CPU" = the statement is running in PostgreSQL; "Client:ClientRead" with state
# "idle in transaction" = the transaction is open and PostgreSQL waits for the service's next
# statement (round trip + service CPU); "Lock:transactionid" / "Lock:tuple" = waiting for a
# row locked by another transaction; "IO:WALSync" / "LWLock:WALWrite" = commits waiting for
# the WAL flush; "Client:ClientRead" with state "idle" is not counted (pooled, unused).
set -euo pipefail
SECONDS_TO_SAMPLE=${1:-20}
DB=${DB:-monepice}
samples=$((SECONDS_TO_SAMPLE * 20))
psql -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U "${PGUSER:-postgres}" -d "$DB" -v ON_ERROR_STOP=1 -q <<SQL
CREATE TEMP TABLE waits (sample int, wait text, state text, query text);
DO \$\$
BEGIN
  FOR i IN 1..$samples LOOP
    -- pg_stat_activity is read once per transaction unless the snapshot is dropped
    PERFORM pg_stat_clear_snapshot();
    INSERT INTO waits
    SELECT i, coalesce(wait_event_type || ':' || wait_event, 'CPU'), state,
           left(regexp_replace(query, '\s+', ' ', 'g'), 90)
      FROM pg_stat_activity
     WHERE datname = current_database() AND backend_type = 'client backend'
       AND pid <> pg_backend_pid() AND state <> 'idle';
    PERFORM pg_sleep(0.05);
  END LOOP;
END
\$\$;
\echo 'average sessions per wait (all statements)'
SELECT round(count(*)::numeric / $samples, 2) AS sessions, wait, state
  FROM waits GROUP BY wait, state ORDER BY 1 DESC LIMIT 12;
\echo 'average sessions per wait and statement (for idle in transaction: the last statement run)'
SELECT round(count(*)::numeric / $samples, 2) AS sessions, wait, state, query
  FROM waits GROUP BY wait, state, query ORDER BY 1 DESC LIMIT 20;
SQL
