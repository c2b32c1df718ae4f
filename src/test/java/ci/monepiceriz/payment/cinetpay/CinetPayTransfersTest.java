package ci.monepiceriz.payment.cinetpay;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ci.monepiceriz.support.CapturedLogs;
import ci.monepiceriz.payment.Payout;
import ci.monepiceriz.payment.PayoutCheck;
import ci.monepiceriz.payment.PayoutRequest;
import ci.monepiceriz.shared.MutableClock;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payout half of {@link CinetPayGateway} ({@link CinetPayTransfers}) against WireMock
 * playing CinetPay's v1 Transfer API with the {@code transfer-*} stubs of
 * {@code contracts/cinetpay} (see its README): each stub is picked by the phone number
 * sent, or by the {@code client_transaction_id} asked about. Response timeout 500 ms, two
 * retries 20 to 100 ms apart; the clock is the test's.
 */
class CinetPayTransfersTest {

	private static final String API_PASSWORD = "it-api-password";

	private static final String TOKEN = "tr-token-1";

	private static final WireMockServer cinetPay = ContractCinetPay.server();

	private final JsonMapper json = JsonMapper.builder().build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

	private CinetPayGateway gateway;

	@BeforeAll
	static void startCinetPay() {
		ContractCinetPay.start(cinetPay);
		// a cold JVM (WireMock, Netty, the JIT) can take longer than the 500 ms timeout
		// on
		// its first calls: warm up once, so that the tests time what they mean to
		CinetPayGateway warm = new CinetPayTransfersTest().gateway(API_PASSWORD);
		for (int i = 0; i < 3; i++) {
			warm.payout(payout("TRF-WARM-000" + i, "+2250707123456")).block(Duration.ofSeconds(10));
			warm.checkPayout("TRF-CHECK-VAL").block(Duration.ofSeconds(10));
		}
	}

	@AfterAll
	static void stopCinetPay() {
		cinetPay.stop();
	}

	@BeforeEach
	void resetCinetPay() {
		cinetPay.resetToDefaultMappings();
		cinetPay.resetRequests();
		cinetPay.resetScenarios();
		gateway = gateway(API_PASSWORD);
	}

	private CinetPayGateway gateway(String password) {
		return CinetPayConfiguration.gateway(
				CinetPayPropertiesTest.properties(cinetPay.baseUrl(), CinetPayPropertiesTest.API_KEY),
				new CinetPayTransferProperties(cinetPay.baseUrl() + "/v1", password, Duration.ofMinutes(4)), json,
				meters, clock);
	}

	private static PayoutRequest payout(String id, String phone) {
		return new PayoutRequest(id, 5000, "XOF", phone, "Awa Koné", "Remboursement commande MER-20260101-0001");
	}

	// --- payout

	@Test
	void logsInAddsTheContactThenSendsWithOurClientTransactionId() {
		StepVerifier.create(gateway.payout(payout("TRF-A-0001", "+2250707123456")))
			.expectNext(new Payout.Sent("TRF-A-0001", "TRF-0001", false))
			.verifyComplete();

		LoggedRequest login = only("/v1/auth/login");
		assertThat(form(login)).contains("apikey=" + CinetPayPropertiesTest.API_KEY, "password=" + API_PASSWORD);
		JsonNode contact = data(only("/v1/transfer/contact")).get(0);
		assertThat(contact.get("prefix").asString()).isEqualTo("225");
		assertThat(contact.get("phone").asString()).isEqualTo("0707123456");
		assertThat(contact.get("surname").asString()).isEqualTo("Awa");
		assertThat(contact.get("name").asString()).isEqualTo("Koné");
		LoggedRequest send = only("/v1/transfer/money/send/contact");
		assertThat(send.queryParameter("token").firstValue()).isEqualTo(TOKEN);
		JsonNode sent = data(send).get(0);
		assertThat(sent.get("client_transaction_id").asString()).isEqualTo("TRF-A-0001");
		assertThat(sent.get("amount").longValue()).isEqualTo(5000);
		assertThat(sent.get("prefix").asString()).isEqualTo("225");
		assertThat(sent.get("phone").asString()).isEqualTo("0707123456");
		assertThat(sent.get("notify_url").asString())
			.isEqualTo("https://api.monepiceriz.ci/api/webhooks/cinetpay/transfers");
		assertThat(count("payout", "sent")).isEqualTo(1);
	}

	@Test
	void theLoginTokenIsReusedWithinItsLifeAndFetchedAgainAfter() {
		gateway.payout(payout("TRF-T-0001", "+2250707123456")).block(Duration.ofSeconds(5));
		clock.advance(Duration.ofMinutes(3));
		gateway.payout(payout("TRF-T-0002", "+2250707123456")).block(Duration.ofSeconds(5));
		gateway.checkPayout("TRF-T-0002").block(Duration.ofSeconds(5));
		cinetPay.verify(1, postRequestedFor(urlPathEqualTo("/v1/auth/login")));

		clock.advance(Duration.ofMinutes(1)); // 4 minutes: the configured lifetime
		gateway.payout(payout("TRF-T-0003", "+2250707123456")).block(Duration.ofSeconds(5));

		cinetPay.verify(2, postRequestedFor(urlPathEqualTo("/v1/auth/login")));
		cinetPay.verify(3, postRequestedFor(urlPathEqualTo("/v1/transfer/money/send/contact")));
	}

	@Test
	void aTokenCinetPayCallsExpiredIsReplacedAtOnce() {
		gateway.payout(payout("TRF-E-0001", "+2250707123456")).block(Duration.ofSeconds(5));
		cinetPay.stubFor(post(urlPathEqualTo("/v1/transfer/contact")).atPriority(1)
			.inScenario("expired")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("answered")
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"code\":\"705\",\"message\":\"EXPIRED_TOKEN\",\"data\":[]}")));

		StepVerifier.create(gateway.payout(payout("TRF-E-0002", "+2250707123456")))
			.expectNext(new Payout.Sent("TRF-E-0002", "TRF-0001", false))
			.verifyComplete();
		cinetPay.verify(2, postRequestedFor(urlPathEqualTo("/v1/auth/login")));
	}

	@Test
	void aSendThatTimedOutIsRetriedWithTheSameClientTransactionIdAndItsDuplicateReadAsSent() {
		StepVerifier.create(gateway.payout(payout("TRF-SLOW-0001", "+2250555555501")))
			.expectNext(new Payout.Sent("TRF-SLOW-0001", "", true))
			.expectComplete()
			.verify(Duration.ofSeconds(5));

		List<LoggedRequest> sends = cinetPay
			.findAll(postRequestedFor(urlPathEqualTo("/v1/transfer/money/send/contact")));
		assertThat(sends).hasSizeGreaterThanOrEqualTo(2)
			.allSatisfy(send -> assertThat(data(send).get(0).get("client_transaction_id").asString())
				.isEqualTo("TRF-SLOW-0001"));
	}

	@Test
	void readsDataGivenAsAnObjectAndAnExistingContactAsFine() {
		StepVerifier.create(gateway.payout(payout("TRF-O-0001", "+2250505050505")))
			.expectNext(new Payout.Sent("TRF-O-0001", "TRF-OBJ-1", false))
			.verifyComplete();
		StepVerifier.create(gateway.payout(payout("TRF-C-0001", "+2250101010101")))
			.expectNext(new Payout.Sent("TRF-C-0001", "TRF-0001", false))
			.verifyComplete();
	}

	@Test
	void tellsPermanentRefusalsFromRefusalsForNow() {
		StepVerifier.create(gateway.payout(payout("TRF-R-0001", "+2250577777719")))
			.expectNext(new Payout.Refused("TRF-R-0001", "719", "AMOUNT_TOO_SMALL"))
			.verifyComplete();
		StepVerifier.create(gateway.payout(payout("TRF-R-0002", "+2250909090909")))
			.expectNext(new Payout.Refused("TRF-R-0002", "802", "INVALID_PHONE"))
			.verifyComplete();
		cinetPay.verify(0, postRequestedFor(urlPathEqualTo("/v1/transfer/money/send/contact"))
			.withRequestBody(containing("0909090909")));
		StepVerifier.create(gateway.payout(payout("TRF-R-0003", "+2250566666602")))
			.expectNext(new Payout.Deferred("TRF-R-0003", "602", "INSUFFICIENT_BALANCE"))
			.verifyComplete();
		StepVerifier.create(gateway.payout(payout("TRF-R-0004", "+2250102030405")))
			.expectNext(new Payout.Sent("TRF-R-0004", "", true))
			.verifyComplete();
	}

	@Test
	void aFailingSendIsRetriedABoundedNumberOfTimesThenUnavailable() {
		StepVerifier.create(gateway.payout(payout("TRF-D-0001", "+2250588888503")))
			.expectNext(new Payout.ProviderUnavailable("TRF-D-0001", "HTTP 503"))
			.verifyComplete();
		cinetPay.verify(3, postRequestedFor(urlPathEqualTo("/v1/transfer/money/send/contact")));
		assertThat(count("payout", "unavailable")).isEqualTo(1);
	}

	@Test
	void aRefusedLoginIsUnavailableAndNamesTheCode() {
		StepVerifier.create(gateway("wrong-password").payout(payout("TRF-L-0001", "+2250707123456")))
			.assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(Payout.ProviderUnavailable.class,
					unavailable -> assertThat(unavailable.reason()).contains("701")))
			.verifyComplete();
		cinetPay.verify(0, postRequestedFor(urlPathEqualTo("/v1/transfer/money/send/contact")));
	}

	// --- check

	@Test
	void checkReadsFinalAndTransitionalStatuses() {
		StepVerifier.create(gateway.checkPayout("TRF-CHECK-VAL"))
			.expectNext(new PayoutCheck.PaidOut("TRF-CHECK-VAL", "TRF-0001", "MP-OP-0001"))
			.verifyComplete();
		StepVerifier.create(gateway.checkPayout("TRF-CHECK-REJ"))
			.expectNext(new PayoutCheck.Rejected("TRF-CHECK-REJ", "REJ", "Numéro non enregistré chez l'opérateur"))
			.verifyComplete();
		StepVerifier.create(gateway.checkPayout("TRF-CHECK-REC"))
			.expectNext(new PayoutCheck.InProgress("TRF-CHECK-REC", "REC"))
			.verifyComplete();
		StepVerifier.create(gateway.checkPayout("TRF-CHECK-NOT-FOUND"))
			.expectNext(new PayoutCheck.NotFound("TRF-CHECK-NOT-FOUND"))
			.verifyComplete();
		StepVerifier.create(gateway.checkPayout("TRF-ANY-0001"))
			.expectNext(new PayoutCheck.InProgress("TRF-ANY-0001", "NEW"))
			.verifyComplete();
		cinetPay.verify(getRequestedFor(urlPathEqualTo("/v1/transfer/check/money"))
			.withQueryParam("client_transaction_id", equalTo("TRF-CHECK-VAL"))
			.withQueryParam("token", equalTo(TOKEN)));
		assertThat(count("payout-check", "paid-out")).isEqualTo(1);
		assertThat(count("payout-check", "rejected")).isEqualTo(1);
	}

	@Test
	void neverLogsTheCredentialsNorTheToken() {
		List<Object> outcomes = new ArrayList<>();
		List<ILoggingEvent> ours;
		try (CapturedLogs logs = CapturedLogs.root()) {
			outcomes.add(gateway.payout(payout("TRF-G-0001", "+2250707123456")).block(Duration.ofSeconds(5)));
			outcomes.add(gateway.payout(payout("TRF-G-0002", "+2250588888503")).block(Duration.ofSeconds(5)));
			outcomes.add(gateway.checkPayout("TRF-CHECK-VAL").block(Duration.ofSeconds(5)));
			outcomes.add(gateway("wrong-password").payout(payout("TRF-G-0003", "+2250707123456"))
				.block(Duration.ofSeconds(5)));
			ours = logs.withoutWireMock();
		}
		assertThat(ours).extracting(ILoggingEvent::getFormattedMessage)
			.anySatisfy(line -> assertThat(line).contains("HTTP 503"))
			.allSatisfy(line -> assertThat(line).doesNotContain(CinetPayPropertiesTest.API_KEY, API_PASSWORD,
					"wrong-password"));
		// CinetPay takes the (5-minute) token in the query string: reactor-netty's own
		// DEBUG lines show request URIs; nothing else, ours included, shows it
		assertThat(ours).filteredOn(event -> !event.getLoggerName().startsWith("reactor.netty"))
			.extracting(ILoggingEvent::getFormattedMessage)
			.allSatisfy(line -> assertThat(line).doesNotContain(TOKEN));
		assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.toString())
			.doesNotContain(CinetPayPropertiesTest.API_KEY, API_PASSWORD, TOKEN));
	}

	private double count(String operation, String outcome) {
		return meters.get(CinetPayGateway.TIMER)
			.tags("operation", operation, "outcome", outcome)
			.timers()
			.stream()
			.mapToLong(timer -> timer.count())
			.sum();
	}

	private static LoggedRequest only(String path) {
		List<LoggedRequest> requests = cinetPay.findAll(postRequestedFor(urlPathEqualTo(path)));
		assertThat(requests).hasSize(1);
		return requests.get(0);
	}

	private static String form(LoggedRequest request) {
		return URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
	}

	/** The JSON array of a form's {@code data} field. */
	private JsonNode data(LoggedRequest request) {
		String body = request.getBodyAsString();
		String encoded = body.substring(body.indexOf("data=") + "data=".length());
		int end = encoded.indexOf('&');
		return json.readTree(URLDecoder.decode(end < 0 ? encoded : encoded.substring(0, end), StandardCharsets.UTF_8));
	}

}
