-- Courier bookings with Yango (issue 6, yango.md §2.4-§2.9): one row per DELIVERY order
-- that became READY, written in the transaction that moved it.
--
-- state (ours):
--   BOOKING    a claim must be created, estimated and accepted; the booking job drives it
--   TRACKING   accepted: statuses come from the journal (and webhook-triggered claims/info)
--   DELIVERED  delivered / delivered_finish applied: the order was completed (final)
--   PROBLEM    returned, failed, cancelled by Yango, or out of tries: staff must act (final)
--   CANCELLED  cancelled by us through claims/cancel (final)
--
-- request_id: Yango's idempotency token for claims/create, fixed before the first call and
-- reused by every retry of that create (a timed-out create is never a second courier); a
-- new one only when a new claim replaces a failed one (tries + 1). Every update of the job
-- is conditional on the request_id it read, so a worker whose claim was replaced writes
-- nothing.
-- status_updated_at: Yango's updated_ts of the last status applied; a status is applied
-- only when newer, so replays and late callbacks change nothing and never go back.
CREATE TABLE delivery_claim (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_number       text        NOT NULL UNIQUE REFERENCES customer_order (number),
    request            jsonb       NOT NULL,
    request_id         text        NOT NULL UNIQUE CHECK (length(request_id) BETWEEN 1 AND 128),
    claim_id           text        UNIQUE CHECK (length(claim_id) BETWEEN 1 AND 128),
    tries              integer     NOT NULL DEFAULT 1 CHECK (tries >= 1),
    state              text        NOT NULL CHECK (state IN ('BOOKING', 'TRACKING', 'DELIVERED', 'PROBLEM',
                                                             'CANCELLED')),
    provider_status    text        CHECK (length(provider_status) <= 64),
    provider_version   bigint,
    status_updated_at  timestamptz,
    courier_name       text        CHECK (length(courier_name) <= 200),
    courier_vehicle    text        CHECK (length(courier_vehicle) <= 200),
    eta_minutes        integer     CHECK (eta_minutes >= 0),
    tracking_url       text        CHECK (length(tracking_url) <= 1000),
    problem            text        CHECK (length(problem) <= 500),
    cancel_state       text        CHECK (cancel_state IN ('free', 'paid')),
    cancel_price       text        CHECK (length(cancel_price) <= 32),
    -- when the booking job should look at the row (a lease while it works); null: nothing
    -- to do (tracking waits for the journal)
    next_attempt_at    timestamptz,
    failures           integer     NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_error         text        CHECK (length(last_error) <= 500),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CHECK (state <> 'PROBLEM' OR problem IS NOT NULL),
    CHECK (state <> 'TRACKING' OR claim_id IS NOT NULL)
);
-- the booking job's scan
CREATE INDEX delivery_claim_due_idx ON delivery_claim (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

-- Yango's claims journal: one cursor for the account, advanced by one instance at a time
-- (the lease), only together with the events it covers (same transaction).
CREATE TABLE yango_journal (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    cursor      text,
    lease_owner text,
    lease_until timestamptz,
    updated_at  timestamptz NOT NULL
);
INSERT INTO yango_journal (id, cursor, updated_at) VALUES (1, NULL, now());
