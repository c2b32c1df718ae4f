package ci.monepiceriz.delivery.yango;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.delivery.yango.claims.*}: booking couriers and following them (used when
 * {@code shop.delivery.yango.enabled=true}).
 *
 * @param maxTries claims one delivery may have (a failed, expired or courier-less claim
 * is replaced by a new one up to this); past it the delivery is a PROBLEM for staff
 * @param bookingInterval pause between two rounds of the booking job
 * @param journalInterval pause between two polls of the claims journal
 * @param estimationPoll when claims/info is asked again while Yango estimates
 * @param lease how long a job's claim on a row (or the journal) lasts before another
 * instance may take over
 * @param retryBackoff first pause after Yango failed (doubling)
 * @param retryMaxBackoff longest pause after Yango failed
 * @param batch rows per booking round, journal events per page (1–1000)
 * @param callTimeout one call's budget, retries inside it included
 * @param offerMargin an offer valid for less than this is not accepted (a new claim is)
 * @param callbackUrl Yango's callback_url, ending in {@code ?} or {@code &} (Yango
 * appends {@code updated_ts=…&claim_id=…}); empty: no callbacks, the journal only
 * @param monitorInterval how often the gauges staff alerts watch are measured
 * ({@link DeliveryMonitor})
 * @param trackingRecheck how often an accepted claim is read again with claims/info,
 * besides the journal (a journal that stalls never leaves a delivery hanging)
 */
@ConfigurationProperties("shop.delivery.yango.claims")
public record YangoClaimsProperties(@DefaultValue("3") int maxTries, @DefaultValue("5s") Duration bookingInterval,
		@DefaultValue("10s") Duration journalInterval, @DefaultValue("5s") Duration estimationPoll,
		@DefaultValue("1m") Duration lease, @DefaultValue("10s") Duration retryBackoff,
		@DefaultValue("5m") Duration retryMaxBackoff, @DefaultValue("100") int batch,
		@DefaultValue("10s") Duration callTimeout, @DefaultValue("30s") Duration offerMargin,
		@DefaultValue("") String callbackUrl, @DefaultValue("30s") Duration monitorInterval,
		@DefaultValue("10m") Duration trackingRecheck) {

	public YangoClaimsProperties {
		if (maxTries < 1 || maxTries > 10) {
			throw new IllegalArgumentException("shop.delivery.yango.claims.max-tries must be 1 to 10: " + maxTries);
		}
		if (batch < 1 || batch > 1000) {
			throw new IllegalArgumentException("shop.delivery.yango.claims.batch must be 1 to 1000: " + batch);
		}
		for (Duration value : new Duration[] { bookingInterval, journalInterval, estimationPoll, lease, retryBackoff,
				retryMaxBackoff, callTimeout, monitorInterval, trackingRecheck }) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException("shop.delivery.yango.claims durations must be positive: " + value);
			}
		}
		if (offerMargin == null || offerMargin.isNegative()) {
			throw new IllegalArgumentException("shop.delivery.yango.claims.offer-margin must not be negative");
		}
		callbackUrl = callbackUrl == null ? "" : callbackUrl.strip();
		if (!callbackUrl.isEmpty() && !(callbackUrl.startsWith("https://") || callbackUrl.startsWith("http://"))
				|| !callbackUrl.isEmpty() && !(callbackUrl.endsWith("?") || callbackUrl.endsWith("&"))) {
			throw new IllegalArgumentException(
					"shop.delivery.yango.claims.callback-url must be an http(s) URL ending in ? or &: " + callbackUrl);
		}
	}

}
