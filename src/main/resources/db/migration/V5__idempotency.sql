-- Idempotency keys (Idempotency-Key header): the first answer of a request that changed
-- something, kept for replay. The row is written in the transaction of the change, so a
-- key is never remembered for a change that did not commit, nor a change made without
-- its key.
CREATE TABLE idempotency_key (
    scope         text        NOT NULL,
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    -- SHA-256 of the request as understood (parsed and normalised)
    request_hash  bytea       NOT NULL CHECK (length(request_hash) = 32),
    status        smallint    NOT NULL,
    response      bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_key_expires_idx ON idempotency_key (expires_at);
