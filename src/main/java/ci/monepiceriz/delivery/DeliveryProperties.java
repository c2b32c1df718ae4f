package ci.monepiceriz.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.delivery.*}. Public: carts show whether delivery is possible, and ordering
 * refuses a delivery below the minimum.
 *
 * @param flatFee the fee, in XOF, quoted when no provider quotes
 * @param flatEta the delivery time quoted with it
 * @param minimumSubtotal the smallest subtotal, in XOF, that may be delivered (PRODUCT.md
 * §4: 3,000 XOF)
 * @param quoteValidity how long a quote given for a cart is the fee its order is charged
 * (for the same destination cell); past it, placing the order quotes again
 */
@ConfigurationProperties("shop.delivery")
public record DeliveryProperties(@DefaultValue("1000") long flatFee, @DefaultValue("60m") Duration flatEta,
		@DefaultValue("3000") long minimumSubtotal, @DefaultValue("30m") Duration quoteValidity) {

	public DeliveryProperties {
		if (flatFee < 0) {
			throw new IllegalArgumentException("shop.delivery.flat-fee must not be negative: " + flatFee);
		}
		if (flatEta == null || flatEta.isNegative() || flatEta.isZero()) {
			throw new IllegalArgumentException("shop.delivery.flat-eta must be positive: " + flatEta);
		}
		if (minimumSubtotal < 0) {
			throw new IllegalArgumentException(
					"shop.delivery.minimum-subtotal must not be negative: " + minimumSubtotal);
		}
		if (quoteValidity == null || quoteValidity.isNegative() || quoteValidity.isZero()) {
			throw new IllegalArgumentException("shop.delivery.quote-validity must be positive: " + quoteValidity);
		}
	}

}
