package ci.monepiceriz.notification.ga4;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ci.monepiceriz.notification.SendOutcome;
import ci.monepiceriz.notification.domain.Purchase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The GA4 adapter against WireMock loaded from {@code contracts/ga4}: the payload's shape
 * (GA4 itself accepts anything), and which failures count as not sent or unknown.
 */
class Ga4MeasurementProtocolTest {

	static final String SECRET = "it-ga4-secret";

	static final Purchase PURCHASE = new Purchase("123456789.1764000000", "MER-20261124-0042", 16995, "XOF", 1000,
			List.of(new Purchase.Item("RIZ-PARF-5KG", "Riz parfumé", "Sac 5 kg", 5000, 2),
					new Purchase.Item("POISSON-CAPITAINE", "Poisson capitaine", "Au poids (1500 g)", 6000, 1)));

	static WireMockServer ga4;

	final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void start() {
		ga4 = new WireMockServer(options().dynamicPort().usingFilesUnderDirectory("contracts/ga4"));
		ga4.start();
	}

	@AfterAll
	static void stop() {
		ga4.stop();
	}

	@AfterEach
	void reset() {
		ga4.resetRequests();
		ga4.resetToDefaultMappings();
	}

	@Test
	void aPurchaseIsOnePurchaseEventWithTheOrderNumberValueXofAndItems() {
		SendOutcome outcome = analytics(ga4.baseUrl()).purchase(PURCHASE).block(Duration.ofSeconds(10));

		assertThat(outcome).isEqualTo(new SendOutcome.Sent());
		List<LoggedRequest> requests = ga4
			.findAll(postRequestedFor(urlPathEqualTo("/mp/collect")).withRequestBody(containing("MER-20261124-0042")));
		assertThat(requests).hasSize(1);
		assertThat(requests.get(0).queryParameter("measurement_id").firstValue()).isEqualTo("G-IT12345");
		assertThat(requests.get(0).queryParameter("api_secret").firstValue()).isEqualTo(SECRET);
		JsonNode body = json.readTree(requests.get(0).getBodyAsString());
		assertThat(body.propertyNames()).containsExactlyInAnyOrder("client_id", "events");
		assertThat(body.get("client_id").asString()).isEqualTo("123456789.1764000000");
		assertThat(body.get("events")).hasSize(1);
		JsonNode event = body.get("events").get(0);
		assertThat(event.get("name").asString()).isEqualTo("purchase");
		JsonNode params = event.get("params");
		assertThat(params.get("transaction_id").asString()).isEqualTo("MER-20261124-0042");
		assertThat(params.get("value").isIntegralNumber()).isTrue();
		assertThat(params.get("value").asLong()).isEqualTo(16995);
		assertThat(params.get("currency").asString()).isEqualTo("XOF");
		assertThat(params.get("shipping").asLong()).isEqualTo(1000);
		JsonNode items = params.get("items");
		assertThat(items).hasSize(2);
		for (JsonNode item : items) {
			assertThat(item.propertyNames()).contains("item_id", "item_name", "price", "quantity");
			assertThat(item.get("price").isIntegralNumber()).isTrue();
			assertThat(item.get("quantity").isInt()).isTrue();
		}
		assertThat(items.get(0).get("item_id").asString()).isEqualTo("RIZ-PARF-5KG");
		assertThat(items.get(0).get("item_name").asString()).isEqualTo("Riz parfumé");
		assertThat(items.get(0).get("price").asLong()).isEqualTo(5000);
		assertThat(items.get(0).get("quantity").asInt()).isEqualTo(2);
		assertThat(items.get(1).get("item_variant").asString()).isEqualTo("Au poids (1500 g)");
	}

	@Test
	void aServerErrorOrThrottlingIsNotSentAndWorthAnotherTryAnotherClientErrorIsPermanent() {
		assertThat(answeredWith(500)).isInstanceOfSatisfying(SendOutcome.NotSent.class,
				notSent -> assertThat(notSent.permanent()).isFalse());
		assertThat(answeredWith(429)).isInstanceOfSatisfying(SendOutcome.NotSent.class,
				notSent -> assertThat(notSent.permanent()).isFalse());
		assertThat(answeredWith(400)).isInstanceOfSatisfying(SendOutcome.NotSent.class,
				notSent -> assertThat(notSent.permanent()).isTrue());
	}

	@Test
	void noAnswerInTimeIsUnknownAndSaysNothingOfTheSecret() {
		// its own order: WireMock logs the request once answered, after this test
		Purchase slow = new Purchase("1.1764000000", "MER-20261124-0099", 100, "XOF", 0, PURCHASE.items());
		ga4.stubFor(post(urlPathEqualTo("/mp/collect")).atPriority(1)
			.withRequestBody(containing("MER-20261124-0099"))
			.willReturn(aResponse().withStatus(204).withFixedDelay(1500)));

		Ga4Properties impatient = new Ga4Properties(true, ga4.baseUrl(), "G-IT12345", SECRET, Duration.ofSeconds(1),
				Duration.ofMillis(300));
		SendOutcome outcome = new Ga4MeasurementProtocol(Ga4Configuration.webClient(impatient), impatient, json)
			.purchase(slow)
			.block(Duration.ofSeconds(10));

		assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Unknown.class,
				unknown -> assertThat(unknown.reason()).doesNotContain(SECRET));
	}

	@Test
	void aRefusedConnectionIsNotSentAndWorthAnotherTry() throws IOException {
		int closedPort;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = probe.getLocalPort();
		}

		SendOutcome outcome = analytics("http://127.0.0.1:" + closedPort).purchase(PURCHASE)
			.block(Duration.ofSeconds(10));

		assertThat(outcome).isInstanceOfSatisfying(SendOutcome.NotSent.class, notSent -> {
			assertThat(notSent.permanent()).isFalse();
			assertThat(notSent.reason()).doesNotContain(SECRET);
		});
	}

	@Test
	void withoutMeasurementIdOrSecretOrSwitchedOffNothingIsReported() {
		assertThat(new Ga4Properties(true, ga4.baseUrl(), "", SECRET, Duration.ofSeconds(1), Duration.ofSeconds(1))
			.configured()).isFalse();
		assertThat(new Ga4Properties(true, ga4.baseUrl(), "G-IT12345", "", Duration.ofSeconds(1), Duration.ofSeconds(1))
			.configured()).isFalse();
		assertThat(new Ga4Properties(false, ga4.baseUrl(), "G-IT12345", SECRET, Duration.ofSeconds(1),
				Duration.ofSeconds(1))
			.configured()).isFalse();
	}

	@Test
	void theSettingsNeverShowTheSecretAndRefuseAMalformedMeasurementId() {
		assertThat(properties(ga4.baseUrl()).toString()).doesNotContain(SECRET).contains("apiSecret=<set>");
		assertThatIllegalArgumentException().isThrownBy(() -> new Ga4Properties(true, ga4.baseUrl(), "UA-1234-1",
				SECRET, Duration.ofSeconds(1), Duration.ofSeconds(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> new Ga4Properties(true, "ftp://example.com", "G-IT12345",
				SECRET, Duration.ofSeconds(1), Duration.ofSeconds(1)));
	}

	private SendOutcome answeredWith(int status) {
		ga4.stubFor(post(urlPathEqualTo("/mp/collect")).atPriority(1)
			.withRequestBody(containing("MER-20261124-0042"))
			.willReturn(aResponse().withStatus(status)));
		return analytics(ga4.baseUrl()).purchase(PURCHASE).block(Duration.ofSeconds(10));
	}

	private Ga4MeasurementProtocol analytics(String baseUrl) {
		Ga4Properties properties = properties(baseUrl);
		return new Ga4MeasurementProtocol(Ga4Configuration.webClient(properties), properties, json);
	}

	private static Ga4Properties properties(String baseUrl) {
		return new Ga4Properties(true, baseUrl, "G-IT12345", SECRET, Duration.ofSeconds(2), Duration.ofSeconds(5));
	}

}
