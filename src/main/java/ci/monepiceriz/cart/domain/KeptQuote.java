package ci.monepiceriz.cart.domain;

import java.time.Instant;

import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.DestinationCell;

/**
 * The delivery quote a cart was last given and still honours: an order of the cart to
 * {@code cell} before {@code validUntil} is charged this fee.
 *
 * @param quote the fee, time and who quoted
 * @param cell the destination cell it was quoted for
 * @param validUntil until when it is charged
 */
public record KeptQuote(DeliveryQuote quote, DestinationCell cell, Instant validUntil) {
}
