package ci.monepiceriz.payment.cinetpay;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Refuses to start under the {@code prod} profile with CinetPay settings that cannot take
 * real payments, for the API generation chosen: legacy v2, a missing apikey, site id or
 * secret key, a secret key equal to the apikey (they are distinct, cinetpay.md §1.4), a
 * missing Transfer API password (refunds); the new API (whose own transfers carry the
 * refunds), a missing api_key or api_password, a sandbox key ({@code sk_test_...});
 * either, sandbox or local hosts, or callback URLs CinetPay cannot reach safely (not
 * https, or local). The message names every problem, never a credential's value.
 */
@Configuration(proxyBeanMethods = false)
@Profile("prod")
class CinetPayProductionCheck {

	/** Sandbox hosts (cinetpay.md §1.9) and local ones (a stub). */
	private static final Set<String> SANDBOX_HOSTS = Set.of("sandbox.cinetpay.com", "api.cinetpay.net",
			"secure.cinetpay.net", "localhost", "127.0.0.1", "::1", "[::1]");

	/** Prefix of the new API's test keys (cinetpay.md §1.9). */
	private static final String TEST_KEY_PREFIX = "sk_test_";

	@Bean
	Object cinetPaySettingsChecked(CinetPayProperties properties, CinetPayTransferProperties transfer,
			CinetPayNewApiProperties newApi) {
		List<String> problems;
		if (properties.api() == CinetPayProperties.Api.NEW) {
			problems = problems(properties, newApi);
		}
		else {
			problems = problems(properties);
			problems.addAll(problems(transfer));
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException(
					"Refusing to start in production with these CinetPay settings: " + String.join("; ", problems));
		}
		return "CinetPay settings checked";
	}

	static List<String> problems(CinetPayProperties properties) {
		List<String> problems = new ArrayList<>();
		missing(problems, properties.apiKey(), "no apikey (CINETPAY_API_KEY)");
		missing(problems, properties.siteId(), "no site id (CINETPAY_SITE_ID)");
		missing(problems, properties.secretKey(), "no secret key (CINETPAY_SECRET_KEY)");
		if (properties.apiKey().toLowerCase(Locale.ROOT).startsWith(TEST_KEY_PREFIX)) {
			problems.add("the apikey is a sandbox key (" + TEST_KEY_PREFIX + "...)");
		}
		if (!properties.secretKey().isEmpty() && properties.secretKey().equals(properties.apiKey())) {
			problems.add("the secret key is the apikey (the webhook secret is the Secret Key of the back office)");
		}
		if (sandbox(properties.baseUrl())) {
			problems.add("shop.payment.cinetpay.base-url is a sandbox or local host: " + properties.baseUrl());
		}
		publicHttps(problems, "notify-base-url", properties.notifyBaseUrl());
		publicHttps(problems, "return-base-url", properties.returnBaseUrl());
		return problems;
	}

	/**
	 * The Transfer API (refunds): its password set, its host not a sandbox or local one.
	 */
	static List<String> problems(CinetPayTransferProperties transfer) {
		List<String> problems = new ArrayList<>();
		missing(problems, transfer.apiPassword(), "no Transfer API password (CINETPAY_API_PASSWORD)");
		if (sandbox(transfer.baseUrl())) {
			problems.add("shop.payment.cinetpay.transfer.base-url is a sandbox or local host: " + transfer.baseUrl());
		}
		if (!"https".equals(URI.create(transfer.baseUrl()).getScheme())) {
			problems.add("shop.payment.cinetpay.transfer.base-url must be https: " + transfer.baseUrl());
		}
		return problems;
	}

	/** The new API's problems (its v2 keys are not needed then). */
	static List<String> problems(CinetPayProperties properties, CinetPayNewApiProperties newApi) {
		List<String> problems = new ArrayList<>();
		missing(problems, newApi.apiKey(), "no new-API api_key (CINETPAY_NEW_API_KEY)");
		missing(problems, newApi.apiPassword(), "no new-API api_password (CINETPAY_NEW_API_PASSWORD)");
		if (newApi.apiKey().toLowerCase(Locale.ROOT).startsWith(TEST_KEY_PREFIX)) {
			problems.add("the new-API api_key is a sandbox key (" + TEST_KEY_PREFIX + "...)");
		}
		if (sandbox(newApi.baseUrl())) {
			problems.add("shop.payment.cinetpay.new-api.base-url is a sandbox or local host: " + newApi.baseUrl());
		}
		publicHttps(problems, "notify-base-url", properties.notifyBaseUrl());
		publicHttps(problems, "return-base-url", properties.returnBaseUrl());
		return problems;
	}

	private static void missing(List<String> problems, String value, String problem) {
		if (value.isBlank()) {
			problems.add(problem);
		}
	}

	private static boolean sandbox(String url) {
		String host = URI.create(url).getHost().toLowerCase(Locale.ROOT);
		return SANDBOX_HOSTS.contains(host) || host.startsWith("127.") || host.contains("sandbox");
	}

	private static void publicHttps(List<String> problems, String key, String url) {
		URI uri = URI.create(url);
		if (!"https".equals(uri.getScheme()) || sandbox(url)) {
			problems.add("shop.payment.cinetpay." + key + " must be a public https URL: " + url);
		}
	}

}
