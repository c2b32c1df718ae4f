-- Settlement of payment attempts by the CinetPay webhook (issue 5, cinetpay.md §1.2, §1.4).
--
-- settled_at: when the attempt became SUCCEEDED (set once, with the status).
-- mismatch:   set when CinetPay's check said ACCEPTED for this transaction but with an amount,
--             a currency or a transaction id other than ours: the order is NOT paid, and the
--             attempt keeps its status; staff look at it (what was received is in the text).
ALTER TABLE payment_attempt
    ADD COLUMN settled_at timestamptz,
    ADD COLUMN mismatch   text CHECK (length(mismatch) BETWEEN 1 AND 500),
    ADD CONSTRAINT payment_attempt_settled_when_succeeded CHECK ((status = 'SUCCEEDED') = (settled_at IS NOT NULL));

-- Money received that the shop must give back: a success for an order that could no longer
-- be paid (cancelled by expiry, already paid by another attempt, ...). One row per attempt,
-- so a replayed notification never asks twice. REQUIRED until the refunds step (payouts
-- through CinetPay's Transfer API) moves it on.
CREATE TABLE payment_refund (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attempt_id     bigint      NOT NULL UNIQUE REFERENCES payment_attempt (id),
    order_number   text        NOT NULL REFERENCES customer_order (number),
    transaction_id text        NOT NULL,
    amount         bigint      NOT NULL CHECK (amount > 0),
    currency       text        NOT NULL CHECK (currency = 'XOF'),
    reason         text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
    status         text        NOT NULL CHECK (status IN ('REQUIRED')),
    created_at     timestamptz NOT NULL
);
CREATE INDEX payment_refund_order_idx ON payment_refund (order_number);
