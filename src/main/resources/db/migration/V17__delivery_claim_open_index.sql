-- DeliveryMonitor counts what staff must act on every 30 s on every instance: bookings
-- still waiting for a courier and deliveries in PROBLEM. Delivered and cancelled rows (the
-- vast majority, growing with every order) are left out of the index.
CREATE INDEX delivery_claim_open_idx ON delivery_claim (state, created_at)
    WHERE state IN ('BOOKING', 'PROBLEM');
