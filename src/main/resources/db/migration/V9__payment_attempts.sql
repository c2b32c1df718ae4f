-- Payment attempts through CinetPay (issue 5, cinetpay.md §1.1, §1.6).
--
-- The rounding discount is recorded on the order: CinetPay charges multiples of 5 XOF, so
-- the charge is the total rounded down and the shop forgoes the 0-4 XOF difference. It is
-- NULL until a first payment attempt is made, then set (again, with the same value, by every
-- later attempt: the total of a PENDING order does not change).
ALTER TABLE customer_order
    ADD COLUMN rounding_discount smallint CHECK (rounding_discount BETWEEN 0 AND 4);

-- One row per attempt to pay an order on CinetPay's hosted checkout. Life of an attempt:
--   STARTING  written (committed) before the provider is called; no payment URL yet
--   OPEN      the provider answered a payment URL; the payer may pay it
--   FAILED    the provider refused or did not answer: never reused (CinetPay refuses a reused
--             transaction id, and an unanswered one may exist there), a retry makes a new one
--   SUCCEEDED / EXPIRED  final states set by settlement and reconciliation (next steps)
-- At most one live (STARTING or OPEN) attempt per order.
CREATE TABLE payment_attempt (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_number      text        NOT NULL REFERENCES customer_order (number) ON DELETE CASCADE,
    -- ours, globally unique, sent to CinetPay: the order number and a random suffix, only
    -- letters, digits and '-'
    transaction_id    text        NOT NULL UNIQUE CHECK (transaction_id ~ '^[A-Z0-9-]{8,64}$'),
    provider          text        NOT NULL CHECK (provider IN ('CINETPAY')),
    api               text        NOT NULL CHECK (api IN ('v2', 'new')),
    status            text        NOT NULL CHECK (status IN ('STARTING', 'OPEN', 'SUCCEEDED', 'FAILED', 'EXPIRED')),
    amount            bigint      NOT NULL CHECK (amount >= 100 AND amount % 5 = 0),
    rounding_discount smallint    NOT NULL CHECK (rounding_discount BETWEEN 0 AND 4),
    currency          text        NOT NULL CHECK (currency = 'XOF'),
    payment_url       text,
    payment_token     text,
    failure_reason    text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CHECK (status <> 'OPEN' OR payment_url IS NOT NULL),
    CHECK (status <> 'FAILED' OR failure_reason IS NOT NULL)
);
CREATE UNIQUE INDEX payment_attempt_one_live_per_order ON payment_attempt (order_number)
    WHERE status IN ('STARTING', 'OPEN');
CREATE INDEX payment_attempt_order_idx ON payment_attempt (order_number, id);
