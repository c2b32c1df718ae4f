package ci.monepiceriz.payment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.payment.refunds.*}: the payout job that sends refunds.
 *
 * @param interval how often each instance runs a payout round
 * @param batch refunds claimed per round's transaction
 * @param pollInterval how long after a payout was sent, or last seen in progress, its
 * status is asked again
 * @param retryBackoff first pause after a failed send or check (doubling, with jitter)
 * @param retryMaxBackoff longest pause between two tries
 * @param maxAttempts refusals "for now" (payout balance short, operator unavailable, ...)
 * after which the refund becomes store credit, once a check confirms CinetPay holds no
 * transfer for it; an unanswered call never counts towards giving up
 * @param payoutMinimum the smallest amount paid out, in XOF; below it, store credit
 * @param lease how long a claimed refund is left to the round that claimed it (longer
 * than a provider call, retries included)
 */
@ConfigurationProperties("shop.payment.refunds")
public record RefundProperties(@DefaultValue("30s") Duration interval, @DefaultValue("20") int batch,
		@DefaultValue("1m") Duration pollInterval, @DefaultValue("1m") Duration retryBackoff,
		@DefaultValue("1h") Duration retryMaxBackoff, @DefaultValue("8") int maxAttempts,
		@DefaultValue("200") long payoutMinimum, @DefaultValue("2m") Duration lease) {

	public RefundProperties {
		positive("interval", interval);
		positive("poll-interval", pollInterval);
		positive("retry-backoff", retryBackoff);
		positive("retry-max-backoff", retryMaxBackoff);
		positive("lease", lease);
		if (batch < 1 || batch > 500) {
			throw new IllegalArgumentException("shop.payment.refunds.batch must be between 1 and 500: " + batch);
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("shop.payment.refunds.max-attempts must be at least 1: " + maxAttempts);
		}
		if (lease.compareTo(RefundPayouts.CALL_BUDGET) <= 0) {
			throw new IllegalArgumentException("shop.payment.refunds.lease must be longer than a provider call's "
					+ RefundPayouts.CALL_BUDGET + ": " + lease);
		}
		if (payoutMinimum < 1) {
			throw new IllegalArgumentException(
					"shop.payment.refunds.payout-minimum must be at least 1 XOF: " + payoutMinimum);
		}
	}

	private static void positive(String key, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("shop.payment.refunds." + key + " must be positive: " + value);
		}
	}

}
