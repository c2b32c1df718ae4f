package ci.monepiceriz.ordering;

import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.ordering.*}.
 *
 * @param paymentWindow how long a placed order holds its stock waiting for payment
 * @param expiryInterval how often the expiry job looks for unpaid orders past their
 * window
 * @param expiryBatch how many expired orders one expiry transaction cancels at most
 * @param timeZone the shop's time zone: the day in an order number is the shop's day
 * @param eventsPollInterval how often an open order event stream checks its order for
 * changes
 * @param numberingInterval how often each instance makes sure today's and tomorrow's
 * order number sequences exist (and drops old ones)
 */
@ConfigurationProperties("shop.ordering")
public record OrderingProperties(@DefaultValue("30m") Duration paymentWindow,
		@DefaultValue("10s") Duration expiryInterval, @DefaultValue("200") int expiryBatch,
		@DefaultValue("Africa/Abidjan") ZoneId timeZone, @DefaultValue("2s") Duration eventsPollInterval,
		@DefaultValue("1h") Duration numberingInterval) {
}
