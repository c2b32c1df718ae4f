-- Staff alerts (delivery problems): a courier booking that became PROBLEM (no courier after
-- every try, returned, cancelled by Yango, an address refused...) asks for one e-mail to the
-- staff (shop.notification.staff-email), as an order_notice row of channel STAFF written in
-- the transaction that settles the booking (delivery.StaffAlerts, implemented by the
-- notification module) and sent by the same dispatcher, with the e-mail's at-most-once rule.
--
-- One staff alert per order: the UNIQUE (order_number, channel) constraint stays. A booking's
-- PROBLEM is final (staff deliver by other means and complete the order; a new booking for the
-- same order is never automatic), so an order has at most one problem to tell; a replayed or
-- late status finds the booking settled and asks for nothing, and ON CONFLICT DO NOTHING covers
-- the rest.
--
-- amount:  the amount paid, for the paid-order channels (EMAIL, GA4) only; a staff alert has
--          none (it reads the order's total when it is sent)
-- problem: why the delivery needs staff (Yango's status and reason, as delivery_claim.problem),
--          for STAFF only
ALTER TABLE order_notice DROP CONSTRAINT order_notice_channel_check;
ALTER TABLE order_notice ADD CONSTRAINT order_notice_channel_check CHECK (channel IN ('EMAIL', 'GA4', 'STAFF'));

ALTER TABLE order_notice DROP CONSTRAINT order_notice_amount_check;
ALTER TABLE order_notice ALTER COLUMN amount DROP NOT NULL;
ALTER TABLE order_notice ADD CONSTRAINT order_notice_amount_check
    CHECK (CASE WHEN channel = 'STAFF' THEN amount IS NULL ELSE amount IS NOT NULL AND amount > 0 END);

ALTER TABLE order_notice ADD COLUMN problem text CHECK (length(problem) BETWEEN 1 AND 500);
ALTER TABLE order_notice ADD CONSTRAINT order_notice_problem_for_staff CHECK ((channel = 'STAFF') = (problem IS NOT NULL));
