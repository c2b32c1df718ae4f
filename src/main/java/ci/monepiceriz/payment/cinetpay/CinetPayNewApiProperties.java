package ci.monepiceriz.payment.cinetpay;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import ci.monepiceriz.shared.HttpUrls;

/**
 * {@code shop.payment.cinetpay.new-api.*}: the new CinetPay API's own settings, read when
 * {@code shop.payment.cinetpay.api=new} (cinetpay.md §1.10). Timeouts, retries, the
 * circuit breaker and the callback URLs are those of {@code shop.payment.cinetpay.*},
 * shared by both generations. The credentials come from the environment only
 * ({@code CINETPAY_NEW_API_KEY}, {@code CINETPAY_NEW_API_PASSWORD}) and
 * {@link #toString()} never shows them.
 *
 * @param baseUrl the API host: {@code https://api.cinetpay.co} (production) or
 * {@code https://api.cinetpay.net} (sandbox, refused by the {@code prod} profile)
 * @param apiKey the account's {@code api_key} ({@code sk_live_...}; {@code sk_test_...}
 * in the sandbox) (secret)
 * @param apiPassword the account's {@code api_password} (secret)
 * @param tokenLifetime longest time a Bearer token is used before logging in again
 * (CinetPay's last about 24 h; the SDKs renew them after 23 h); a shorter
 * {@code expires_in} from the login wins
 * @param lang language of CinetPay's checkout page ({@code fr} or {@code en})
 */
@ConfigurationProperties("shop.payment.cinetpay.new-api")
public record CinetPayNewApiProperties(@DefaultValue("https://api.cinetpay.co") String baseUrl,
		@DefaultValue("") String apiKey, @DefaultValue("") String apiPassword,
		@DefaultValue("23h") Duration tokenLifetime, @DefaultValue("fr") String lang) {

	public CinetPayNewApiProperties {
		apiKey = apiKey == null ? "" : apiKey.strip();
		apiPassword = apiPassword == null ? "" : apiPassword.strip();
		baseUrl = HttpUrls.checked("shop.payment.cinetpay.new-api.base-url", baseUrl);
		if (tokenLifetime == null || tokenLifetime.compareTo(Duration.ofMinutes(1)) < 0) {
			throw new IllegalArgumentException(
					"shop.payment.cinetpay.new-api.token-lifetime must be at least 1 minute: " + tokenLifetime);
		}
		if (!"fr".equals(lang) && !"en".equals(lang)) {
			throw new IllegalArgumentException("shop.payment.cinetpay.new-api.lang must be fr or en: " + lang);
		}
	}

	/** Every setting, the credentials masked: safe to log. */
	@Override
	public String toString() {
		return "CinetPayNewApiProperties[baseUrl=" + baseUrl + ", apiKey=" + masked(apiKey) + ", apiPassword="
				+ masked(apiPassword) + ", tokenLifetime=" + tokenLifetime + ", lang=" + lang + "]";
	}

	private static String masked(String secret) {
		return secret.isEmpty() ? "<none>" : "<set>";
	}

}
