package ci.monepiceriz.payment.cinetpay;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import ci.monepiceriz.shared.HttpUrls;

/**
 * {@code shop.payment.cinetpay.*}. The credentials come from the environment only
 * ({@code CINETPAY_API_KEY}, {@code CINETPAY_SITE_ID}, {@code CINETPAY_SECRET_KEY}, from
 * the Kubernetes Secret) and {@link #toString()} never shows them.
 *
 * @param api which CinetPay API: {@code v2} (legacy Checkout v2, apikey + site_id,
 * {@code x-token} webhooks) or {@code new} (the 2026 API: Bearer token, per-payment
 * {@code notify_token}; its own settings in {@link CinetPayNewApiProperties})
 * @param baseUrl the Checkout v2 host
 * @param apiKey the merchant's apikey (secret)
 * @param siteId the merchant's site id (secret)
 * @param secretKey the Secret Key that signs the webhooks' {@code x-token} (secret; not
 * the apikey)
 * @param notifyBaseUrl the public base URL CinetPay calls back ({@code notify_url} is
 * this + {@code /api/webhooks/cinetpay})
 * @param returnBaseUrl the base URL the payer comes back to ({@code return_url} is this +
 * {@code /api/payments/return})
 * @param channels {@code ALL}, {@code MOBILE_MONEY}, {@code CREDIT_CARD} or
 * {@code WALLET}
 * @param connectTimeout time to open a connection to CinetPay
 * @param responseTimeout time to wait for an answer once the request is sent
 * @param checkRetries retries of a check call after a timeout, a refused connection or a
 * 5xx (initialisation is never retried)
 * @param retryBackoff first pause between two check attempts (doubling, with jitter)
 * @param retryMaxBackoff longest pause between two check attempts
 * @param breakerFailureThreshold consecutive unavailable outcomes that open the circuit
 * @param breakerOpenDuration how long an open circuit answers "unavailable" at once
 * before letting one trial call through
 */
@ConfigurationProperties("shop.payment.cinetpay")
public record CinetPayProperties(@DefaultValue("v2") Api api,
		@DefaultValue("https://api-checkout.cinetpay.com") String baseUrl, @DefaultValue("") String apiKey,
		@DefaultValue("") String siteId, @DefaultValue("") String secretKey,
		@DefaultValue("http://localhost:8080") String notifyBaseUrl,
		@DefaultValue("http://localhost:8080") String returnBaseUrl, @DefaultValue("ALL") String channels,
		@DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration responseTimeout,
		@DefaultValue("2") int checkRetries, @DefaultValue("200ms") Duration retryBackoff,
		@DefaultValue("2s") Duration retryMaxBackoff, @DefaultValue("5") int breakerFailureThreshold,
		@DefaultValue("30s") Duration breakerOpenDuration) {

	/** The CinetPay API generations (cinetpay.md §1.0). */
	public enum Api {

		/** Legacy Checkout v2: apikey + site_id, webhooks signed with {@code x-token}. */
		V2,
		/** The 2026 API: Bearer token, per-transaction {@code notify_token}. */
		NEW

	}

	private static final Set<String> CHANNELS = Set.of("ALL", "MOBILE_MONEY", "CREDIT_CARD", "WALLET");

	private static final int MAX_RETRIES = 5;

	public CinetPayProperties {
		apiKey = apiKey == null ? "" : apiKey.strip();
		siteId = siteId == null ? "" : siteId.strip();
		secretKey = secretKey == null ? "" : secretKey.strip();
		baseUrl = HttpUrls.checked("shop.payment.cinetpay.base-url", baseUrl);
		notifyBaseUrl = HttpUrls.checked("shop.payment.cinetpay.notify-base-url", notifyBaseUrl);
		returnBaseUrl = HttpUrls.checked("shop.payment.cinetpay.return-base-url", returnBaseUrl);
		if (!CHANNELS.contains(channels)) {
			throw new IllegalArgumentException(
					"shop.payment.cinetpay.channels must be one of " + CHANNELS + ": " + channels);
		}
		positive("connect-timeout", connectTimeout);
		positive("response-timeout", responseTimeout);
		positive("retry-backoff", retryBackoff);
		positive("retry-max-backoff", retryMaxBackoff);
		positive("breaker-open-duration", breakerOpenDuration);
		if (checkRetries < 0 || checkRetries > MAX_RETRIES) {
			throw new IllegalArgumentException(
					"shop.payment.cinetpay.check-retries must be between 0 and " + MAX_RETRIES + ": " + checkRetries);
		}
		if (breakerFailureThreshold < 1) {
			throw new IllegalArgumentException(
					"shop.payment.cinetpay.breaker-failure-threshold must be at least 1: " + breakerFailureThreshold);
		}
	}

	/** The URL CinetPay posts payment notifications to. */
	public String notifyUrl() {
		return notifyBaseUrl + "/api/webhooks/cinetpay";
	}

	/** The URL the payer's browser comes back to. */
	public String returnUrl() {
		return returnBaseUrl + "/api/payments/return";
	}

	/**
	 * The URL the payer's browser comes back to after paying this transaction: the page
	 * reads the attempt's state from our database (it never changes it).
	 */
	public String returnUrl(String transactionId) {
		return returnUrl() + "?transactionId="
				+ java.net.URLEncoder.encode(transactionId, java.nio.charset.StandardCharsets.UTF_8);
	}

	/** Every setting, the credentials masked: safe to log. */
	@Override
	public String toString() {
		return "CinetPayProperties[api=" + api + ", baseUrl=" + baseUrl + ", apiKey=" + masked(apiKey) + ", siteId="
				+ masked(siteId) + ", secretKey=" + masked(secretKey) + ", notifyBaseUrl=" + notifyBaseUrl
				+ ", returnBaseUrl=" + returnBaseUrl + ", channels=" + channels + ", connectTimeout=" + connectTimeout
				+ ", responseTimeout=" + responseTimeout + ", checkRetries=" + checkRetries + ", retryBackoff="
				+ retryBackoff + ", retryMaxBackoff=" + retryMaxBackoff + ", breakerFailureThreshold="
				+ breakerFailureThreshold + ", breakerOpenDuration=" + breakerOpenDuration + "]";
	}

	private static String masked(String secret) {
		return secret.isEmpty() ? "<none>" : "<set>";
	}

	private static void positive(String key, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("shop.payment.cinetpay." + key + " must be positive: " + value);
		}
	}

}
