package ci.monepiceriz.cart;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.cart.*}.
 *
 * @param idleTtl how long a cart lives after its last change (creation, line set or
 * removed); then it answers 404 and is purged
 * @param purgeInterval how often each instance deletes expired carts
 * @param purgeBatchSize carts deleted per statement by the purge (short locks, several
 * instances at once)
 * @param maxLines the most distinct SKUs one cart may hold
 */
@ConfigurationProperties("shop.cart")
public record CartProperties(@DefaultValue("7d") Duration idleTtl, @DefaultValue("1h") Duration purgeInterval,
		@DefaultValue("1000") int purgeBatchSize, @DefaultValue("50") int maxLines) {

	public CartProperties {
		if (idleTtl == null || idleTtl.compareTo(Duration.ofMinutes(1)) < 0) {
			throw new IllegalArgumentException("shop.cart.idle-ttl must be at least 1m: " + idleTtl);
		}
		if (purgeInterval == null || purgeInterval.isNegative() || purgeInterval.isZero()) {
			throw new IllegalArgumentException("shop.cart.purge-interval must be positive: " + purgeInterval);
		}
		if (purgeBatchSize < 1) {
			throw new IllegalArgumentException("shop.cart.purge-batch-size must be at least 1: " + purgeBatchSize);
		}
		if (maxLines < 1) {
			throw new IllegalArgumentException("shop.cart.max-lines must be at least 1: " + maxLines);
		}
	}

}
