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
-- journal (ClaimBooking); those already under way get their first look now.
UPDATE delivery_claim SET next_attempt_at = now() WHERE state = 'TRACKING' AND next_attempt_at IS NULL;
