/**
 * What the shop tells others once an order is paid (issue 5, PRODUCT.md §11): the
 * customer's French confirmation e-mail and GA4's {@code purchase} event. Its own module,
 * not part of payment: it reads orders (lines, customer, fulfilment) through ordering's
 * API, owns its adapters (SMTP in {@code mail}, the Measurement Protocol in {@code ga4})
 * and will carry the next messages (order ready, refunds), none of which are payment's
 * business. Payment only calls {@link ci.monepiceriz.notification.OrderNotices#orderPaid}
 * inside its settlement transaction, which writes one notice per channel
 * ({@code order_notice}, unique per order and channel, so replays cannot ask twice);
 * {@link ci.monepiceriz.notification.NoticeDispatcher} on every instance claims due
 * notices ({@code FOR UPDATE SKIP LOCKED}), sends them outside any transaction and
 * records the outcome: sent, retried with backoff when the message certainly did not go,
 * or, for an e-mail whose outcome is unknown, left UNKNOWN rather than sent twice. It
 * also keeps delivery's {@link ci.monepiceriz.delivery.StaffAlerts} port: a courier
 * booking that became a problem writes a {@code STAFF} notice in the settle's
 * transaction, sent by the same dispatcher, at most once, to
 * {@code shop.notification.staff-email}. {@code domain} renders the e-mails and the
 * purchase as plain Java.
 */
package ci.monepiceriz.notification;
