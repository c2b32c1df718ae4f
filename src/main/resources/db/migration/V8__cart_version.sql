-- Every change of a cart (a line set or removed, the cart ordered) adds one to its version.
-- Checking a cart out for an order locks it, marks it ordered and reads its lines in one
-- statement (R2dbcCarts.checkOut); under READ COMMITTED those lines come from the
-- statement's snapshot, taken before any wait for the row lock. The version tells whether a
-- change committed in between (the locked row is then more than one version past the
-- snapshot's), and only then are the lines read again.
ALTER TABLE cart ADD COLUMN version integer NOT NULL DEFAULT 0 CHECK (version >= 0);
