/**
 * Delivery by Yango couriers (PRODUCT.md §8). Today it prices a delivery: the
 * {@link ci.monepiceriz.delivery.DeliveryQuotes} port answers a fee and an expected time
 * for a destination, or that there is no delivery there now. With
 * {@code shop.delivery.yango.enabled} the Yango adapter ({@code delivery.yango}) asks
 * Yango's {@code check-price} for the destination's ~100 m cell, caches the price in
 * Redis and falls back to the flat fee or to "no delivery", by configuration; otherwise
 * {@link ci.monepiceriz.delivery.FlatFeeQuotes} answers the configured flat fee.
 * {@link ci.monepiceriz.delivery.DeliveryProperties} holds the flat fee, the smallest
 * subtotal that may be delivered and how long a cart's quote is what its order is
 * charged.
 * <p>
 * Couriers: {@link ci.monepiceriz.delivery.Couriers} is what ordering asks (a booking
 * recorded in the transaction that makes a DELIVERY order READY, the delivery's state for
 * the order page, a cancellation); with Yango enabled the adapter books claims
 * ({@code ClaimBooking}), follows them through the claims journal and its webhook
 * ({@code JournalTracker}, {@code YangoWebhook}) and tells ordering through
 * {@link ci.monepiceriz.delivery.DeliveredOrders} when an order was delivered, and staff
 * through {@link ci.monepiceriz.delivery.StaffAlerts} when a booking became a problem
 * (notification implements it: an e-mail). Every fact is a
 * {@link ci.monepiceriz.delivery.DeliveryStatusChanged} in the outbox.
 */
package ci.monepiceriz.delivery;
