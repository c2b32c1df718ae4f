package ci.monepiceriz.payment;

import static ci.monepiceriz.payment.PaymentFixtures.newKey;
import static ci.monepiceriz.payment.PaymentFixtures.sendAsync;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.payment.PaymentFixtures.Answer;
import ci.monepiceriz.payment.PaymentFixtures.Placed;
import ci.monepiceriz.payment.domain.PaymentDescription;
import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starting a payment ({@code POST /api/orders/{number}/payments}) and the return page, on
 * the real database, with WireMock playing CinetPay ({@link CinetPayStub}).
 */
@IntegrationTest
class PaymentStartIT {

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	OrderingService ordering;

	@LocalServerPort
	int port;

	WebClient client;

	final WireMockServer cinetPay = CinetPayStub.server();

	StubMapping extraStub;

	PaymentFixtures fixtures;

	@BeforeEach
	void setUp() {
		ConnectionProvider connections = ConnectionProvider.builder("payment-tests")
			.maxConnections(100)
			.pendingAcquireMaxCount(-1)
			.build();
		client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
			.build();
		fixtures = new PaymentFixtures(db, json, client, cinetPay, "T-PAY-");
	}

	@AfterEach
	void removeExtraStub() {
		if (extraStub != null) {
			cinetPay.removeStub(extraStub);
		}
	}

	// --- starting

	@Test
	void startsAnAttemptChargingTheTotalRoundedDownAndRecordsTheDiscountOnTheOrder() {
		Placed order = fixtures.placeOrder(4999);
		String key = newKey();

		Answer started = start(order, key);

		assertThat(started.status()).isEqualTo(201);
		assertThat(started.headers().getCacheControl()).isEqualTo("no-store");
		JsonNode body = json.readTree(started.body());
		String transactionId = body.get("transactionId").asString();
		assertThat(transactionId).startsWith(order.number() + "-").matches("[A-Z0-9-]+");
		assertThat(body.get("paymentUrl").asString()).isEqualTo("http://localhost:8089/fake-checkout/tok-1234");
		assertThat(body.get("amount").asLong()).isEqualTo(4995);
		assertThat(body.get("roundingDiscount").asLong()).isEqualTo(4);
		assertThat(body.get("currency").asString()).isEqualTo("XOF");
		assertThat(
				fixtures.count("SELECT rounding_discount FROM customer_order WHERE number = :number", order.number()))
			.isEqualTo(4);
		assertThat(fixtures.count("""
				SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'OPEN' AND amount = 4995
				   AND rounding_discount = 4 AND currency = 'XOF' AND payment_token = 'tok-1234'
				""", order.number())).isEqualTo(1);

		JsonNode sent = json.readTree(onlyInitialisationOf(order.number()).getBodyAsString());
		assertThat(sent.get("transaction_id").asString()).isEqualTo(transactionId);
		assertThat(sent.get("amount").asLong()).isEqualTo(4995);
		assertThat(sent.get("metadata").asString()).isEqualTo(order.number());
		assertThat(sent.get("notify_url").asString()).endsWith("/api/webhooks/cinetpay");
		assertThat(sent.get("return_url").asString()).endsWith("/api/payments/return?transactionId=" + transactionId);
		assertThat(sent.get("description").asString()).isEqualTo("Commande " + order.number() + " MonEpice Riz");
		assertThat(sent.get("description").asString().chars())
			.noneMatch(c -> PaymentDescription.FORBIDDEN.indexOf(c) >= 0);
		assertThat(sent.get("customer_phone_number").asString()).isEqualTo("+2250707123456");

		Answer replayed = start(order, key);
		assertThat(replayed.status()).isEqualTo(201);
		assertThat(replayed.body()).isEqualTo(started.body());
		assertThat(replayed.headers().getFirst("Idempotent-Replayed")).isEqualTo("true");

		Answer again = start(order, newKey());
		assertThat(again.status()).isEqualTo(200);
		assertThat(json.readTree(again.body()).get("transactionId").asString()).isEqualTo(transactionId);
		assertThat(attempts(order.number())).isEqualTo(1);
		assertThat(initialisationsOf(order.number())).hasSize(1);
	}

	@Test
	void twentyConcurrentStartsOfOneOrderMakeOneAttempt() {
		Placed order = fixtures.placeOrder(12_000);

		List<Answer> answers = Flux.range(0, 20)
			.flatMap(i -> startAsync(order, newKey()), 20)
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(answers).extracting(Answer::status).containsOnly(201, 200, 409);
		assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(1);
		assertThat(attempts(order.number())).isEqualTo(1);
		assertThat(
				fixtures.count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'OPEN'",
						order.number()))
			.isEqualTo(1);
		assertThat(initialisationsOf(order.number())).hasSize(1);
		assertThat(answers).filteredOn(answer -> answer.status() == 409)
			.allSatisfy(answer -> assertThat(answer.body()).contains("payment-starting"));
	}

	@Test
	void aCancelledExpiredOrUnknownOrderIsRefusedAndNothingIsWritten() {
		Placed cancelled = fixtures.placeOrder(5000);
		ordering.transition(cancelled.number(), OrderStatus.CANCELLED, "staff:test", "test", java.util.Optional.empty())
			.block(Duration.ofSeconds(10));
		Answer notPayable = start(cancelled, newKey());
		assertThat(notPayable.status()).isEqualTo(409);
		assertThat(notPayable.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(json.readTree(notPayable.body()).get("code").asString()).isEqualTo("order-not-payable");
		assertThat(json.readTree(notPayable.body()).get("title").asString()).isEqualTo("Commande non payable");
		Answer english = fixtures.send(client.post()
			.uri("/api/orders/{number}/payments", cancelled.number())
			.header("Idempotency-Key", newKey())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + cancelled.accessToken())
			.header(HttpHeaders.ACCEPT_LANGUAGE, "en"));
		assertThat(json.readTree(english.body()).get("title").asString()).isEqualTo("Order not payable");

		Placed expired = fixtures.placeOrder(5000);
		db.sql("UPDATE customer_order SET payment_deadline = now() - interval '1 minute' WHERE number = :number")
			.bind("number", expired.number())
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		Answer late = start(expired, newKey());
		assertThat(late.status()).isEqualTo(409);
		assertThat(json.readTree(late.body()).get("code").asString()).isEqualTo("payment-window-closed");

		Answer wrongToken = start(new Placed(expired.number(), "W".repeat(43)), newKey());
		assertThat(wrongToken.status()).isEqualTo(404);
		Answer unknown = start(new Placed("MER-20000101-9999", expired.accessToken()), newKey());
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(json.readTree(unknown.body()).get("code").asString()).isEqualTo("order-not-found");

		for (Placed order : List.of(cancelled, expired)) {
			assertThat(attempts(order.number())).isZero();
			assertThat(fixtures.count(
					"SELECT count(*) FROM customer_order WHERE number = :number AND rounding_discount IS NULL",
					order.number()))
				.isEqualTo(1);
			assertThat(initialisationsOf(order.number())).isEmpty();
		}
	}

	@Test
	void aKeylessRequestIsA400() {
		Placed order = fixtures.placeOrder(5000);
		Answer keyless = fixtures.send(client.post()
			.uri("/api/orders/{number}/payments", order.number())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + order.accessToken()));
		assertThat(keyless.status()).isEqualTo(400);
		assertThat(attempts(order.number())).isZero();
	}

	@Test
	void whenTheProviderIsDownItIsA503AndALaterRetryStartsAFreshAttempt() {
		Placed order = fixtures.placeOrder(7001);
		extraStub = cinetPay.stubFor(post(urlPathEqualTo("/v2/payment")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.metadata", equalTo(order.number())))
			.willReturn(aResponse().withStatus(500).withBody("{\"message\":\"down\"}")));
		String key = newKey();

		Answer down = start(order, key);

		assertThat(down.status()).isEqualTo(503);
		assertThat(down.headers().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
		assertThat(json.readTree(down.body()).get("code").asString()).isEqualTo("payment-provider-unavailable");
		assertThat(fixtures.count(
				"SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'FAILED'",
				order.number()))
			.isEqualTo(1);

		cinetPay.removeStub(extraStub);
		extraStub = null;
		Answer retried = start(order, key);

		assertThat(retried.status()).isEqualTo(201);
		JsonNode body = json.readTree(retried.body());
		assertThat(body.get("amount").asLong()).isEqualTo(7000);
		assertThat(body.get("roundingDiscount").asLong()).isEqualTo(1);
		List<String> sentIds = initialisationsOf(order.number()).stream()
			.map(request -> json.readTree(request.getBodyAsString()).get("transaction_id").asString())
			.toList();
		assertThat(sentIds).hasSize(2).doesNotHaveDuplicates().endsWith(body.get("transactionId").asString());
		assertThat(
				fixtures.count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'OPEN'",
						order.number()))
			.isEqualTo(1);
	}

	@Test
	void aSlowProviderIsA503Too() {
		Placed order = fixtures.placeOrder(3000);
		extraStub = cinetPay.stubFor(post(urlPathEqualTo("/v2/payment")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.metadata", equalTo(order.number())))
			.willReturn(aResponse().withStatus(200).withFixedDelay(2500).withBody("{}")));

		Answer slow = start(order, newKey());

		assertThat(slow.status()).isEqualTo(503);
		assertThat(fixtures.count(
				"SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'FAILED'",
				order.number()))
			.isEqualTo(1);
	}

	@Test
	void aRefusalByTheProviderIsA502AndTheAttemptIsClosed() {
		Placed order = fixtures.placeOrder(4000);
		extraStub = cinetPay.stubFor(post(urlPathEqualTo("/v2/payment")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.metadata", equalTo(order.number())))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(
						"{\"code\":\"609\",\"message\":\"AUTH_NOT_FOUND\",\"description\":\"Le apikey est incorrect\"}")));

		Answer refused = fixtures.send(client.post()
			.uri("/api/orders/{number}/payments", order.number())
			.header("Idempotency-Key", newKey())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + order.accessToken())
			.header(HttpHeaders.ACCEPT_LANGUAGE, "en"));

		assertThat(refused.status()).isEqualTo(502);
		assertThat(json.readTree(refused.body()).get("code").asString()).isEqualTo("payment-provider-refused");
		assertThat(json.readTree(refused.body()).get("title").asString()).isEqualTo("Payment refused by the provider");
		assertThat(fixtures.count("""
				SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'FAILED'
				   AND failure_reason LIKE 'REFUSED: 609%'
				""", order.number())).isEqualTo(1);
	}

	@Test
	void anOrderBelowTheProvidersMinimumIsRefusedAndNothingIsWritten() {
		Placed order = fixtures.placeOrder(99);

		Answer small = start(order, newKey());

		assertThat(small.status()).isEqualTo(422);
		assertThat(json.readTree(small.body()).get("code").asString()).isEqualTo("amount-below-minimum");
		assertThat(json.readTree(small.body()).get("detail").asString()).contains("100 XOF").contains("99 XOF");
		assertThat(attempts(order.number())).isZero();
		assertThat(initialisationsOf(order.number())).isEmpty();
	}

	@Test
	void aKeyUsedForAnotherOrderIsRefused() {
		Placed first = fixtures.placeOrder(1000);
		Placed second = fixtures.placeOrder(1000);
		String key = newKey();
		assertThat(start(first, key).status()).isEqualTo(201);

		Answer reused = start(second, key);

		assertThat(reused.status()).isEqualTo(422);
		assertThat(json.readTree(reused.body()).get("code").asString()).isEqualTo("idempotency-key-reused");
		assertThat(attempts(second.number())).isZero();
	}

	// --- the return page

	@Test
	void theReturnPageShowsTheStoredStateAndChangesNothing() {
		Placed order = fixtures.placeOrder(2500);
		String transactionId = json.readTree(start(order, newKey()).body()).get("transactionId").asString();
		String before = snapshot(order.number());

		Answer shown = fixtures.send(client.get().uri("/api/payments/return?transactionId={id}", transactionId));

		assertThat(shown.status()).isEqualTo(200);
		JsonNode body = json.readTree(shown.body());
		assertThat(body.get("transactionId").asString()).isEqualTo(transactionId);
		assertThat(body.get("orderNumber").asString()).isEqualTo(order.number());
		assertThat(body.get("attemptStatus").asString()).isEqualTo("OPEN");
		assertThat(body.get("orderStatus").asString()).isEqualTo("PENDING");
		assertThat(body.get("paymentStatus").asString()).isEqualTo("UNPAID");
		assertThat(snapshot(order.number())).isEqualTo(before);

		Answer unknown = fixtures
			.send(client.get().uri("/api/payments/return?transactionId={id}", "MER-20000101-0001-NOPE"));
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(json.readTree(unknown.body()).get("code").asString()).isEqualTo("payment-not-found");
		Answer missing = fixtures.send(client.get().uri("/api/payments/return"));
		assertThat(missing.status()).isEqualTo(400);
		assertThat(snapshot(order.number())).isEqualTo(before);
	}

	@Test
	void theReturnPagePostedByCinetPayShowsTheStoredStateAndChangesNothingWhateverItClaims() {
		Placed order = fixtures.placeOrder(2500);
		String transactionId = json.readTree(start(order, newKey()).body()).get("transactionId").asString();
		String before = snapshot(order.number());

		List<Answer> shown = List.of(
				postedReturn("", "transaction_id", transactionId, "status", "ACCEPTED", "cpm_error_message", "SUCCES",
						"amount", "2500"),
				postedReturn("", "cpm_trans_id", transactionId, "cpm_result", "00", "cpm_amount", "2500"),
				// our return URL's query wins over what the form says
				postedReturn("?transactionId=" + transactionId, "transaction_id", "CP-THEIR-OWN-ID"),
				postedReturn("?transactionId=" + transactionId, "transactionId", "MER-20000101-0001-NOPE"),
				fixtures.send(client.get().uri("/api/payments/return?cpm_trans_id={id}", transactionId)), fixtures
					.send(client.get().uri("/api/payments/return?transaction_id={id}&status=ACCEPTED", transactionId)));

		assertThat(shown).allSatisfy(answer -> {
			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
			JsonNode body = json.readTree(answer.body());
			assertThat(body.get("transactionId").asString()).isEqualTo(transactionId);
			assertThat(body.get("attemptStatus").asString()).isEqualTo("OPEN");
			assertThat(body.get("orderStatus").asString()).isEqualTo("PENDING");
			assertThat(body.get("paymentStatus").asString()).isEqualTo("UNPAID");
		});
		assertThat(snapshot(order.number())).isEqualTo(before);
		assertThat(cinetPay.findAll(postRequestedFor(urlPathEqualTo("/v2/payment/check"))
			.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(transactionId))))).isEmpty();

		Answer unknown = postedReturn("", "transaction_id", "MER-20000101-0001-NOPE");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(json.readTree(unknown.body()).get("code").asString()).isEqualTo("payment-not-found");
		Answer nothing = postedReturn("", "status", "ACCEPTED");
		assertThat(nothing.status()).isEqualTo(400);
		assertThat(json.readTree(nothing.body()).get("code").asString()).isEqualTo("invalid-parameters");
		assertThat(snapshot(order.number())).isEqualTo(before);
	}

	@Test
	void theReturnPageFindsThePaymentByCinetPaysToken() {
		Placed order = fixtures.placeOrder(2500);
		String paymentToken = "tok-" + order.number().toLowerCase();
		StubMapping created = cinetPay.stubFor(post(urlPathEqualTo("/v2/payment")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.metadata", equalTo(order.number())))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
					{"code":"201","message":"CREATED","data":{"payment_token":"%s",
					 "payment_url":"http://localhost:8089/fake-checkout/%s"},"api_response_id":"1"}
					""".formatted(paymentToken, paymentToken))));
		String transactionId;
		try {
			transactionId = json.readTree(start(order, newKey()).body()).get("transactionId").asString();
		}
		finally {
			cinetPay.removeStub(created);
		}

		Answer got = fixtures.send(client.get().uri("/api/payments/return?token={token}", paymentToken));
		Answer posted = postedReturn("", "token", paymentToken);

		for (Answer answer : List.of(got, posted)) {
			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
			assertThat(json.readTree(answer.body()).get("transactionId").asString()).isEqualTo(transactionId);
		}
		Answer garbage = fixtures.send(client.get().uri("/api/payments/return?token={token}", "<script>"));
		assertThat(garbage.status()).isEqualTo(404);
		assertThat(garbage.body()).doesNotContain("<script>");
	}

	/** CinetPay's POST to the return URL, a form of name/value pairs. */
	private Answer postedReturn(String query, String... fields) {
		org.springframework.util.MultiValueMap<String, String> form = new org.springframework.util.LinkedMultiValueMap<>();
		for (int i = 0; i < fields.length; i += 2) {
			form.add(fields[i], fields[i + 1]);
		}
		return fixtures.send(client.post()
			.uri("/api/payments/return" + query)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(org.springframework.web.reactive.function.BodyInserters.fromFormData(form)));
	}

	// --- helpers

	private Answer start(Placed order, String key) {
		return startAsync(order, key).block(Duration.ofSeconds(30));
	}

	private Mono<Answer> startAsync(Placed order, String key) {
		return sendAsync(client.post()
			.uri("/api/orders/{number}/payments", order.number())
			.header("Idempotency-Key", key)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + order.accessToken()));
	}

	private long attempts(String number) {
		return fixtures.count("SELECT count(*) FROM payment_attempt WHERE order_number = :number", number);
	}

	/** The order's and its attempts' rows, as text. */
	private String snapshot(String number) {
		return db.sql("""
				SELECT o::text || coalesce((SELECT string_agg(a::text, '|' ORDER BY a.id) FROM payment_attempt a
				                             WHERE a.order_number = o.number), '') AS rows
				  FROM customer_order o WHERE o.number = :number
				""")
			.bind("number", number)
			.map(row -> row.get("rows", String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private List<LoggedRequest> initialisationsOf(String number) {
		return cinetPay.findAll(postRequestedFor(urlPathEqualTo("/v2/payment"))
			.withRequestBody(matchingJsonPath("$.metadata", equalTo(number))));
	}

	private LoggedRequest onlyInitialisationOf(String number) {
		List<LoggedRequest> sent = initialisationsOf(number);
		assertThat(sent).hasSize(1);
		return sent.get(0);
	}

}
