-- Refunds as payouts through CinetPay's Transfer API, and store credit when a payout is
-- impossible (issue 5, cinetpay.md §1.7, §1.8).
--
-- Life of a refund (payment_refund.status):
--   REQUIRED      recorded, never sent (written by settlement, or by the cancellation of a
--                 paid order)
--   SENDING       a payout job claimed it to send the transfer: a send may have reached
--                 CinetPay (a timeout), so it is only ever sent again with the same
--                 client_transaction_id (CinetPay answers 805 to a duplicate)
--   SENT          CinetPay accepted the transfer; its status is polled until VAL or REJ
--   PAID_OUT      VAL: the money reached the customer's mobile-money account (final)
--   STORE_CREDIT  no payout possible (REJ, a permanent refusal, an amount below the payout
--                 minimum): a store_credit row holds what the shop owes (final)
--
-- client_transaction_id: our idempotency key at CinetPay, fixed when the refund is written,
-- before any send, and never changed: every retry of the payout reuses it.
-- phone: where the payout goes, the order's customer phone (E.164) at the time the refund
-- was written.
ALTER TABLE payment_refund
    ADD COLUMN kind                  text,
    ADD COLUMN phone                 text,
    ADD COLUMN client_transaction_id text,
    ADD COLUMN provider_reference    text,
    ADD COLUMN attempts              integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN next_attempt_at       timestamptz,
    ADD COLUMN last_error            text        CHECK (length(last_error) <= 500),
    ADD COLUMN sent_at               timestamptz,
    ADD COLUMN completed_at          timestamptz,
    ADD COLUMN updated_at            timestamptz;

-- rows written before this migration: refunds of unexpected payments
UPDATE payment_refund r
   SET kind = 'UNEXPECTED_PAYMENT',
       phone = o.customer_phone,
       client_transaction_id = r.transaction_id || '-R' || upper(substr(md5(random()::text || r.id), 1, 8)),
       next_attempt_at = r.created_at,
       updated_at = r.created_at
  FROM customer_order o
 WHERE o.number = r.order_number;

ALTER TABLE payment_refund
    ALTER COLUMN kind SET NOT NULL,
    ALTER COLUMN phone SET NOT NULL,
    ALTER COLUMN client_transaction_id SET NOT NULL,
    ALTER COLUMN next_attempt_at SET NOT NULL,
    ALTER COLUMN updated_at SET NOT NULL,
    -- UNEXPECTED_PAYMENT: money received for an order that could not take it (the order's
    -- payment status is not touched); ORDER_CANCELLED: a paid order was cancelled (the order
    -- becomes REFUNDED once the refund completes)
    ADD CONSTRAINT payment_refund_kind CHECK (kind IN ('UNEXPECTED_PAYMENT', 'ORDER_CANCELLED')),
    ADD CONSTRAINT payment_refund_phone CHECK (phone ~ '^\+225[0-9]{10}$'),
    ADD CONSTRAINT payment_refund_client_transaction_id UNIQUE (client_transaction_id),
    ADD CONSTRAINT payment_refund_client_transaction_id_shape CHECK (client_transaction_id ~ '^[A-Z0-9-]{8,64}$'),
    DROP CONSTRAINT payment_refund_status_check,
    ADD CONSTRAINT payment_refund_status_check
        CHECK (status IN ('REQUIRED', 'SENDING', 'SENT', 'PAID_OUT', 'STORE_CREDIT')),
    ADD CONSTRAINT payment_refund_sent CHECK (status NOT IN ('SENT', 'PAID_OUT') OR sent_at IS NOT NULL),
    ADD CONSTRAINT payment_refund_completed
        CHECK ((status IN ('PAID_OUT', 'STORE_CREDIT')) = (completed_at IS NOT NULL));

-- the payout job's claim: live refunds by due time
CREATE INDEX payment_refund_due_idx ON payment_refund (next_attempt_at)
    WHERE status IN ('REQUIRED', 'SENDING', 'SENT');

-- What the shop owes a customer when the money could not be paid out: one row per refund
-- that ended as store credit. Spending it (a later issue) will draw it down.
CREATE TABLE store_credit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    refund_id    bigint      NOT NULL UNIQUE REFERENCES payment_refund (id),
    order_number text        NOT NULL REFERENCES customer_order (number),
    phone        text        NOT NULL CHECK (phone ~ '^\+225[0-9]{10}$'),
    amount       bigint      NOT NULL CHECK (amount > 0),
    currency     text        NOT NULL CHECK (currency = 'XOF'),
    reason       text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    created_at   timestamptz NOT NULL
);
CREATE INDEX store_credit_phone_idx ON store_credit (phone);

-- What has been given back of what an order's customer paid (payout or store credit);
-- payment_status becomes PARTIALLY_REFUNDED or REFUNDED with it.
ALTER TABLE customer_order
    ADD COLUMN amount_refunded bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0),
    ADD CONSTRAINT customer_order_refunded_at_most_paid CHECK (amount_refunded <= amount_paid);
