-- Reconciliation of payment attempts (issue 5, "Reconciliation, refunds, notifications").
--
-- checked_at: when a reconciliation round last claimed the attempt to ask the provider for
--             its status (NULL: never). A round claims only live attempts not checked within
--             the last interval, stamping this column in a short transaction (FOR UPDATE SKIP
--             LOCKED), so several instances never check one attempt at the same time.
ALTER TABLE payment_attempt
    ADD COLUMN checked_at timestamptz;
CREATE INDEX payment_attempt_live_idx ON payment_attempt (created_at)
    WHERE status IN ('STARTING', 'OPEN');
