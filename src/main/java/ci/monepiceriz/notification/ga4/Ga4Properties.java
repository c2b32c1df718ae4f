package ci.monepiceriz.notification.ga4;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import ci.monepiceriz.shared.HttpUrls;

/**
 * {@code shop.notification.ga4.*}: GA4's Measurement Protocol. Without a measurement id
 * and an API secret, purchases are not reported and their notices are SKIPPED. The API
 * secret comes from the environment ({@code GA4_API_SECRET}, the Kubernetes Secret) and
 * {@link #toString()} never shows it.
 *
 * @param enabled report purchases at all (off: notices SKIPPED)
 * @param baseUrl the collection host ({@code /mp/collect} is appended)
 * @param measurementId the web stream's measurement id ({@code G-…})
 * @param apiSecret the stream's Measurement Protocol API secret (secret)
 * @param connectTimeout time to open a connection
 * @param responseTimeout time to wait for the answer once the request is sent
 */
@ConfigurationProperties("shop.notification.ga4")
public record Ga4Properties(@DefaultValue("true") boolean enabled,
		@DefaultValue("https://www.google-analytics.com") String baseUrl, @DefaultValue("") String measurementId,
		@DefaultValue("") String apiSecret, @DefaultValue("2s") Duration connectTimeout,
		@DefaultValue("5s") Duration responseTimeout) {

	private static final Pattern MEASUREMENT_ID = Pattern.compile("G-[A-Z0-9]{4,20}");

	public Ga4Properties {
		measurementId = measurementId == null ? "" : measurementId.strip();
		apiSecret = apiSecret == null ? "" : apiSecret.strip();
		if (!measurementId.isEmpty() && !MEASUREMENT_ID.matcher(measurementId).matches()) {
			throw new IllegalArgumentException(
					"shop.notification.ga4.measurement-id must look like G-XXXXXXXXXX: " + measurementId);
		}
		baseUrl = HttpUrls.checked("shop.notification.ga4.base-url", baseUrl);
		if (connectTimeout.isNegative() || connectTimeout.isZero() || responseTimeout.isNegative()
				|| responseTimeout.isZero()) {
			throw new IllegalArgumentException("shop.notification.ga4 timeouts must be positive");
		}
	}

	/** Whether purchases can be reported: on, with a measurement id and an API secret. */
	public boolean configured() {
		return enabled && !measurementId.isEmpty() && !apiSecret.isEmpty();
	}

	/** Every setting, the API secret masked: safe to log. */
	@Override
	public String toString() {
		return "Ga4Properties[enabled=" + enabled + ", baseUrl=" + baseUrl + ", measurementId=" + measurementId
				+ ", apiSecret=" + (apiSecret.isEmpty() ? "<none>" : "<set>") + ", connectTimeout=" + connectTimeout
				+ ", responseTimeout=" + responseTimeout + "]";
	}

}
