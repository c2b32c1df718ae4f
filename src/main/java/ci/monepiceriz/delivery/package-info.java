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
 * charged. Booking couriers (claims), tracking and cancellation come next.
 */
package ci.monepiceriz.delivery;
