-- Orders (PRODUCT.md §4, §5). The table is customer_order: ORDER is a reserved word.

-- The daily order sequence behind MER-YYYYMMDD-NNNN: one row per shop day (Africa/Abidjan),
-- incremented by an upsert inside the placing transaction, so a number is taken only by an
-- order that commits and two instances can never take the same one.
CREATE TABLE order_day_counter (
    day        date    PRIMARY KEY,
    last_value integer NOT NULL CHECK (last_value >= 1)
);

CREATE TABLE customer_order (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number                text        NOT NULL UNIQUE CHECK (number ~ '^MER-[0-9]{8}-[0-9]{4,}$'),
    -- SHA-256 of the shopper's access token; the token itself is never stored
    access_token_hash     bytea       NOT NULL CHECK (length(access_token_hash) = 32),
    status                text        NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'PREPARING', 'READY',
                                                                 'COMPLETED', 'CANCELLED')),
    payment_status        text        NOT NULL CHECK (payment_status IN ('UNPAID', 'PAID', 'PARTIALLY_REFUNDED',
                                                                         'REFUNDED', 'FAILED')),
    -- optimistic concurrency: every change is "WHERE version = :seen", then version + 1
    version               integer     NOT NULL DEFAULT 0 CHECK (version >= 0),
    cart_id               bigint      UNIQUE REFERENCES cart (id) ON DELETE SET NULL,
    fulfilment            text        NOT NULL CHECK (fulfilment IN ('PICKUP', 'DELIVERY')),
    pickup_slot_start     timestamptz,
    pickup_slot_end       timestamptz,
    delivery_address      text        CHECK (length(delivery_address) BETWEEN 1 AND 500),
    delivery_latitude     double precision CHECK (delivery_latitude BETWEEN -90 AND 90),
    delivery_longitude    double precision CHECK (delivery_longitude BETWEEN -180 AND 180),
    delivery_phone        text        CHECK (delivery_phone ~ '^\+225[0-9]{10}$'),
    delivery_instructions text        CHECK (length(delivery_instructions) <= 500),
    customer_name         text        NOT NULL CHECK (length(btrim(customer_name)) BETWEEN 1 AND 120),
    customer_phone        text        NOT NULL CHECK (customer_phone ~ '^\+225[0-9]{10}$'),
    customer_email        text        CHECK (length(customer_email) <= 254 AND customer_email LIKE '%_@_%'),
    subtotal              bigint      NOT NULL CHECK (subtotal > 0),
    delivery_fee          bigint      NOT NULL CHECK (delivery_fee >= 0),
    total                 bigint      NOT NULL CHECK (total = subtotal + delivery_fee),
    amount_paid           bigint      NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
    placed_at             timestamptz NOT NULL,
    -- end of the payment window while the order is PENDING and unpaid
    payment_deadline      timestamptz,
    cancel_reason         text,
    updated_at            timestamptz NOT NULL,
    CHECK (fulfilment <> 'DELIVERY' OR (delivery_address IS NOT NULL AND delivery_latitude IS NOT NULL
                                        AND delivery_longitude IS NOT NULL AND delivery_phone IS NOT NULL)),
    CHECK (fulfilment <> 'PICKUP' OR (delivery_address IS NULL AND delivery_fee = 0)),
    CHECK ((pickup_slot_start IS NULL) = (pickup_slot_end IS NULL) AND pickup_slot_end > pickup_slot_start
           OR pickup_slot_start IS NULL),
    CHECK (status <> 'CANCELLED' OR cancel_reason IS NOT NULL)
);
-- the expiry job's scan: only PENDING orders with a deadline are in it
CREATE INDEX customer_order_deadline_idx ON customer_order (payment_deadline)
    WHERE status = 'PENDING' AND payment_deadline IS NOT NULL;

-- What was ordered, as it was when ordered: later catalog edits never change it.
CREATE TABLE order_line (
    order_id      bigint  NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    position      smallint NOT NULL CHECK (position >= 0),
    sku_id        bigint  NOT NULL REFERENCES sku (id),
    sku_code      text    NOT NULL,
    product_name  text    NOT NULL,
    sku_label     text    NOT NULL,
    sale_type     text    NOT NULL CHECK (sale_type IN ('UNIT', 'WEIGHT')),
    quantity      integer CHECK (quantity > 0),
    grams         integer CHECK (grams > 0),
    unit_price    bigint  CHECK (unit_price > 0),
    price_per_kg  bigint  CHECK (price_per_kg > 0),
    -- UNIT: quantity x unit price; WEIGHT: the estimate round_half_up(grams x price/kg / 1000)
    amount        bigint  NOT NULL CHECK (amount > 0),
    -- stock units held by this line: the quantity, or the grams
    reserved      bigint  NOT NULL CHECK (reserved > 0),
    PRIMARY KEY (order_id, position),
    CHECK (sale_type <> 'UNIT' OR (quantity IS NOT NULL AND unit_price IS NOT NULL AND grams IS NULL
                                   AND price_per_kg IS NULL AND amount = quantity * unit_price
                                   AND reserved = quantity)),
    CHECK (sale_type <> 'WEIGHT' OR (grams IS NOT NULL AND price_per_kg IS NOT NULL AND quantity IS NULL
                                     AND unit_price IS NULL AND amount = (grams * price_per_kg + 500) / 1000
                                     AND reserved = grams))
);
CREATE INDEX order_line_sku_idx ON order_line (sku_id);

-- Every status change: who, when, from, to, why (PRODUCT.md §5).
CREATE TABLE order_transition (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint      NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    from_status text        CHECK (from_status IN ('PENDING', 'CONFIRMED', 'PREPARING', 'READY', 'COMPLETED',
                                                   'CANCELLED')),
    to_status   text        NOT NULL CHECK (to_status IN ('PENDING', 'CONFIRMED', 'PREPARING', 'READY',
                                                          'COMPLETED', 'CANCELLED')),
    actor       text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 120),
    reason      text,
    at          timestamptz NOT NULL
);
CREATE INDEX order_transition_order_idx ON order_transition (order_id, id);
