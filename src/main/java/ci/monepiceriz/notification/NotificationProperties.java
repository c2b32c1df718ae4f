package ci.monepiceriz.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import ci.monepiceriz.notification.domain.Backoff;

/**
 * {@code shop.notification.*}: the dispatcher of paid-order notices (the channels' own
 * keys are {@code shop.notification.email.*} and {@code shop.notification.ga4.*}).
 *
 * @param dispatchInterval pause between two dispatch rounds on each instance
 * @param batchSize notices claimed per claim transaction
 * @param sendsAtOnce sends in flight at once per round
 * @param maxAttempts attempts of a notice that keeps failing before it is FAILED
 * @param retryBackoff pause after the first failed attempt (doubling)
 * @param retryMaxBackoff longest pause between two attempts
 * @param lease how long a claimed notice may stay SENDING: past it, the instance that
 * claimed it is taken for dead; far above the longest send (SMTP and GA4 time out within
 * seconds)
 */
@ConfigurationProperties("shop.notification")
public record NotificationProperties(@DefaultValue("5s") Duration dispatchInterval, @DefaultValue("20") int batchSize,
		@DefaultValue("4") int sendsAtOnce, @DefaultValue("10") int maxAttempts,
		@DefaultValue("30s") Duration retryBackoff, @DefaultValue("30m") Duration retryMaxBackoff,
		@DefaultValue("5m") Duration lease) {

	public NotificationProperties {
		if (batchSize < 1 || batchSize > 500) {
			throw new IllegalArgumentException("shop.notification.batch-size must be between 1 and 500: " + batchSize);
		}
		if (sendsAtOnce < 1 || sendsAtOnce > 64) {
			throw new IllegalArgumentException(
					"shop.notification.sends-at-once must be between 1 and 64: " + sendsAtOnce);
		}
		if (maxAttempts < 1 || maxAttempts > 100) {
			throw new IllegalArgumentException(
					"shop.notification.max-attempts must be between 1 and 100: " + maxAttempts);
		}
		if (lease.compareTo(Duration.ofMinutes(1)) < 0) {
			throw new IllegalArgumentException("shop.notification.lease must be at least 1m: " + lease);
		}
		// validates the two durations
		new Backoff(retryBackoff, retryMaxBackoff);
	}

	/** The pauses between attempts. */
	public Backoff backoff() {
		return new Backoff(retryBackoff, retryMaxBackoff);
	}

}
