package ci.monepiceriz.payment.cinetpay;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import ci.monepiceriz.shared.HttpUrls;

/**
 * {@code shop.payment.cinetpay.transfer.*}: CinetPay's v1 Transfer API, which sends the
 * refunds (cinetpay.md §1.7). It logs in with the same apikey as the checkout and an API
 * password set in CinetPay's back office ({@code CINETPAY_API_PASSWORD}, from the
 * environment only, never shown by {@link #toString()}). Timeouts, retries and the
 * circuit's thresholds are the checkout's ({@code shop.payment.cinetpay.*}); the circuit
 * itself is separate.
 *
 * @param baseUrl the Transfer API's base, {@code https://client.cinetpay.com/v1}
 * @param apiPassword the Transfer API password (secret)
 * @param tokenLifetime how long a login token is reused; CinetPay's live 5 minutes, so
 * this must stay below that (a margin for calls in flight)
 */
@ConfigurationProperties("shop.payment.cinetpay.transfer")
public record CinetPayTransferProperties(@DefaultValue("https://client.cinetpay.com/v1") String baseUrl,
		@DefaultValue("") String apiPassword, @DefaultValue("4m") Duration tokenLifetime) {

	/** CinetPay's own lifetime of a Transfer API token. */
	static final Duration CINETPAY_TOKEN_LIFETIME = Duration.ofMinutes(5);

	public CinetPayTransferProperties {
		apiPassword = apiPassword == null ? "" : apiPassword.strip();
		baseUrl = HttpUrls.checked("shop.payment.cinetpay.transfer.base-url", baseUrl);
		if (tokenLifetime == null || tokenLifetime.isNegative() || tokenLifetime.isZero()
				|| tokenLifetime.compareTo(CINETPAY_TOKEN_LIFETIME) >= 0) {
			throw new IllegalArgumentException(
					"shop.payment.cinetpay.transfer.token-lifetime must be positive and below CinetPay's 5 minutes: "
							+ tokenLifetime);
		}
	}

	/** Every setting, the password masked: safe to log. */
	@Override
	public String toString() {
		return "CinetPayTransferProperties[baseUrl=" + baseUrl + ", apiPassword="
				+ (apiPassword.isEmpty() ? "<none>" : "<set>") + ", tokenLifetime=" + tokenLifetime + "]";
	}

}
