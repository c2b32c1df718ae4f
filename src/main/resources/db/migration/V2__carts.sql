-- Server-side carts (PRODUCT.md §4). The shopper holds an opaque token; only its SHA-256
-- is stored, so a copy of the database gives no one a usable cart link.
CREATE TABLE cart (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash  bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    -- updated_at + the idle time: an expired cart answers 404 and is purged
    expires_at  timestamptz NOT NULL,
    -- set once, in the transaction that places the order: a cart gives one order
    ordered_at  timestamptz,
    CHECK (expires_at > created_at AND updated_at >= created_at)
);
-- the purge job's scan
CREATE INDEX cart_expires_idx ON cart (expires_at);

-- One line per SKU: quantity for UNIT SKUs, grams for WEIGHT SKUs (the SKU's step and
-- bounds are checked by the service, which knows the SKU; the shape is checked here).
CREATE TABLE cart_line (
    cart_id   bigint      NOT NULL REFERENCES cart (id) ON DELETE CASCADE,
    sku_id    bigint      NOT NULL REFERENCES sku (id),
    quantity  integer     CHECK (quantity BETWEEN 1 AND 999),
    grams     integer     CHECK (grams BETWEEN 1 AND 100000),
    added_at  timestamptz NOT NULL,
    PRIMARY KEY (cart_id, sku_id),
    CHECK ((quantity IS NULL) <> (grams IS NULL))
);
CREATE INDEX cart_line_sku_idx ON cart_line (sku_id);
