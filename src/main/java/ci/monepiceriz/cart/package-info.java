/**
 * Server-side carts (PRODUCT.md §4). A shopper holds an unguessable token (only its
 * SHA-256 is stored) and sets lines: a quantity of a UNIT SKU or grams of a WEIGHT SKU,
 * checked against the SKU's rules and current stock. A cart is always shown priced from
 * the database's current data, never from the catalog cache, and the client never sends a
 * price. Carts expire after an idle time and are purged in the background. The module's
 * API is {@link ci.monepiceriz.cart.Carts} for the storefront and
 * {@link ci.monepiceriz.cart.CartCheckout} for placing an order, which locks the cart row
 * like every line change does, so the two never interleave.
 */
package ci.monepiceriz.cart;
