-- Order numbers come from one sequence per shop day, order_number_YYYYMMDD, instead of the
-- order_day_counter row. That row stayed locked from the number to the commit, so every
-- placing transaction queued behind the previous one's last round trips (at ~300 orders/s
-- most sessions waited on it). A sequence hands out numbers without a transactional lock.
-- The price: a number taken by a transaction that then fails (a database error or a crash
-- after the order's INSERT; refusals all happen before it) is skipped. Numbers stay unique
-- (customer_order.number is UNIQUE) and increase through the day.
--
-- The ordering module creates each day's sequence (OrderNumbering, ahead of the day, or on the
-- first order of a day that has none), starting after the day's highest number already
-- given, so the days in order_day_counter simply carry on; it drops them a few days later.
DROP TABLE order_day_counter;

-- The orders of a period: a new day's sequence starts after that day's highest number
-- (OrderNumbering), and the back office lists orders by day.
CREATE INDEX customer_order_placed_at_idx ON customer_order (placed_at);
