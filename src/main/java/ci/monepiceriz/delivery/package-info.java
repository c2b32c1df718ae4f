/**
 * Delivery by Yango couriers (PRODUCT.md §8). Today it prices a delivery: the
 * {@link ci.monepiceriz.delivery.DeliveryQuotes} port answers a fee and an expected time
 * for a destination, from a configured flat fee until the Yango adapter exists, and
 * {@link ci.monepiceriz.delivery.DeliveryProperties} holds the smallest subtotal that may
 * be delivered.
 */
package ci.monepiceriz.delivery;
