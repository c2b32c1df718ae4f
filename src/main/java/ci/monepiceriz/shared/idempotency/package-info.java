/**
 * {@code Idempotency-Key} handling shared by every endpoint that creates something
 * (orders, payments): claim the key, do the work, remember the answer, all in one
 * transaction.
 */
package ci.monepiceriz.shared.idempotency;
