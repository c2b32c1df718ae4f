-- The webhook storm's invariant (issue 5), for the attempts listed, one per line, as
-- "storm <transaction id>" or "warmup <transaction id>" (WebhookStormSimulation -DattemptsFile),
-- on psql's standard input: every order paid through one of them is settled exactly once.
--
--   psql -d monepice -Atq -f load-tests/bench/webhook-invariant.sql < attempts.txt
--
-- One line of key=value words:
--   attempts        transaction ids in the file
--   orders_found    of which an attempt and its order exist
--   settled_once    orders CONFIRMED and PAID with amount_paid = the attempt's amount, that very attempt
--                   SUCCEEDED (settled_at set) and no other SUCCEEDED attempt, exactly one PaymentSettled
--                   and one OrderStatusChanged to CONFIRMED in the outbox, exactly one PENDING -> CONFIRMED
--                   transition row, no refund flagged
--   double_settled  orders with more than one of any of these (or a refund flagged): must be 0
--   not_settled     orders with none (not paid): must be 0 when every notification was answered 200
--   settled_events, confirmations, unpublished: totals (events still waiting for the outbox relay)
-- The invariant holds when settled_once = attempts (then double_settled = not_settled = 0).
-- The outbox has no index on key: its rows are aggregated once for the orders of the file.
CREATE TEMP TABLE storm_attempt (kind text, transaction_id text);
\copy storm_attempt FROM pstdin WITH (FORMAT text, DELIMITER ' ')
WITH attempt AS (
  SELECT s.transaction_id, pa.order_number, pa.amount, pa.status, pa.settled_at
    FROM storm_attempt s LEFT JOIN payment_attempt pa USING (transaction_id)
), succeeded AS (
  SELECT x.order_number, count(*) AS n
    FROM payment_attempt x
   WHERE x.status = 'SUCCEEDED' AND x.order_number IN (SELECT order_number FROM attempt)
   GROUP BY x.order_number
), events AS (
  SELECT e.key AS order_number,
         count(*) FILTER (WHERE e.type = 'PaymentSettled') AS settled,
         count(*) FILTER (WHERE e.type = 'OrderStatusChanged'
                            AND convert_from(e.payload, 'UTF8')::jsonb -> 'data' ->> 'to' = 'CONFIRMED') AS confirmed,
         count(*) FILTER (WHERE e.published_at IS NULL) AS unpublished
    FROM outbox e
   WHERE e.type IN ('PaymentSettled', 'OrderStatusChanged') AND e.key IN (SELECT order_number FROM attempt)
   GROUP BY e.key
), transitions AS (
  SELECT o.number AS order_number, count(*) AS n
    FROM customer_order o JOIN order_transition t ON t.order_id = o.id
   WHERE o.number IN (SELECT order_number FROM attempt) AND t.from_status = 'PENDING' AND t.to_status = 'CONFIRMED'
   GROUP BY o.number
), refunds AS (
  SELECT r.order_number, count(*) AS n
    FROM payment_refund r
   WHERE r.order_number IN (SELECT order_number FROM attempt)
   GROUP BY r.order_number
), per_order AS (
  SELECT a.transaction_id, o.number, o.status AS order_status, o.payment_status, o.amount_paid = a.amount AS amount_ok,
         a.status = 'SUCCEEDED' AND a.settled_at IS NOT NULL AS this_succeeded,
         coalesce(s.n, 0) AS succeeded, coalesce(e.settled, 0) AS settled_events,
         coalesce(e.confirmed, 0) AS confirmed_events, coalesce(e.unpublished, 0) AS unpublished,
         coalesce(t.n, 0) AS confirmations, coalesce(r.n, 0) AS refunds
    FROM attempt a
    LEFT JOIN customer_order o ON o.number = a.order_number
    LEFT JOIN succeeded s ON s.order_number = a.order_number
    LEFT JOIN events e ON e.order_number = a.order_number
    LEFT JOIN transitions t ON t.order_number = a.order_number
    LEFT JOIN refunds r ON r.order_number = a.order_number
)
SELECT concat_ws(' ',
       'attempts=' || count(*),
       'orders_found=' || count(number),
       'settled_once=' || count(*) FILTER (WHERE order_status = 'CONFIRMED' AND payment_status = 'PAID' AND amount_ok
           AND this_succeeded AND succeeded = 1 AND settled_events = 1 AND confirmed_events = 1 AND confirmations = 1
           AND refunds = 0),
       'double_settled=' || count(*) FILTER (WHERE succeeded > 1 OR settled_events > 1 OR confirmed_events > 1
           OR confirmations > 1 OR refunds > 0),
       'not_settled=' || count(*) FILTER (WHERE this_succeeded IS NOT TRUE OR settled_events = 0 OR confirmations = 0
           OR order_status IS DISTINCT FROM 'CONFIRMED' OR payment_status IS DISTINCT FROM 'PAID'),
       'settled_events=' || sum(settled_events),
       'confirmations=' || sum(confirmations),
       'unpublished=' || sum(unpublished))
  FROM per_order;
