-- Transactional outbox: an event is written in the transaction of the change it
-- describes, then published to Kafka by the relay (events module), which sets
-- published_at. A row is never deleted before it is published.
CREATE TABLE outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      uuid        NOT NULL UNIQUE,
    topic         text        NOT NULL CHECK (length(topic) BETWEEN 1 AND 249),
    key           text        NOT NULL,
    type          text        NOT NULL,
    payload       bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz
);
-- the relay's scan, and the lag metric: only unpublished rows are in it
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
-- the purge of published rows
CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL;
