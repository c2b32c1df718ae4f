package ci.monepiceriz.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.delivery.*}.
 *
 * @param flatFee the fee quoted when no provider quotes
 * @param flatEta the delivery time quoted with the flat fee
 * @param minimumSubtotal the smallest subtotal that can be delivered
 */
@ConfigurationProperties("shop.delivery")
public record DeliveryProperties(@DefaultValue("1000") long flatFee, @DefaultValue("60m") Duration flatEta,
		@DefaultValue("3000") long minimumSubtotal) {
}
