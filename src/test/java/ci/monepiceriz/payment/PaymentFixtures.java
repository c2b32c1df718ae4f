package ci.monepiceriz.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the payment integration tests share: orders placed (and payments started) through
 * the API, row counts, CinetPay check answers and per-test WireMock stubs.
 */
final class PaymentFixtures {

	record Placed(String number, String accessToken) {
	}

	record Paying(String number, String transactionId) {
	}

	record Answer(int status, HttpHeaders headers, String body) {
	}

	private final DatabaseClient db;

	private final JsonMapper json;

	private final WebClient client;

	private final WireMockServer cinetPay;

	private final String skuPrefix;

	private final List<StubMapping> stubs = new ArrayList<>();

	PaymentFixtures(DatabaseClient db, JsonMapper json, WebClient client, WireMockServer cinetPay, String skuPrefix) {
		this.db = db;
		this.json = json;
		this.client = client;
		this.cinetPay = cinetPay;
		this.skuPrefix = skuPrefix;
	}

	// --- orders and payments through the API

	/** A pickup order of one new UNIT SKU at this price, for Awa Koné. */
	Placed placeOrder(long price) {
		return placeOrder(price, "07 07 12 34 56");
	}

	/** A pickup order of one new UNIT SKU at this price, for Awa Koné at this phone. */
	Placed placeOrder(long price, String phone) {
		String sku = skuPrefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).toUpperCase();
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
					Map.of("name", "Awa Koné", "phone", phone, "email", "awa@example.ci")))
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10)));
		return new Placed(placed.get("number").asString(), placed.get("accessToken").asString());
	}

	/**
	 * An order of one new SKU at this price with an OPEN attempt (started through the
	 * API).
	 */
	Paying payingOrder(long price) {
		return payingOrder(price, "07 07 12 34 56");
	}

	/** As {@link #payingOrder(long)}, the customer's phone this one. */
	Paying payingOrder(long price, String phone) {
		Placed placed = placeOrder(price, phone);
		JsonNode started = json.readTree(client.post()
			.uri("/api/orders/{number}/payments", placed.number())
			.header("Idempotency-Key", newKey())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + placed.accessToken())
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10)));
		return new Paying(placed.number(), started.get("transactionId").asString());
	}

	Answer send(WebClient.RequestHeadersSpec<?> request) {
		return sendAsync(request).block(Duration.ofSeconds(30));
	}

	static Mono<Answer> sendAsync(WebClient.RequestHeadersSpec<?> request) {
		return request.exchangeToMono(response -> response.bodyToMono(String.class)
			.defaultIfEmpty("")
			.map(text -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), text)));
	}

	static String newKey() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

	// --- rows

	long count(String sql, String number) {
		return db.sql(sql)
			.bind("number", number)
			.map(row -> ((Number) row.get(0)).longValue())
			.one()
			.block(Duration.ofSeconds(10));
	}

	void update(String sql, String number) {
		db.sql(sql).bind("number", number).fetch().rowsUpdated().block(Duration.ofSeconds(10));
	}

	String attemptStatus(Paying paying) {
		return db.sql("SELECT status FROM payment_attempt WHERE transaction_id = :id")
			.bind("id", paying.transactionId())
			.map(row -> row.get("status", String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	long outboxCount(String number, String type) {
		return db.sql("SELECT count(*) FROM outbox WHERE key = :number AND type = :type")
			.bind("number", number)
			.bind("type", type)
			.map(row -> ((Number) row.get(0)).longValue())
			.one()
			.block(Duration.ofSeconds(10));
	}

	void assertPaidOnce(Paying paying) {
		assertThat(count("SELECT count(*) FROM customer_order WHERE number = :number AND status = 'CONFIRMED'"
				+ " AND payment_status = 'PAID' AND amount_paid = 5000", paying.number()))
			.isEqualTo(1);
		assertThat(count("""
				SELECT count(*) FROM order_transition t JOIN customer_order o ON o.id = t.order_id
				 WHERE o.number = :number AND t.to_status = 'CONFIRMED' AND t.actor = 'system:cinetpay'
				""", paying.number())).isEqualTo(1);
		assertThat(count("""
				SELECT count(*) FROM order_transition t JOIN customer_order o ON o.id = t.order_id
				 WHERE o.number = :number AND t.from_status = 'PENDING'
				""", paying.number())).isEqualTo(1);
		assertThat(outboxCount(paying.number(), "PaymentSettled")).isEqualTo(1);
		assertThat(outboxCount(paying.number(), "OrderStatusChanged")).isEqualTo(1);
		assertThat(attemptStatus(paying)).isEqualTo("SUCCEEDED");
	}

	void assertUnpaid(Paying paying) {
		assertThat(count("SELECT count(*) FROM customer_order WHERE number = :number AND status = 'PENDING'"
				+ " AND payment_status = 'UNPAID' AND amount_paid = 0", paying.number()))
			.isEqualTo(1);
		assertThat(outboxCount(paying.number(), "PaymentSettled")).isZero();
		assertThat(outboxCount(paying.number(), "OrderStatusChanged")).isZero();
	}

	// --- CinetPay's check call, stubbed per transaction until removeStubs()

	/** CinetPay's check of this transaction answers 200 with this JSON body. */
	void checkSays(String transactionId, String body) {
		checkAnswers(transactionId,
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body));
	}

	/** CinetPay's check of this transaction answers 200 with this JSON body, slowly. */
	void checkSaysAfter(String transactionId, String body, int delayMillis) {
		checkAnswers(transactionId,
				aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody(body)
					.withFixedDelay(delayMillis));
	}

	/**
	 * CinetPay's check of this transaction answers {@code first} after
	 * {@code delayMillis}, then {@code then} at once to every later check.
	 */
	void checkSaysFirstSlowlyThen(String transactionId, String first, int delayMillis, String then) {
		String scenario = "check-" + transactionId;
		for (String state : List.of(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED, "answered")) {
			boolean firstCall = !"answered".equals(state);
			stubs.add(cinetPay.stubFor(post(urlPathEqualTo("/v2/payment/check")).atPriority(1)
				.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(transactionId)))
				.inScenario(scenario)
				.whenScenarioStateIs(state)
				.willSetStateTo("answered")
				.willReturn(aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody(firstCall ? first : then)
					.withFixedDelay(firstCall ? delayMillis : 0))));
		}
	}

	/** CinetPay's check of this transaction fails with this status and body. */
	void checkFails(String transactionId, int status, String body) {
		checkAnswers(transactionId, aResponse().withStatus(status).withBody(body));
	}

	private void checkAnswers(String transactionId,
			com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
		stubs.add(cinetPay.stubFor(post(urlPathEqualTo("/v2/payment/check")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(transactionId)))
			.willReturn(response)));
	}

	// --- the new API's calls, stubbed per transaction (or order) until removeStubs()

	/** The new API's status of this transaction answers 200 with this JSON body. */
	void statusSays(String transactionId, String body) {
		stubs.add(cinetPay.stubFor(get(urlPathEqualTo("/v1/payment/" + transactionId)).atPriority(1)
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body))));
	}

	/**
	 * The new API creates the payments of this order with this notify_token (the order
	 * number is in the designation sent).
	 */
	void createdWithNotifyToken(String orderNumber, String notifyToken) {
		stubs.add(cinetPay.stubFor(post(urlPathEqualTo("/v1/payment")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.designation", containing(orderNumber)))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
					{"code":200,"status":"OK","data":{"payment_token":"tok-%1$s",
					 "payment_url":"http://localhost:8089/fake-checkout/%1$s","transaction_id":"CP-%1$s",
					 "notify_token":"%2$s"}}
					""".formatted(orderNumber, notifyToken)))));
	}

	/** A new-API status answer for this transaction. */
	static String newApiStatus(String transactionId, String status, long amount, String currency) {
		return """
				{"code":200,"status":"OK","data":{"merchant_transaction_id":"%s","transaction_id":"CP-1",
				 "status":"%s","amount":%d,"currency":"%s","payment_method":"OM_CI",
				 "payment_date":"2026-01-01T10:00:00Z"}}
				""".formatted(transactionId, status, amount, currency);
	}

	/** The order's, its attempts' and its refunds' rows and its outbox rows' types. */
	String snapshot(String number) {
		return db.sql("""
				SELECT o::text
				       || coalesce((SELECT string_agg(a::text, '|' ORDER BY a.id) FROM payment_attempt a
				                    WHERE a.order_number = o.number), '')
				       || coalesce((SELECT string_agg(r::text, '|' ORDER BY r.id) FROM payment_refund r
				                    WHERE r.order_number = o.number), '')
				       || coalesce((SELECT string_agg(x.type, '|' ORDER BY x.id) FROM outbox x
				                    WHERE x.key = o.number), '')
				       || (SELECT count(*) FROM order_transition t WHERE t.order_id = o.id)::text AS rows
				  FROM customer_order o WHERE o.number = :number
				""")
			.bind("number", number)
			.map(row -> row.get("rows", String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	void removeStubs() {
		stubs.forEach(cinetPay::removeStub);
		stubs.clear();
	}

	static String accepted(long amount, String currency) {
		return """
				{"code":"00","message":"SUCCES","data":{"amount":"%d","currency":"%s","status":"ACCEPTED",
				 "payment_method":"OM","description":"Commande","metadata":"M","operator_id":"MP1",
				 "payment_date":"2026-01-01 10:00:00","fund_availability_date":"2026-01-03 00:00:00"},
				 "api_response_id":"1"}
				""".formatted(amount, currency);
	}

	static String refused() {
		return """
				{"code":"627","message":"TRANSACTION_CANCEL","data":{"amount":"5000","currency":"XOF","status":"REFUSED",
				 "payment_method":"MOMO","description":"Commande","metadata":"M","operator_id":null,
				 "payment_date":" ","fund_availability_date":" "},"api_response_id":"2"}
				""";
	}

	static String pending() {
		return """
				{"code":"623","message":"WAITING_CUSTOMER_TO_VALIDATE","data":{"amount":"5000","currency":"XOF",
				 "status":null,"payment_method":"OM","description":"Commande","metadata":"M","operator_id":null,
				 "payment_date":" ","fund_availability_date":" "},"api_response_id":"3"}
				""";
	}

}
