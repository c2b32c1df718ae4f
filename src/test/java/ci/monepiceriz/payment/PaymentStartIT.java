package ci.monepiceriz.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

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
		Placed order = placeOrder(4999);
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
		assertThat(count("SELECT rounding_discount FROM customer_order WHERE number = :number", order.number()))
			.isEqualTo(4);
		assertThat(count("""
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
		Placed order = placeOrder(12_000);

		List<Answer> answers = Flux.range(0, 20)
			.flatMap(i -> startAsync(order, newKey()), 20)
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(answers).extracting(Answer::status).containsOnly(201, 200, 409);
		assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(1);
		assertThat(attempts(order.number())).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'OPEN'",
				order.number()))
			.isEqualTo(1);
		assertThat(initialisationsOf(order.number())).hasSize(1);
		assertThat(answers).filteredOn(answer -> answer.status() == 409)
			.allSatisfy(answer -> assertThat(answer.body()).contains("payment-starting"));
	}

	@Test
	void aCancelledExpiredOrUnknownOrderIsRefusedAndNothingIsWritten() {
		Placed cancelled = placeOrder(5000);
		ordering.transition(cancelled.number(), OrderStatus.CANCELLED, "staff:test", "test", java.util.Optional.empty())
			.block(Duration.ofSeconds(10));
		Answer notPayable = start(cancelled, newKey());
		assertThat(notPayable.status()).isEqualTo(409);
		assertThat(notPayable.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(json.readTree(notPayable.body()).get("code").asString()).isEqualTo("order-not-payable");
		assertThat(json.readTree(notPayable.body()).get("title").asString()).isEqualTo("Commande non payable");
		Answer english = send(client.post()
			.uri("/api/orders/{number}/payments", cancelled.number())
			.header("Idempotency-Key", newKey())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + cancelled.accessToken())
			.header(HttpHeaders.ACCEPT_LANGUAGE, "en"));
		assertThat(json.readTree(english.body()).get("title").asString()).isEqualTo("Order not payable");

		Placed expired = placeOrder(5000);
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
			assertThat(count("SELECT count(*) FROM customer_order WHERE number = :number AND rounding_discount IS NULL",
					order.number()))
				.isEqualTo(1);
			assertThat(initialisationsOf(order.number())).isEmpty();
		}
	}

	@Test
	void aKeylessRequestIsA400() {
		Placed order = placeOrder(5000);
		Answer keyless = send(client.post()
			.uri("/api/orders/{number}/payments", order.number())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + order.accessToken()));
		assertThat(keyless.status()).isEqualTo(400);
		assertThat(attempts(order.number())).isZero();
	}

	@Test
	void whenTheProviderIsDownItIsA503AndALaterRetryStartsAFreshAttempt() {
		Placed order = placeOrder(7001);
		extraStub = cinetPay.stubFor(post(urlPathEqualTo("/v2/payment")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.metadata", equalTo(order.number())))
			.willReturn(aResponse().withStatus(500).withBody("{\"message\":\"down\"}")));
		String key = newKey();

		Answer down = start(order, key);

		assertThat(down.status()).isEqualTo(503);
		assertThat(down.headers().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
		assertThat(json.readTree(down.body()).get("code").asString()).isEqualTo("payment-provider-unavailable");
		assertThat(count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'FAILED'",
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
		assertThat(count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'OPEN'",
				order.number()))
			.isEqualTo(1);
	}

	@Test
	void aSlowProviderIsA503Too() {
		Placed order = placeOrder(3000);
		extraStub = cinetPay.stubFor(post(urlPathEqualTo("/v2/payment")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.metadata", equalTo(order.number())))
			.willReturn(aResponse().withStatus(200).withFixedDelay(2500).withBody("{}")));

		Answer slow = start(order, newKey());

		assertThat(slow.status()).isEqualTo(503);
		assertThat(count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'FAILED'",
				order.number()))
			.isEqualTo(1);
	}

	@Test
	void aRefusalByTheProviderIsA502AndTheAttemptIsClosed() {
		Placed order = placeOrder(4000);
		extraStub = cinetPay.stubFor(post(urlPathEqualTo("/v2/payment")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.metadata", equalTo(order.number())))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(
						"{\"code\":\"609\",\"message\":\"AUTH_NOT_FOUND\",\"description\":\"Le apikey est incorrect\"}")));

		Answer refused = send(client.post()
			.uri("/api/orders/{number}/payments", order.number())
			.header("Idempotency-Key", newKey())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + order.accessToken())
			.header(HttpHeaders.ACCEPT_LANGUAGE, "en"));

		assertThat(refused.status()).isEqualTo(502);
		assertThat(json.readTree(refused.body()).get("code").asString()).isEqualTo("payment-provider-refused");
		assertThat(json.readTree(refused.body()).get("title").asString()).isEqualTo("Payment refused by the provider");
		assertThat(count("""
				SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'FAILED'
				   AND failure_reason LIKE 'REFUSED: 609%'
				""", order.number())).isEqualTo(1);
	}

	@Test
	void anOrderBelowTheProvidersMinimumIsRefusedAndNothingIsWritten() {
		Placed order = placeOrder(99);

		Answer small = start(order, newKey());

		assertThat(small.status()).isEqualTo(422);
		assertThat(json.readTree(small.body()).get("code").asString()).isEqualTo("amount-below-minimum");
		assertThat(json.readTree(small.body()).get("detail").asString()).contains("100 XOF").contains("99 XOF");
		assertThat(attempts(order.number())).isZero();
		assertThat(initialisationsOf(order.number())).isEmpty();
	}

	@Test
	void aKeyUsedForAnotherOrderIsRefused() {
		Placed first = placeOrder(1000);
		Placed second = placeOrder(1000);
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
		Placed order = placeOrder(2500);
		String transactionId = json.readTree(start(order, newKey()).body()).get("transactionId").asString();
		String before = snapshot(order.number());

		Answer shown = send(client.get().uri("/api/payments/return?transactionId={id}", transactionId));

		assertThat(shown.status()).isEqualTo(200);
		JsonNode body = json.readTree(shown.body());
		assertThat(body.get("transactionId").asString()).isEqualTo(transactionId);
		assertThat(body.get("orderNumber").asString()).isEqualTo(order.number());
		assertThat(body.get("attemptStatus").asString()).isEqualTo("OPEN");
		assertThat(body.get("orderStatus").asString()).isEqualTo("PENDING");
		assertThat(body.get("paymentStatus").asString()).isEqualTo("UNPAID");
		assertThat(snapshot(order.number())).isEqualTo(before);

		Answer unknown = send(client.get().uri("/api/payments/return?transactionId={id}", "MER-20000101-0001-NOPE"));
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(json.readTree(unknown.body()).get("code").asString()).isEqualTo("payment-not-found");
		Answer missing = send(client.get().uri("/api/payments/return"));
		assertThat(missing.status()).isEqualTo(400);
		assertThat(snapshot(order.number())).isEqualTo(before);
	}

	// --- helpers

	record Placed(String number, String accessToken) {
	}

	record Answer(int status, HttpHeaders headers, String body) {
	}

	private Answer start(Placed order, String key) {
		return startAsync(order, key).block(Duration.ofSeconds(30));
	}

	private Mono<Answer> startAsync(Placed order, String key) {
		return sendAsync(client.post()
			.uri("/api/orders/{number}/payments", order.number())
			.header("Idempotency-Key", key)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + order.accessToken()));
	}

	private Answer send(WebClient.RequestHeadersSpec<?> request) {
		return sendAsync(request).block(Duration.ofSeconds(30));
	}

	private static Mono<Answer> sendAsync(WebClient.RequestHeadersSpec<?> request) {
		return request.exchangeToMono(response -> response.bodyToMono(String.class)
			.defaultIfEmpty("")
			.map(text -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), text)));
	}

	/** A pickup order of one new UNIT SKU at this price, for Awa Koné. */
	private Placed placeOrder(long price) {
		String sku = "T-PAY-" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).toUpperCase();
		db.sql("""
				WITH p AS (
				    INSERT INTO product (slug, name, category_id, sale_type)
				    VALUES (lower(:code), 'Produit de test ' || :code, (SELECT min(id) FROM category), 'UNIT')
				    RETURNING id
				)
				INSERT INTO sku (product_id, sale_type, code, label, unit_price, stock)
				SELECT p.id, 'UNIT', :code, 'Pièce', :price, 100 FROM p
				""").bind("code", sku).bind("price", price).fetch().rowsUpdated().block(Duration.ofSeconds(10));
		String cart = client.post()
			.uri("/api/carts")
			.retrieve()
			.toEntity(Map.class)
			.map(created -> created.getHeaders().getLocation().getPath().substring("/api/carts/".length()))
			.block(Duration.ofSeconds(10));
		client.put()
			.uri("/api/carts/{token}/lines/{sku}", cart, sku)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("quantity", 1))
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofSeconds(10));
		JsonNode placed = json.readTree(client.post()
			.uri("/api/orders")
			.header("Idempotency-Key", newKey())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("cartToken", cart, "fulfilment", Map.of("type", "PICKUP"), "customer",
					Map.of("name", "Awa Koné", "phone", "07 07 12 34 56", "email", "awa@example.ci")))
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10)));
		return new Placed(placed.get("number").asString(), placed.get("accessToken").asString());
	}

	private long attempts(String number) {
		return count("SELECT count(*) FROM payment_attempt WHERE order_number = :number", number);
	}

	private long count(String sql, String number) {
		return db.sql(sql)
			.bind("number", number)
			.map(row -> ((Number) row.get(0)).longValue())
			.one()
			.block(Duration.ofSeconds(10));
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

	private static String newKey() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

}
