-- Watching deliveries under way (DeliveryMonitor):
-- * yango_journal.polled_at: when a journal round last ended without error, whether it
--   found events or not (the cursor, and so updated_at, only moves when there are some):
--   a poller failing round after round shows as a growing age.
-- * deliveries under way (TRACKING) join the partial index the monitor reads, so "the
--   longest a delivery under way has heard nothing from Yango" stays one index scan.
ALTER TABLE yango_journal ADD COLUMN polled_at timestamptz;

DROP INDEX delivery_claim_open_idx;
CREATE INDEX delivery_claim_open_idx ON delivery_claim (state, created_at)
    WHERE state IN ('BOOKING', 'PROBLEM', 'TRACKING');

-- Accepted claims are read again with claims/info every tracking-recheck besides the
-- journal (ClaimBooking); those already under way, their order still READY, get their
-- first look within the next ten minutes (spread, not all at once).
UPDATE delivery_claim SET next_attempt_at = now() + random() * interval '10 minutes'
 WHERE state = 'TRACKING' AND next_attempt_at IS NULL
   AND order_number IN (SELECT number FROM customer_order WHERE status = 'READY');
