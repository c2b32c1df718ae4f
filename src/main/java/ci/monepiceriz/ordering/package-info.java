/**
 * Ordering: turns a cart into an order and follows it to the end. Placing an order is one
 * transaction that claims the idempotency key, locks the cart, reserves stock (rows
 * locked in id order, never below zero), takes the day's next number, writes the order
 * with a snapshot of its lines and its {@code OrderPlaced} event in the outbox, and keeps
 * the answer for replays; a refusal rolls all of it back. The status workflow is the
 * table in {@code domain.OrderTransitions}; every move checks the order's version, is
 * recorded and published. Unpaid orders expire after the payment window and give their
 * stock back, exactly once, whichever instance does it.
 */
package ci.monepiceriz.ordering;
