package ci.monepiceriz.cart.domain;

import java.time.Duration;
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

	/**
	 * Until when a quote asked at {@code requested} is charged: {@code validity} later,
	 * but never after the cart expires ({@code cartExpiresAt}; quoting does not push the
	 * cart's expiry back, and an expired cart gives no order).
	 */
	public static Instant validUntil(Instant requested, Duration validity, Instant cartExpiresAt) {
		Instant full = requested.plus(validity);
		return full.isAfter(cartExpiresAt) ? cartExpiresAt : full;
	}

}
