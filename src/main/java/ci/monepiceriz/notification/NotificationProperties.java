package ci.monepiceriz.notification;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

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
 * @param staffEmail where the staff alerts go (delivery problems): bare addresses
 * separated by commas, e.g. {@code livraisons@monepiceriz.ci,gerant@monepiceriz.ci};
 * empty: no alert is sent, the staff notices are SKIPPED
 */
@ConfigurationProperties("shop.notification")
public record NotificationProperties(@DefaultValue("5s") Duration dispatchInterval, @DefaultValue("20") int batchSize,
		@DefaultValue("4") int sendsAtOnce, @DefaultValue("10") int maxAttempts,
		@DefaultValue("30s") Duration retryBackoff, @DefaultValue("30m") Duration retryMaxBackoff,
		@DefaultValue("5m") Duration lease, @DefaultValue("") String staffEmail) {

	/**
	 * A bare address: a local part and a domain of dot-separated labels (no display name,
	 * no comment, nothing SMTP would have to quote).
	 */
	private static final Pattern ADDRESS = Pattern.compile(
			"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

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
		staffEmail = staffEmail == null ? "" : staffEmail.strip();
		for (String address : addresses(staffEmail)) {
			if (address.length() > 254 || !ADDRESS.matcher(address).matches()) {
				throw new IllegalArgumentException(
						"shop.notification.staff-email must be e-mail addresses separated by commas: '" + address
								+ "' is not one");
			}
		}
	}

	/** The staff's addresses; empty when none is set (staff alerts SKIPPED). */
	public List<String> staffAddresses() {
		return addresses(staffEmail);
	}

	private static List<String> addresses(String list) {
		return Arrays.stream(list.split(",")).map(String::strip).filter(address -> !address.isEmpty()).toList();
	}

	/** The pauses between attempts. */
	public Backoff backoff() {
		return new Backoff(retryBackoff, retryMaxBackoff);
	}

}
