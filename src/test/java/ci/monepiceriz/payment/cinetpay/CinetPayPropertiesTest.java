package ci.monepiceriz.payment.cinetpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import ci.monepiceriz.payment.cinetpay.CinetPayProperties.Api;

class CinetPayPropertiesTest {

	static final String API_KEY = "12912847765bc0db748fdd44.40081707";

	static final String SITE_ID = "445160";

	static final String SECRET_KEY = "20269557545fe7a0ec6b3e06.81447063";

	static CinetPayProperties properties(String baseUrl, String apiKey) {
		return new CinetPayProperties(Api.V2, baseUrl, apiKey, SITE_ID, SECRET_KEY, "https://api.monepiceriz.ci/",
				"https://www.monepiceriz.ci", "ALL", Duration.ofMillis(500), Duration.ofMillis(500), 2,
				Duration.ofMillis(20), Duration.ofMillis(100), 5, Duration.ofSeconds(30));
	}

	@Test
	void neverShowsTheCredentials() {
		CinetPayProperties properties = properties("https://api-checkout.cinetpay.com", API_KEY);

		assertThat(properties.toString()).doesNotContain(API_KEY, SITE_ID, SECRET_KEY)
			.contains("apiKey=<set>", "siteId=<set>", "secretKey=<set>", "https://api-checkout.cinetpay.com");
		assertThat(properties("https://api-checkout.cinetpay.com", "").toString()).contains("apiKey=<none>");
	}

	@Test
	void buildsTheCallbackUrlsFromTheBaseUrls() {
		CinetPayProperties properties = properties("https://api-checkout.cinetpay.com/", API_KEY);

		assertThat(properties.baseUrl()).isEqualTo("https://api-checkout.cinetpay.com");
		assertThat(properties.notifyUrl()).isEqualTo("https://api.monepiceriz.ci/api/webhooks/cinetpay");
		assertThat(properties.returnUrl()).isEqualTo("https://www.monepiceriz.ci/api/payments/return");
	}

	@Test
	void refusesSettingsThatMakeNoSense() {
		assertThatThrownBy(() -> properties("api-checkout.cinetpay.com", API_KEY)).hasMessageContaining("base-url");
		assertThatThrownBy(() -> new CinetPayProperties(Api.V2, "https://a.ci", "", "", "", "https://a.ci",
				"https://a.ci", "BITCOIN", Duration.ofSeconds(1), Duration.ofSeconds(1), 2, Duration.ofMillis(1),
				Duration.ofMillis(1), 1, Duration.ofSeconds(1)))
			.hasMessageContaining("channels");
		assertThatThrownBy(() -> new CinetPayProperties(Api.V2, "https://a.ci", "", "", "", "https://a.ci",
				"https://a.ci", "ALL", Duration.ZERO, Duration.ofSeconds(1), 2, Duration.ofMillis(1),
				Duration.ofMillis(1), 1, Duration.ofSeconds(1)))
			.hasMessageContaining("connect-timeout");
		assertThatThrownBy(() -> new CinetPayProperties(Api.V2, "https://a.ci", "", "", "", "https://a.ci",
				"https://a.ci", "ALL", Duration.ofSeconds(1), Duration.ofSeconds(1), 9, Duration.ofMillis(1),
				Duration.ofMillis(1), 1, Duration.ofSeconds(1)))
			.hasMessageContaining("check-retries");
		assertThatThrownBy(() -> new CinetPayProperties(Api.V2, "https://a.ci", "", "", "", "https://a.ci",
				"https://a.ci", "ALL", Duration.ofSeconds(1), Duration.ofSeconds(1), 2, Duration.ofMillis(1),
				Duration.ofMillis(1), 0, Duration.ofSeconds(1)))
			.hasMessageContaining("breaker-failure-threshold");
	}

}
