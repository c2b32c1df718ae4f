package ci.monepiceriz.delivery.yango;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import ci.monepiceriz.shared.HttpUrls;

/**
 * {@code shop.delivery.yango.*}. Off by default: the flat fee quotes. The token comes
 * from the environment only ({@code YANGO_TOKEN}, from the Kubernetes Secret) and
 * {@link #toString()} never shows it. When enabled, the store's location must be set (the
 * service refuses to start otherwise); under the {@code prod} profile the token too
 * ({@code YangoProductionCheck}).
 *
 * @param enabled quote deliveries with Yango's {@code check-price}
 * @param baseUrl Yango's B2B host (yango.md §2.1)
 * @param token the OAuth token of the delivery account (secret; Bearer)
 * @param acceptLanguage the {@code Accept-Language} Yango requires ({@code fr},
 * {@code en})
 * @param taxiClass {@code courier}, {@code express} or {@code cargo} (yango.md §2.4)
 * @param store where couriers pick up, and who they meet there
 * @param connectTimeout time to open a connection to Yango
 * @param responseTimeout time to wait for Yango's answer to one request
 * @param quoteTimeout the whole quote's budget, retries and waits included: past it the
 * fallback answers
 * @param retries retries of {@code check-price} after a timeout, a connection failure, a
 * 5xx or a 429 (0–5)
 * @param retryBackoff first pause between two attempts (doubling, 50 % jitter)
 * @param retryMaxBackoff longest pause between two attempts
 * @param maxRetryAfter the longest {@code Retry-After} of a 429 waited for; a longer one
 * gives up at once (the fallback answers)
 * @param breakerFailureThreshold consecutive unavailable outcomes that open the circuit
 * @param breakerOpenDuration how long an open circuit answers "unavailable" at once
 * @param fallback what a quote is when Yango cannot give one: {@code FLAT_FEE} (the
 * configured flat fee) or {@code UNAVAILABLE} (no delivery: a problem)
 * @param cacheTtl how long a Yango quote is reused for the same destination cell (in
 * Redis, shared by the instances)
 * @param notServedTtl how long Yango's "not served here" (an address, zone or route it
 * refuses) is remembered for the cell, so shoppers asking again do not each cost a call;
 * {@code 0} never remembers it
 */
@ConfigurationProperties("shop.delivery.yango")
public record YangoProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("https://b2b.taxi.yandex.net") String baseUrl, @DefaultValue("") String token,
		@DefaultValue("fr") String acceptLanguage, @DefaultValue("courier") String taxiClass, @DefaultValue Store store,
		@DefaultValue("1s") Duration connectTimeout, @DefaultValue("2s") Duration responseTimeout,
		@DefaultValue("5s") Duration quoteTimeout, @DefaultValue("2") int retries,
		@DefaultValue("100ms") Duration retryBackoff, @DefaultValue("1s") Duration retryMaxBackoff,
		@DefaultValue("2s") Duration maxRetryAfter, @DefaultValue("5") int breakerFailureThreshold,
		@DefaultValue("30s") Duration breakerOpenDuration, @DefaultValue("FLAT_FEE") Fallback fallback,
		@DefaultValue("2m") Duration cacheTtl, @DefaultValue("10m") Duration notServedTtl) {

	/** What a quote is when Yango cannot give one. */
	public enum Fallback {

		/** The configured flat fee ({@code shop.delivery.flat-fee}). */
		FLAT_FEE,
		/** No delivery here: the storefront gets a problem, an order is refused. */
		UNAVAILABLE

	}

	/**
	 * The shop's pickup point. The location is sent with every quote; the contact is
	 * checked now and used by booking (claims need a source contact with an email,
	 * yango.md §2.4).
	 *
	 * @param address the address as Yango shows it to couriers ({@code fullname})
	 * @param latitude WGS 84
	 * @param longitude WGS 84
	 * @param contactName who hands parcels over
	 * @param contactPhone E.164 ({@code +225} and 10 digits)
	 * @param contactEmail required by Yango for source points
	 */
	public record Store(@DefaultValue("") String address, Double latitude, Double longitude,
			@DefaultValue("") String contactName, @DefaultValue("") String contactPhone,
			@DefaultValue("") String contactEmail) {

		private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{7,14}");

		public Store {
			address = address == null ? "" : address.strip();
			contactName = contactName == null ? "" : contactName.strip();
			contactPhone = contactPhone == null ? "" : contactPhone.strip();
			contactEmail = contactEmail == null ? "" : contactEmail.strip();
			if (latitude != null && (latitude < -90 || latitude > 90)) {
				throw new IllegalArgumentException("shop.delivery.yango.store.latitude is not a latitude: " + latitude);
			}
			if (longitude != null && (longitude < -180 || longitude > 180)) {
				throw new IllegalArgumentException(
						"shop.delivery.yango.store.longitude is not a longitude: " + longitude);
			}
			if (!contactPhone.isEmpty() && !PHONE.matcher(contactPhone).matches()) {
				throw new IllegalArgumentException(
						"shop.delivery.yango.store.contact-phone must be international, e.g. +2250700000000");
			}
		}

		/** The location, not the contact (no phone number or e-mail in logs). */
		@Override
		public String toString() {
			return "Store[address=" + address + ", latitude=" + latitude + ", longitude=" + longitude + ", contact="
					+ (contactPhone.isEmpty() ? "<none>" : "<set>") + "]";
		}

		boolean located() {
			return latitude != null && longitude != null && !address.isEmpty();
		}

	}

	private static final Set<String> TAXI_CLASSES = Set.of("courier", "express", "cargo");

	private static final int MAX_RETRIES = 5;

	public YangoProperties {
		token = token == null ? "" : token.strip();
		acceptLanguage = acceptLanguage == null || acceptLanguage.isBlank() ? "fr" : acceptLanguage.strip();
		baseUrl = HttpUrls.checked("shop.delivery.yango.base-url", baseUrl);
		if (store == null) {
			store = new Store("", null, null, "", "", "");
		}
		if (!TAXI_CLASSES.contains(taxiClass)) {
			throw new IllegalArgumentException(
					"shop.delivery.yango.taxi-class must be one of " + TAXI_CLASSES + ": " + taxiClass);
		}
		positive("connect-timeout", connectTimeout);
		positive("response-timeout", responseTimeout);
		positive("quote-timeout", quoteTimeout);
		positive("retry-backoff", retryBackoff);
		positive("retry-max-backoff", retryMaxBackoff);
		positive("breaker-open-duration", breakerOpenDuration);
		positive("cache-ttl", cacheTtl);
		if (notServedTtl == null || notServedTtl.isNegative()) {
			throw new IllegalArgumentException("shop.delivery.yango.not-served-ttl must not be negative");
		}
		if (maxRetryAfter == null || maxRetryAfter.isNegative()) {
			throw new IllegalArgumentException("shop.delivery.yango.max-retry-after must not be negative");
		}
		if (retries < 0 || retries > MAX_RETRIES) {
			throw new IllegalArgumentException(
					"shop.delivery.yango.retries must be between 0 and " + MAX_RETRIES + ": " + retries);
		}
		if (breakerFailureThreshold < 1) {
			throw new IllegalArgumentException(
					"shop.delivery.yango.breaker-failure-threshold must be at least 1: " + breakerFailureThreshold);
		}
		if (enabled && !store.located()) {
			throw new IllegalArgumentException("shop.delivery.yango.enabled=true needs the store's location:"
					+ " shop.delivery.yango.store.address, .latitude and .longitude");
		}
	}

	/** Every setting, the token masked: safe to log. */
	@Override
	public String toString() {
		return "YangoProperties[enabled=" + enabled + ", baseUrl=" + baseUrl + ", token="
				+ (token.isEmpty() ? "<none>" : "<set>") + ", acceptLanguage=" + acceptLanguage + ", taxiClass="
				+ taxiClass + ", store=" + store + ", connectTimeout=" + connectTimeout + ", responseTimeout="
				+ responseTimeout + ", quoteTimeout=" + quoteTimeout + ", retries=" + retries + ", retryBackoff="
				+ retryBackoff + ", retryMaxBackoff=" + retryMaxBackoff + ", maxRetryAfter=" + maxRetryAfter
				+ ", breakerFailureThreshold=" + breakerFailureThreshold + ", breakerOpenDuration="
				+ breakerOpenDuration + ", fallback=" + fallback + ", cacheTtl=" + cacheTtl + ", notServedTtl="
				+ notServedTtl + "]";
	}

	private static void positive(String key, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("shop.delivery.yango." + key + " must be positive: " + value);
		}
	}

}
