-- The last delivery quote given for a cart (POST /api/carts/{token}/delivery-quote): placing
-- the cart's order for the same destination cell (0.001°, DestinationCell) before
-- valid_until charges this fee, the one the shopper saw, whatever Yango says by then. One
-- per cart: a new quote replaces it. Goes with its cart (purge).
CREATE TABLE cart_delivery_quote (
    cart_id      bigint      PRIMARY KEY REFERENCES cart (id) ON DELETE CASCADE,
    cell_lat_e3  integer     NOT NULL CHECK (cell_lat_e3 BETWEEN -90000 AND 90000),
    cell_lon_e3  integer     NOT NULL CHECK (cell_lon_e3 BETWEEN -180000 AND 180000),
    fee          bigint      NOT NULL CHECK (fee >= 0),
    eta_seconds  integer     NOT NULL CHECK (eta_seconds > 0),
    source       text        NOT NULL CHECK (source <> ''),
    quoted_at    timestamptz NOT NULL,
    valid_until  timestamptz NOT NULL,
    CHECK (valid_until > quoted_at)
);
