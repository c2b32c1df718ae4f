package ci.monepiceriz.payment.cinetpay;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
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
import ci.monepiceriz.payment.Payout;
import ci.monepiceriz.payment.PayoutCheck;
import ci.monepiceriz.payment.PayoutRequest;
import ci.monepiceriz.payment.ReceivedNotification;
import ci.monepiceriz.payment.domain.Charge;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.MutableClock;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CinetPayNewApiGateway} against WireMock playing the new CinetPay API with the
 * stubs of {@code contracts/cinetpay} (the {@code new-*} files, see its README). Response
 * timeout 500 ms, two check retries 20 to 100 ms apart.
 */
class CinetPayNewApiGatewayTest {

	private static final String API_KEY = "sk_test_unit-new-api-key";

	private static final String API_PASSWORD = "unit-new-api-password";

	/** The notify_token of {@code new-payment-created.json}. */
	private static final String NOTIFY_TOKEN = "it-notify-token-0001";

	private static final WireMockServer cinetPay = ContractCinetPay.server();

	private final JsonMapper json = JsonMapper.builder().build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

	private CinetPayNewApiGateway gateway;

	@BeforeAll
	static void startCinetPay() {
		ContractCinetPay.start(cinetPay);
		warmUp();
	}

	/**
	 * WireMock's first requests (JSONPath matchers loading) can take longer than the 500
	 * ms response timeout of these tests: a few are sent before any test.
	 */
	private static void warmUp() {
		HttpClient client = HttpClient.newHttpClient();
		try {
			for (int i = 0; i < 3; i++) {
				client.send(HttpRequest.newBuilder(URI.create(cinetPay.baseUrl() + "/v1/oauth/login"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"k\",\"api_password\":\"p\"}"))
					.build(), HttpResponse.BodyHandlers.discarding());
				client.send(HttpRequest.newBuilder(URI.create(cinetPay.baseUrl() + "/v1/payment"))
					.header("Content-Type", "application/json")
					.header("Authorization", "Bearer warm-up")
					.POST(HttpRequest.BodyPublishers.ofString("{\"merchant_transaction_id\":\"TX-NEW-WARM-UP\"}"))
					.build(), HttpResponse.BodyHandlers.discarding());
				client.send(HttpRequest.newBuilder(URI.create(cinetPay.baseUrl() + "/v1/payment/TX-NEW-WARM-UP"))
					.header("Authorization", "Bearer warm-up")
					.build(), HttpResponse.BodyHandlers.discarding());
			}
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException("WireMock did not answer", ex);
		}
		CinetPayNewApiGateway warming = new CinetPayNewApiGatewayTest().gateway(API_KEY);
		for (int i = 0; i < 3; i++) {
			warming.initialise(request("TX-NEW-WARM-UP", 5000)).block(Duration.ofSeconds(10));
			warming.check("TX-NEW-WARM-UP").block(Duration.ofSeconds(10));
		}
	}

	@AfterAll
	static void stopCinetPay() {
		cinetPay.stop();
	}

	@BeforeEach
	void resetCinetPay() {
		cinetPay.resetRequests();
		cinetPay.resetScenarios();
		gateway = gateway(API_KEY);
	}

	private CinetPayNewApiGateway gateway(String apiKey) {
		CinetPayNewApiProperties newApi = new CinetPayNewApiProperties(cinetPay.baseUrl(), apiKey, API_PASSWORD,
				Duration.ofHours(23), "fr");
		return CinetPayConfiguration.newApiGateway(
				CinetPayPropertiesTest.properties("https://api-checkout.cinetpay.com", CinetPayPropertiesTest.API_KEY),
				newApi, json, meters, clock);
	}

	private static PaymentRequest request(String transactionId, long due) {
		return new PaymentRequest(transactionId, (Charge) Charge.forAmountDue(due),
				"MonEpice&Riz commande #MER-20260101-0001", "MER-20260101-0001",
				new PaymentRequest.Payer("Awa", "Koné", "+2250707123456", "awa@example.ci"));
	}

	// --- initialise

	@Test
	void initialiseLogsInSendsTheBearerAndKeepsOnlyTheNotifyTokensDigest() {
		Initialisation outcome = gateway.initialise(request("TX-NEW-INIT-1", 4999)).block(Duration.ofSeconds(5));

		assertThat(outcome).isEqualTo(new Initialisation.Initialised("TX-NEW-INIT-1", "new-pay-tok-1",
				"http://localhost:8089/fake-checkout/new-pay-tok-1",
				HexFormat.of().formatHex(Tokens.sha256(NOTIFY_TOKEN))));
		assertThat(outcome.toString()).doesNotContain(NOTIFY_TOKEN);

		JsonNode login = json.readTree(only(postRequestedFor(urlPathEqualTo("/v1/oauth/login"))).getBodyAsString());
		assertThat(login.get("api_key").asString()).isEqualTo(API_KEY);
		assertThat(login.get("api_password").asString()).isEqualTo(API_PASSWORD);
		LoggedRequest created = only(postRequestedFor(urlPathEqualTo("/v1/payment")));
		assertThat(created.getHeader("Authorization")).isEqualTo("Bearer it-access-token");
		JsonNode sent = json.readTree(created.getBodyAsString());
		assertThat(sent.get("amount").isIntegralNumber()).isTrue();
		assertThat(sent.get("amount").longValue()).isEqualTo(4995);
		assertThat(sent.get("currency").asString()).isEqualTo("XOF");
		assertThat(sent.get("merchant_transaction_id").asString()).isEqualTo("TX-NEW-INIT-1");
		assertThat(sent.get("designation").asString()).isEqualTo("MonEpice Riz commande MER-20260101-0001");
		assertThat(sent.get("notify_url").asString()).isEqualTo("https://api.monepiceriz.ci/api/webhooks/cinetpay");
		assertThat(sent.get("success_url").asString())
			.isEqualTo("https://www.monepiceriz.ci/api/payments/return?transactionId=TX-NEW-INIT-1");
		assertThat(sent.get("failed_url").asString()).isEqualTo(sent.get("success_url").asString());
		assertThat(sent.get("client_first_name").asString()).isEqualTo("Awa");
		assertThat(sent.get("client_last_name").asString()).isEqualTo("Koné");
		assertThat(sent.get("client_email").asString()).isEqualTo("awa@example.ci");
		assertThat(created.getBodyAsString()).doesNotContain(API_KEY, API_PASSWORD);
	}

	@Test
	void initialiseReportsRefusalsAndNeverOpensAPaymentWithoutANotifyToken() {
		StepVerifier.create(gateway.initialise(request("TX-NEW-INVALID", 5000)))
			.expectNext(new Initialisation.Refused("TX-NEW-INVALID", "422", "VALIDATION_ERROR",
					"client_email is not a valid e-mail"))
			.verifyComplete();
		StepVerifier.create(gateway.initialise(request("TX-NEW-NO-NOTIFY-TOKEN", 5000)))
			.expectNext(
					new Initialisation.Refused("TX-NEW-NO-NOTIFY-TOKEN", "200", "created without a notify_token", ""))
			.verifyComplete();
	}

	@Test
	void badCredentialsRefuseTheInitialisationLeaveTheCheckNotFinalAndAreNotCached() {
		CinetPayNewApiGateway wrong = gateway("sk_test_wrong");

		StepVerifier.create(wrong.initialise(request("TX-NEW-INIT-2", 5000)))
			.expectNext(new Initialisation.Refused("TX-NEW-INIT-2", "401", "INVALID_CREDENTIALS", "login refused"))
			.verifyComplete();
		StepVerifier.create(wrong.check("TX-NEW-SUCCESS"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOf(PaymentCheck.Unknown.class))
			.verifyComplete();

		cinetPay.verify(2, postRequestedFor(urlPathEqualTo("/v1/oauth/login")));
		cinetPay.verify(0, postRequestedFor(urlPathEqualTo("/v1/payment")));
	}

	// --- the token

	@Test
	void oneLoginServesEveryCallWhileTheTokenLasts() {
		gateway.initialise(request("TX-NEW-INIT-3", 5000)).block(Duration.ofSeconds(5));
		gateway.check("TX-NEW-SUCCESS").block(Duration.ofSeconds(5));
		clock.advance(Duration.ofHours(22));
		gateway.check("TX-NEW-PENDING").block(Duration.ofSeconds(5));

		cinetPay.verify(1, postRequestedFor(urlPathEqualTo("/v1/oauth/login")));
		assertThat(cinetPay.findAll(getRequestedFor(urlPathEqualTo("/v1/payment/TX-NEW-PENDING"))))
			.allSatisfy(sent -> assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer it-access-token"));

		clock.advance(Duration.ofHours(2));
		gateway.check("TX-NEW-PENDING").block(Duration.ofSeconds(5));
		cinetPay.verify(2, postRequestedFor(urlPathEqualTo("/v1/oauth/login")));
	}

	@Test
	void callsNeedingATokenAtOnceShareOneLogin() {
		CinetPayNewApiGateway slowLogin = gateway("sk_test_slow_login");

		List<PaymentCheck> outcomes = Flux.range(0, 10)
			.flatMap(i -> slowLogin.check("TX-NEW-SUCCESS"))
			.collectList()
			.block(Duration.ofSeconds(10));

		assertThat(outcomes).hasSize(10)
			.allSatisfy(outcome -> assertThat(outcome).isInstanceOf(PaymentCheck.Accepted.class));
		cinetPay.verify(1, postRequestedFor(urlPathEqualTo("/v1/oauth/login")));
	}

	@Test
	void anExpiredTokenIsRenewedOnceAndTheCallSentAgainWithTheNewOne() {
		CinetPayNewApiGateway rotating = gateway("sk_test_rotating");

		StepVerifier.create(rotating.check("TX-NEW-EXPIRED-TOKEN"))
			.assertNext(outcome -> assertThat(outcome).isInstanceOf(PaymentCheck.Accepted.class))
			.verifyComplete();

		cinetPay.verify(2, postRequestedFor(urlPathEqualTo("/v1/oauth/login")));
		List<LoggedRequest> checks = cinetPay
			.findAll(getRequestedFor(urlPathEqualTo("/v1/payment/TX-NEW-EXPIRED-TOKEN")));
		assertThat(checks).extracting(sent -> sent.getHeader("Authorization"))
			.containsExactly("Bearer tok-old", "Bearer tok-new");

		// the renewed token is kept for the next calls
		rotating.check("TX-NEW-EXPIRED-TOKEN").block(Duration.ofSeconds(5));
		cinetPay.verify(2, postRequestedFor(urlPathEqualTo("/v1/oauth/login")));
	}

	@Test
	void aTokenRefusedAgainAfterItsRenewalIsNotRenewedTwice() {
		StepVerifier.create(gateway.check("TX-NEW-ALWAYS-EXPIRED"))
			.expectNext(new PaymentCheck.Unknown("TX-NEW-ALWAYS-EXPIRED", "401", "INVALID_TOKEN"))
			.verifyComplete();

		cinetPay.verify(2, postRequestedFor(urlPathEqualTo("/v1/oauth/login")));
		cinetPay.verify(2, getRequestedFor(urlPathEqualTo("/v1/payment/TX-NEW-ALWAYS-EXPIRED")));
	}

	// --- check

	@Test
	void checkMapsTheNewStatusesOntoTheSameOutcomes() {
		PaymentCheck.Accepted accepted = (PaymentCheck.Accepted) gateway.check("TX-NEW-SUCCESS")
			.block(Duration.ofSeconds(5));
		assertThat(accepted.matches("TX-NEW-SUCCESS", 5000, "XOF")).isTrue();
		assertThat(accepted.matches("TX-NEW-SUCCESS", 4995, "XOF")).isFalse();
		assertThat(accepted.matches("TX-NEW-SUCCESS", 5000, "XAF")).isFalse();
		assertThat(accepted.matches("TX-OTHER", 5000, "XOF")).isFalse();
		assertThat(accepted.transaction().paymentMethod()).isEqualTo("OM_CI");
		assertThat(accepted.transaction().paymentDate()).contains(Instant.parse("2026-01-01T10:00:00Z"));

		for (String pending : List.of("TX-NEW-PENDING", "TX-NEW-INITIATED")) {
			StepVerifier.create(gateway.check(pending))
				.assertNext(outcome -> assertThat(outcome).isInstanceOf(PaymentCheck.Pending.class))
				.verifyComplete();
		}
		for (String refused : List.of("TX-NEW-FAILED", "TX-NEW-EXPIRED")) {
			StepVerifier.create(gateway.check(refused))
				.assertNext(outcome -> assertThat(outcome).isInstanceOf(PaymentCheck.Refused.class))
				.verifyComplete();
		}
		only(getRequestedFor(urlPathEqualTo("/v1/payment/TX-NEW-FAILED")));
	}

	@Test
	void anAnswerAboutAnotherTransactionDoesNotMatchOurs() {
		CinetPayNewApiAnswers answers = new CinetPayNewApiAnswers(json);
		PaymentCheck outcome = answers.check("TX-NEW-OURS", 200, """
				{"code":200,"status":"OK","data":{"merchant_transaction_id":"TX-NEW-THEIRS","status":"SUCCESS",
				 "amount":"5000","currency":"XOF"}}
				""".getBytes());

		assertThat(outcome).isInstanceOfSatisfying(PaymentCheck.Accepted.class,
				accepted -> assertThat(accepted.matches("TX-NEW-OURS", 5000, "XOF")).isFalse());
		assertThat(answers.check("TX-NEW-OURS", 200, "{\"data\":{\"status\":\"SUCCESS\"}}".getBytes()))
			.isInstanceOf(PaymentCheck.Unknown.class);
		assertThat(answers.check("TX-NEW-OURS", 422, "{\"code\":422,\"status\":\"VALIDATION_ERROR\"}".getBytes()))
			.isInstanceOf(PaymentCheck.Unknown.class);
		assertThat(answers.check("TX-NEW-OURS", 200, "{\"data\":{\"status\":\"REVERSED\"}}".getBytes()))
			.isInstanceOf(PaymentCheck.Unknown.class);
	}

	@Test
	void checkIsRetriedAfter5xxThenUnavailable() {
		StepVerifier.create(gateway.check("TX-NEW-DOWN"))
			.expectNext(new PaymentCheck.ProviderUnavailable("TX-NEW-DOWN", "HTTP 503"))
			.verifyComplete();
		cinetPay.verify(3, getRequestedFor(urlPathEqualTo("/v1/payment/TX-NEW-DOWN")));
		assertThat(meters.get(CinetPayNewApiGateway.TIMER)
			.tags("operation", "check", "outcome", "unavailable")
			.timer()
			.count()).isEqualTo(1);
		assertThat(meters.get(CinetPayNewApiGateway.TIMER).tags("operation", "login", "outcome", "ok").timer().count())
			.isEqualTo(1);
	}

	// --- payouts (refunds)

	@Test
	void payoutAsksFirstThenSendsOnceWithOurIdAsMerchantTransactionId() {
		StepVerifier.create(gateway.payout(payout("MER-20260101-0001-RNEWAPI1", "+2250707123456")))
			.expectNext(new Payout.Sent("MER-20260101-0001-RNEWAPI1", "CP-TRF-NEW-1", false))
			.verifyComplete();

		cinetPay.verify(1, getRequestedFor(urlPathEqualTo("/v1/transfer/MER-20260101-0001-RNEWAPI1")));
		LoggedRequest send = only(postRequestedFor(urlPathEqualTo("/v1/transfer")));
		assertThat(send.getHeader("Authorization")).isEqualTo("Bearer it-access-token");
		JsonNode sent = json.readTree(send.getBodyAsString());
		assertThat(sent.get("merchant_transaction_id").asString()).isEqualTo("MER-20260101-0001-RNEWAPI1");
		assertThat(sent.get("phone_number").asString()).isEqualTo("+2250707123456");
		assertThat(sent.get("payment_method").asString()).isEqualTo("OM_CI");
		assertThat(sent.get("amount").isIntegralNumber()).isTrue();
		assertThat(sent.get("amount").longValue()).isEqualTo(4999);
		assertThat(sent.get("currency").asString()).isEqualTo("XOF");
		assertThat(sent.get("reason").asString()).isEqualTo("Remboursement commande MER-20260101-0001");
		assertThat(sent.get("notify_url").asString())
			.isEqualTo("https://api.monepiceriz.ci/api/webhooks/cinetpay/transfers");
	}

	@Test
	void aSendThatTimedOutIsFoundByTheNextAttemptAndNeverSentTwice() {
		StepVerifier.create(gateway.payout(payout("TRF-NEW-SLOW", "+2250505123456")))
			.assertNext(outcome -> assertThat(outcome).isInstanceOf(Payout.ProviderUnavailable.class))
			.verifyComplete();
		StepVerifier.create(gateway.payout(payout("TRF-NEW-SLOW", "+2250505123456")))
			.expectNext(new Payout.Sent("TRF-NEW-SLOW", "", true))
			.verifyComplete();

		assertThat(cinetPay.findAll(postRequestedFor(urlPathEqualTo("/v1/transfer")))).hasSize(1)
			.allSatisfy(send -> assertThat(json.readTree(send.getBodyAsString()).get("payment_method").asString())
				.isEqualTo("MTN_CI"));
	}

	@Test
	void aPayoutCinetPayAlreadyHasIsNotSentAgain() {
		StepVerifier.create(gateway.payout(payout("TRF-NEW-PAID", "+2250101123456")))
			.expectNext(new Payout.Sent("TRF-NEW-PAID", "CP-TRF-NEW-PAID", true))
			.verifyComplete();
		StepVerifier.create(gateway.payout(payout("TRF-NEW-PENDING", "+2250101123456")))
			.expectNext(new Payout.Sent("TRF-NEW-PENDING", "", true))
			.verifyComplete();

		cinetPay.verify(0, postRequestedFor(urlPathEqualTo("/v1/transfer")));
	}

	@Test
	void numbersThatCannotReceiveArePermanentRefusals() {
		StepVerifier.create(gateway.payout(payout("TRF-NEW-BAD-PHONE", "+2250709090909")))
			.expectNext(new Payout.Refused("TRF-NEW-BAD-PHONE", "422", "INVALID_PHONE_NUMBER"))
			.verifyComplete();
		// no operator for the prefix: refused without a call
		cinetPay.resetRequests();
		StepVerifier.create(gateway.payout(payout("TRF-NEW-LANDLINE", "+2252721123456")))
			.assertNext(outcome -> assertThat(outcome).isInstanceOf(Payout.Refused.class))
			.verifyComplete();
		assertThat(cinetPay.getAllServeEvents()).isEmpty();
	}

	@Test
	void checkPayoutReadsTheTransfersStatus() {
		StepVerifier.create(gateway.checkPayout("TRF-NEW-PAID"))
			.expectNext(new PayoutCheck.PaidOut("TRF-NEW-PAID", "CP-TRF-NEW-PAID", "OM-TRF-NEW-PAID"))
			.verifyComplete();
		StepVerifier.create(gateway.checkPayout("TRF-NEW-REJ"))
			.expectNext(new PayoutCheck.Rejected("TRF-NEW-REJ", "FAILED", "receiver account closed"))
			.verifyComplete();
		StepVerifier.create(gateway.checkPayout("TRF-NEW-PENDING"))
			.expectNext(new PayoutCheck.InProgress("TRF-NEW-PENDING", "PENDING"))
			.verifyComplete();
		StepVerifier.create(gateway.checkPayout("TRF-NEW-NEVER-SENT"))
			.expectNext(new PayoutCheck.NotFound("TRF-NEW-NEVER-SENT"))
			.verifyComplete();
	}

	private static PayoutRequest payout(String payoutId, String phone) {
		return new PayoutRequest(payoutId, 4999, "XOF", phone, "Awa Koné", "Remboursement commande MER-20260101-0001");
	}

	// --- notifications

	@Test
	void aNotificationIsVerifiedByItsNotifyTokenAgainstTheStoredDigestOnly() {
		String stored = HexFormat.of().formatHex(Tokens.sha256(NOTIFY_TOKEN));
		ReceivedNotification right = notification(NOTIFY_TOKEN);

		assertThat(gateway.notifiedTransaction(right)).isEqualTo("TX-NEW-1");
		assertThat(verifies(right, Mono.just(stored))).isTrue();
		assertThat(verifies(notification("it-notify-token-0002"), Mono.just(stored))).isFalse();
		assertThat(verifies(notification(""), Mono.just(stored))).isFalse();
		assertThat(verifies(new ReceivedNotification(Map.of("merchant_transaction_id", "TX-NEW-1"), null),
				Mono.just(stored)))
			.isFalse();
		assertThat(verifies(right, Mono.empty())).as("no digest stored").isFalse();
		assertThat(verifies(right, Mono.just(""))).isFalse();
		// a digest is not a token
		assertThat(verifies(notification(stored), Mono.just(stored))).isFalse();
	}

	@Test
	void neverLogsTheCredentialsOrTokens() {
		List<Object> outcomes = new ArrayList<>();
		List<ILoggingEvent> captured;
		try (CapturedLogs logs = CapturedLogs.root()) {
			outcomes.add(gateway.initialise(request("TX-NEW-INIT-4", 5000)).block(Duration.ofSeconds(5)));
			outcomes.add(gateway.check("TX-NEW-DOWN").block(Duration.ofSeconds(5)));
			outcomes.add(gateway("sk_test_wrong").check("TX-NEW-SUCCESS").block(Duration.ofSeconds(5)));
			captured = logs.events();
		}
		List<String> ours = captured.stream()
			.filter(event -> event.getLoggerName().startsWith("ci.monepiceriz"))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
		assertThat(ours).anySatisfy(line -> assertThat(line).contains("refused our login"));
		assertThat(ours).allSatisfy(
				line -> assertThat(line).doesNotContain(API_KEY, API_PASSWORD, "it-access-token", NOTIFY_TOKEN));
		assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.toString()).doesNotContain(API_KEY, API_PASSWORD,
				"it-access-token", NOTIFY_TOKEN));
	}

	private boolean verifies(ReceivedNotification notification, Mono<String> stored) {
		return gateway.verifiesNotification(notification, stored).block(Duration.ofSeconds(1));
	}

	private static ReceivedNotification notification(String notifyToken) {
		return new ReceivedNotification(Map.of("merchant_transaction_id", "TX-NEW-1", "transaction_id", "CP-1",
				"notify_token", notifyToken, "status", "SUCCESS"), null);
	}

	private static LoggedRequest only(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
		List<LoggedRequest> requests = cinetPay.findAll(pattern);
		assertThat(requests).hasSize(1);
		return requests.get(0);
	}

}
