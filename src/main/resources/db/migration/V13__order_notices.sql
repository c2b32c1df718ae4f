-- What a paid order is told about (issue 5): the customer's confirmation e-mail and the GA4
-- purchase event, one row per order and channel, written in the settlement's transaction
-- (so a notice exists if and only if the payment committed) and sent afterwards by the
-- dispatcher of every instance (notification.NoticeDispatcher).
--
-- status:      PENDING  waiting for due_at (first send or a retry)
--              SENDING  claimed by one instance at claimed_at, being sent (outside any transaction)
--              SENT     the server took it (finished_at)
--              SKIPPED  nothing to send: channel off or not configured, no customer e-mail (outcome says)
--              FAILED   certainly not sent, and given up: a permanent refusal, or max attempts
--              UNKNOWN  handed over but no answer (or the sender died mid-send): maybe sent, so
--                       an e-mail is never sent again on its own (see README, Notifications)
-- attempts:    claims so far; a claim's number, which its outcome must quote (a late outcome of
--              an older claim changes nothing)
-- amount:      the amount paid, in XOF (the purchase's value)
-- outcome:     the last failure, the skip reason or the unknown outcome's reason
CREATE TABLE order_notice (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_number text        NOT NULL REFERENCES customer_order (number),
    channel      text        NOT NULL CHECK (channel IN ('EMAIL', 'GA4')),
    amount       bigint      NOT NULL CHECK (amount > 0),
    status       text        NOT NULL CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'SKIPPED', 'FAILED', 'UNKNOWN')),
    attempts     integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    due_at       timestamptz NOT NULL,
    claimed_at   timestamptz,
    finished_at  timestamptz,
    outcome      text        CHECK (length(outcome) BETWEEN 1 AND 500),
    created_at   timestamptz NOT NULL,
    -- one notice per order and channel: a replayed settlement cannot ask twice
    CONSTRAINT order_notice_once UNIQUE (order_number, channel),
    CONSTRAINT order_notice_claimed_when_sending CHECK ((status = 'SENDING') = (claimed_at IS NOT NULL)),
    CONSTRAINT order_notice_finished_when_final
        CHECK ((status IN ('SENT', 'SKIPPED', 'FAILED', 'UNKNOWN')) = (finished_at IS NOT NULL))
);
-- the dispatcher's claim: due notices, oldest first
CREATE INDEX order_notice_due_idx ON order_notice (due_at) WHERE status = 'PENDING';
-- the lease sweep: notices claimed long ago
CREATE INDEX order_notice_sending_idx ON order_notice (claimed_at) WHERE status = 'SENDING';
