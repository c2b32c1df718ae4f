package ci.monepiceriz.delivery.domain;

import java.time.Duration;

/**
 * A delivery's price and expected duration.
 *
 * @param fee the fee in XOF
 * @param eta how long the delivery is expected to take from dispatch
 * @param source who quoted: {@code FLAT} (configured fee) or a provider's name
 */
public record DeliveryQuote(long fee, Duration eta, String source) {

	public DeliveryQuote {
		if (fee < 0) {
			throw new IllegalArgumentException("a delivery fee cannot be negative: " + fee);
		}
	}

}
