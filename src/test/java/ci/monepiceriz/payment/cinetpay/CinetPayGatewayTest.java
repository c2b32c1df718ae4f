package ci.monepiceriz.payment.cinetpay;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ci.monepiceriz.support.CapturedLogs;
import ci.monepiceriz.payment.Initialisation;
import ci.monepiceriz.payment.PaymentCheck;
import ci.monepiceriz.payment.PaymentRequest;
import ci.monepiceriz.payment.ProviderTransaction;
import ci.monepiceriz.payment.domain.Charge;
import ci.monepiceriz.payment.domain.PaymentDescription;
import ci.monepiceriz.shared.MutableClock;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CinetPayGateway} against WireMock playing CinetPay with the stubs of
 * {@code contracts/cinetpay} (see its README). Response timeout 500 ms, two check retries
 * 20 to 100 ms apart.
 */
class CinetPayGatewayTest {

	private static final String API_KEY = CinetPayPropertiesTest.API_KEY;

	private static final String SITE_ID = CinetPayPropertiesTest.SITE_ID;

	private static final String SECRET_KEY = CinetPayPropertiesTest.SECRET_KEY;

	private static final WireMockServer cinetPay = ContractCinetPay.server();

	private final JsonMapper json = JsonMapper.builder().build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

	private CinetPayGateway gateway;

	@BeforeAll
	static void startCinetPay() {
		ContractCinetPay.start(cinetPay);
	}

	@AfterAll
	static void stopCinetPay() {
		cinetPay.stop();
	}

	@BeforeEach
	void resetCinetPay() {
		cinetPay.resetRequests();
		cinetPay.resetScenarios();
		gateway = gateway(API_KEY, cinetPay.baseUrl());
	}

	private CinetPayGateway gateway(String apiKey, String baseUrl) {
		return CinetPayConfiguration.gateway(CinetPayPropertiesTest.properties(baseUrl, apiKey), json, meters, clock);
	}

	private static PaymentRequest request(String transactionId, long due) {
		return new PaymentRequest(transactionId, (Charge) Charge.forAmountDue(due),
				"MonEpice&Riz commande #MER-20260101-0001 (riz_parfumé 5/kg)", "MER-20260101-0001",
				new PaymentRequest.Payer("Awa", "Koné", "+2250707123456", "awa@example.ci"));
	}

	// --- initialise

	@Test
	void initialiseSendsAMultipleOfFiveAndEveryFieldWithoutForbiddenCharacters() {
		StepVerifier.create(gateway.initialise(request("TX-INIT-1", 4999)))
			.expectNext(new Initialisation.Initialised("TX-INIT-1", "tok-1234",
					"http://localhost:8089/fake-checkout/tok-1234"))
			.verifyComplete();

		JsonNode sent = json.readTree(onlyRequest("/v2/payment").getBodyAsString());
		assertThat(sent.get("amount").isIntegralNumber()).as("amount is a JSON integer").isTrue();
		assertThat(sent.get("amount").longValue()).isEqualTo(4995);
		assertThat(text(sent, "apikey")).isEqualTo(API_KEY);
		assertThat(text(sent, "site_id")).isEqualTo(SITE_ID);
		assertThat(text(sent, "transaction_id")).isEqualTo("TX-INIT-1");
		assertThat(text(sent, "currency")).isEqualTo("XOF");
		assertThat(text(sent, "channels")).isEqualTo("ALL");
		assertThat(text(sent, "notify_url")).isEqualTo("https://api.monepiceriz.ci/api/webhooks/cinetpay");
		assertThat(text(sent, "return_url"))
			.isEqualTo("https://www.monepiceriz.ci/api/payments/return?transactionId=TX-INIT-1");
		assertThat(text(sent, "metadata")).isEqualTo("MER-20260101-0001");
		assertThat(text(sent, "description")).isEqualTo("MonEpice Riz commande MER-20260101-0001 (riz parfumé 5 kg)");
		assertThat(text(sent, "description").chars()).noneMatch(c -> PaymentDescription.FORBIDDEN.indexOf(c) >= 0);
		assertThat(text(sent, "customer_surname")).isEqualTo("Awa");
		assertThat(text(sent, "customer_name")).isEqualTo("Koné");
		assertThat(text(sent, "customer_phone_number")).isEqualTo("+2250707123456");
		assertThat(text(sent, "customer_email")).isEqualTo("awa@example.ci");
		assertThat(sent.has("secret_key")).isFalse();
		assertThat(onlyRequest("/v2/payment").getBodyAsString()).doesNotContain(SECRET_KEY);
	}

	@Test
	void initialiseReportsTheProvidersRefusalsWithTheirCodes() {
		StepVerifier.create(gateway.initialise(request("TX-INIT-MISSING-FIELDS", 5000)))
			.expectNext(new Initialisation.Refused("TX-INIT-MISSING-FIELDS", "608", "MINIMUM_REQUIRED_FIELDS",
					"Le champ customer_name est requis"))
			.verifyComplete();
		StepVerifier.create(gateway("wrong-apikey", cinetPay.baseUrl()).initialise(request("TX-INIT-2", 5000)))
			.expectNext(new Initialisation.Refused("TX-INIT-2", "609", "AUTH_NOT_FOUND", "Le apikey est incorrect"))
			.verifyComplete();
		StepVerifier.create(gateway.initialise(request("TX-INIT-HTML", 5000)))
			.expectNext(new Initialisation.Refused("TX-INIT-HTML", "", "unreadable answer (HTTP 403)", ""))
			.verifyComplete();
	}

	@Test
	void initialiseIsNeverRetriedAfterA5xx() throws InterruptedException {
		StepVerifier.create(gateway.initialise(request("TX-INIT-DOWN", 5000)))
			.expectNext(new Initialisation.ProviderUnavailable("TX-INIT-DOWN", "HTTP 500"))
			.verifyComplete();
		Thread.sleep(300); // a retry would have gone out by now
		cinetPay.verify(1, postRequestedFor(urlPathEqualTo("/v2/payment")));
	}

	@Test
	void initialiseIsNeverRetriedAfterATimeout() throws InterruptedException {
		StepVerifier.create(gateway.initialise(request("TX-INIT-SLOW", 5000)))
			.assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(Initialisation.ProviderUnavailable.class,
					unavailable -> assertThat(unavailable.reason()).startsWith("no answer within")))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		Thread.sleep(300);
		cinetPay.verify(1, postRequestedFor(urlPathEqualTo("/v2/payment")));
	}

	// --- check

	@Test
	void checkReadsAnAcceptedPaymentWithItsAmountGivenAsAString() {
		StepVerifier.create(gateway.check("TX-ACCEPTED"))
			.expectNext(new PaymentCheck.Accepted(new ProviderTransaction("TX-ACCEPTED", "00", "SUCCES", "ACCEPTED",
					OptionalLong.of(5000), "XOF", "OM", "MP260101.1000.A12345", "MER-20260101-0001",
					Optional.of(Instant.parse("2026-01-01T10:00:00Z")),
					Optional.of(Instant.parse("2026-01-03T00:00:00Z")))))
			.verifyComplete();

		JsonNode sent = json.readTree(onlyRequest("/v2/payment/check").getBodyAsString());
		assertThat(text(sent, "apikey")).isEqualTo(API_KEY);
		assertThat(text(sent, "site_id")).isEqualTo(SITE_ID);
		assertThat(text(sent, "transaction_id")).isEqualTo("TX-ACCEPTED");
	}

	@Test
	void anAcceptedPaymentSettlesOnlyTheTransactionAmountAndCurrencyWeStored() {
		PaymentCheck.Accepted accepted = (PaymentCheck.Accepted) gateway.check("TX-ACCEPTED")
			.block(Duration.ofSeconds(5));

		assertThat(accepted.matches("TX-ACCEPTED", 5000, "XOF")).isTrue();
		assertThat(accepted.matches("TX-ACCEPTED", 4995, "XOF")).isFalse();
		assertThat(accepted.matches("TX-ACCEPTED", 5000, "XAF")).isFalse();
		assertThat(accepted.matches("TX-OTHER", 5000, "XOF")).isFalse();
	}

	@Test
	void checkReadsAnAmountGivenAsANumber() {
		StepVerifier.create(gateway.check("TX-ACCEPTED-NUMBER"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(PaymentCheck.Accepted.class,
					accepted -> assertThat(accepted.amount()).isEqualTo(5000)))
			.verifyComplete();
	}

	@Test
	void checkTakesBlankDatesAsAbsent() {
		StepVerifier.create(gateway.check("TX-ACCEPTED-BLANK-DATES"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(PaymentCheck.Accepted.class, accepted -> {
				assertThat(accepted.transaction().paymentDate()).isEmpty();
				assertThat(accepted.transaction().fundAvailabilityDate()).isEmpty();
			}))
			.verifyComplete();
	}

	@Test
	void checkReadsARefusedPayment() {
		StepVerifier.create(gateway.check("TX-REFUSED"))
			.expectNext(new PaymentCheck.Refused(
					new ProviderTransaction("TX-REFUSED", "627", "TRANSACTION_CANCEL", "REFUSED", OptionalLong.of(5000),
							"XOF", "MOMO", "", "MER-20260101-0001", Optional.empty(), Optional.empty())))
			.verifyComplete();
	}

	@Test
	void checkReadsWaitingCodesAsPending() {
		StepVerifier.create(gateway.check("TX-PENDING-662"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(PaymentCheck.Pending.class,
					pending -> assertThat(pending.transaction().status()).isEqualTo("WAITING_FOR_CUSTOMER")))
			.verifyComplete();
		StepVerifier.create(gateway.check("TX-PENDING-623"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(PaymentCheck.Pending.class,
					pending -> assertThat(pending.transaction().message()).isEqualTo("WAITING_CUSTOMER_TO_VALIDATE")))
			.verifyComplete();
	}

	@Test
	void checkReadsAnErrorCodeAsUnknownNeverAsFinal() {
		StepVerifier.create(gateway.check("TX-PROCESSING-ERROR"))
			.expectNext(new PaymentCheck.Unknown("TX-PROCESSING-ERROR", "624", "PROCESSING_ERROR"))
			.verifyComplete();
	}

	@Test
	void checkIsRetriedAfter5xxAnswersThenSucceeds() {
		StepVerifier.create(gateway.check("TX-CHECK-FLAKY"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOf(PaymentCheck.Accepted.class))
			.verifyComplete();
		cinetPay.verify(3, postRequestedFor(urlPathEqualTo("/v2/payment/check")));
	}

	@Test
	void checkIsRetriedAfterATimeoutThenSucceeds() {
		StepVerifier.create(gateway.check("TX-CHECK-SLOW-ONCE"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOf(PaymentCheck.Accepted.class))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		cinetPay.verify(2, postRequestedFor(urlPathEqualTo("/v2/payment/check")));
	}

	@Test
	void checkGivesUpAfterTheBoundedRetriesWithAnOutcomeForA503() {
		StepVerifier.create(gateway.check("TX-CHECK-DOWN"))
			.expectNext(new PaymentCheck.ProviderUnavailable("TX-CHECK-DOWN", "HTTP 503"))
			.verifyComplete();
		cinetPay.verify(3, postRequestedFor(urlPathEqualTo("/v2/payment/check")));
	}

	@Test
	void checkTimeoutsSurfaceAsUnavailableAfterTheRetries() {
		StepVerifier.create(gateway.check("TX-CHECK-SLOW"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(PaymentCheck.ProviderUnavailable.class,
					unavailable -> assertThat(unavailable.reason()).isEqualTo("no answer within PT0.5S")))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		cinetPay.verify(3, postRequestedFor(urlPathEqualTo("/v2/payment/check")));
	}

	@Test
	void aBodyBreakingOffIsUnavailableAfterTheRetriesNotAnError() {
		StepVerifier.create(gateway.check("TX-CHECK-BROKEN"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOf(PaymentCheck.ProviderUnavailable.class))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		cinetPay.verify(3, postRequestedFor(urlPathEqualTo("/v2/payment/check")));
	}

	@Test
	void anUnreachableProviderIsUnavailableNotAnError() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		CinetPayGateway unreachable = gateway(API_KEY, "http://127.0.0.1:" + closedPort);

		StepVerifier.create(unreachable.check("TX-ACCEPTED"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(PaymentCheck.ProviderUnavailable.class,
					unavailable -> assertThat(unavailable.reason()).startsWith("request failed")))
			.verifyComplete();
		StepVerifier.create(unreachable.initialise(request("TX-INIT-3", 5000)))
			.assertNext(outcome -> assertThat(outcome).isInstanceOf(Initialisation.ProviderUnavailable.class))
			.verifyComplete();
	}

	// --- circuit breaker and metrics

	@Test
	void anOpenCircuitAnswersUnavailableAtOnceThenLetsATrialThrough() {
		for (int i = 0; i < 5; i++) {
			StepVerifier.create(gateway.check("TX-CHECK-DOWN"))
				.expectNextMatches(PaymentCheck.ProviderUnavailable.class::isInstance)
				.verifyComplete();
		}
		cinetPay.resetRequests();

		StepVerifier.create(gateway.check("TX-ACCEPTED"))
			.expectNext(new PaymentCheck.ProviderUnavailable("TX-ACCEPTED", "circuit open: CinetPay failed repeatedly"))
			.verifyComplete();
		StepVerifier.create(gateway.initialise(request("TX-INIT-4", 5000)))
			.expectNextMatches(Initialisation.ProviderUnavailable.class::isInstance)
			.verifyComplete();
		assertThat(cinetPay.getAllServeEvents()).as("no request while the circuit is open").isEmpty();

		clock.advance(Duration.ofSeconds(30));
		StepVerifier.create(gateway.check("TX-ACCEPTED"))
			.expectNextMatches(PaymentCheck.Accepted.class::isInstance)
			.verifyComplete();
		StepVerifier.create(gateway.check("TX-REFUSED"))
			.expectNextMatches(PaymentCheck.Refused.class::isInstance)
			.verifyComplete();
		assertThat(meters.get(CinetPayGateway.TIMER).tag("outcome", "circuit-open").timers()).hasSize(2);
	}

	@Test
	void timesEveryCallByOperationAndOutcome() {
		StepVerifier.create(gateway.check("TX-ACCEPTED")).expectNextCount(1).verifyComplete();
		StepVerifier.create(gateway.check("TX-PENDING-662")).expectNextCount(1).verifyComplete();
		StepVerifier.create(gateway.check("TX-CHECK-FLAKY")).expectNextCount(1).verifyComplete();
		StepVerifier.create(gateway.initialise(request("TX-INIT-DOWN", 5000))).expectNextCount(1).verifyComplete();

		assertThat(count("check", "accepted")).isEqualTo(2);
		assertThat(count("check", "pending")).isEqualTo(1);
		assertThat(count("initialise", "unavailable")).isEqualTo(1);
		assertThat(meters.get(CinetPayGateway.TIMER)
			.tags("provider", "cinetpay", "operation", "check", "outcome", "accepted")
			.timer()
			.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
	}

	@Test
	void neverLogsTheCredentials() {
		List<Object> outcomes = new ArrayList<>();
		List<ILoggingEvent> captured;
		try (CapturedLogs logs = CapturedLogs.root()) {
			outcomes.add(gateway.initialise(request("TX-INIT-1", 5000)).block(Duration.ofSeconds(5)));
			outcomes.add(gateway.initialise(request("TX-INIT-DOWN", 5000)).block(Duration.ofSeconds(5)));
			outcomes.add(gateway.initialise(request("TX-INIT-SLOW", 5000)).block(Duration.ofSeconds(5)));
			outcomes.add(gateway.check("TX-CHECK-FLAKY").block(Duration.ofSeconds(5)));
			outcomes.add(gateway.check("TX-CHECK-SLOW").block(Duration.ofSeconds(5)));
			outcomes.add(gateway.check("TX-PROCESSING-ERROR").block(Duration.ofSeconds(5)));
			captured = logs.withoutWireMock();
		}

		List<String> ours = captured.stream()
			.map(event -> event.getFormattedMessage()
					+ (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())))
			.toList();
		assertThat(ours).as("the gateway logs its failures").anySatisfy(line -> assertThat(line).contains("HTTP 500"));
		assertThat(ours).allSatisfy(line -> assertThat(line).doesNotContain(API_KEY, SECRET_KEY, SITE_ID));
		assertThat(outcomes).hasSize(6)
			.allSatisfy(outcome -> assertThat(outcome.toString()).doesNotContain(API_KEY, SECRET_KEY, SITE_ID));
	}

	private double count(String operation, String outcome) {
		return meters.get(CinetPayGateway.TIMER)
			.tags("operation", operation, "outcome", outcome)
			.timers()
			.stream()
			.mapToLong(timer -> timer.count())
			.sum();
	}

	private static LoggedRequest onlyRequest(String path) {
		List<LoggedRequest> requests = cinetPay.findAll(postRequestedFor(urlPathEqualTo(path)));
		assertThat(requests).hasSize(1);
		return requests.get(0);
	}

	private static String text(JsonNode node, String field) {
		assertThat(node.has(field)).as(field).isTrue();
		return node.get(field).asString();
	}

}
