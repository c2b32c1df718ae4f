package ci.monepiceriz.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.payment.domain.XToken;
import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CinetPay webhook ({@code POST /api/webhooks/cinetpay}) and settlement, on the real
 * database, with WireMock playing CinetPay's check call: per-test stubs keyed by the
 * attempt's transaction id.
 */
@IntegrationTest
class WebhookSettlementIT {

	static final String SECRET = "it-secret-key";

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

	final List<StubMapping> stubs = new ArrayList<>();

	@BeforeEach
	void setUp() {
		ConnectionProvider connections = ConnectionProvider.builder("webhook-tests")
			.maxConnections(32)
			.pendingAcquireMaxCount(-1)
			.build();
		client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
			.build();
	}

	@AfterEach
	void removeStubs() {
		stubs.forEach(cinetPay::removeStub);
	}

	@Test
	void aSignedNotificationOfAnAcceptedPaymentConfirmsAndPaysTheOrderOnce() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), accepted(5000, "XOF"));

		assertThat(notify(paying, true)).isEqualTo(200);

		assertPaidOnce(paying);
		assertThat(count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'SUCCEEDED'"
				+ " AND settled_at IS NOT NULL", paying.number()))
			.isEqualTo(1);
		JsonNode settled = json.readTree(outboxPayload(paying.number(), "PaymentSettled"));
		JsonNode data = settled.has("data") ? settled.get("data") : settled;
		assertThat(data.toString()).contains(paying.transactionId()).contains("5000").contains("OM");
	}

	@Test
	void aForgedOrMissingTokenIsA401AndChangesNothing() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), accepted(5000, "XOF"));
		String before = snapshot(paying.number());

		Answer forged = send(webhook(form(paying.transactionId()), "0".repeat(64)));
		Answer missing = send(webhook(form(paying.transactionId()), null));
		// signed, then one signed field changed
		Map<String, String> tampered = form(paying.transactionId());
		String token = XToken.of(SECRET, tampered);
		tampered.put("cpm_amount", "5");
		Answer altered = send(webhook(tampered, token));

		for (Answer answer : List.of(forged, missing, altered)) {
			assertThat(answer.status()).isEqualTo(401);
			assertThat(answer.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(json.readTree(answer.body()).get("code").asString()).isEqualTo("webhook-signature-invalid");
		}
		assertThat(snapshot(paying.number())).isEqualTo(before);
		assertThat(outboxCount(paying.number(), "PaymentSettled")).isZero();
	}

	@Test
	void aBodySayingAcceptedIsNotBelievedWhenTheCheckSaysRefused() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), refused());

		assertThat(notify(paying, true)).isEqualTo(200);

		assertUnpaid(paying);
		assertThat(attemptStatus(paying)).isEqualTo("FAILED");
	}

	@Test
	void anAmountMismatchIsNotPaidAndFlagged() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), accepted(100, "XOF"));

		assertThat(notify(paying, true)).isEqualTo(200);

		assertUnpaid(paying);
		assertThat(count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'OPEN'"
				+ " AND mismatch LIKE 'ACCEPTED % 100 XOF, expected % 5000 XOF'", paying.number()))
			.isEqualTo(1);

		Paying otherCurrency = payingOrder(5000);
		checkSays(otherCurrency.transactionId(), accepted(5000, "XAF"));
		assertThat(notify(otherCurrency, true)).isEqualTo(200);
		assertUnpaid(otherCurrency);
		assertThat(count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND mismatch IS NOT NULL",
				otherCurrency.number()))
			.isEqualTo(1);
	}

	@Test
	void aPendingThenAFinalNotificationPaysOnce() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), pending());
		assertThat(notify(paying, false)).isEqualTo(200);
		assertUnpaid(paying);
		assertThat(attemptStatus(paying)).isEqualTo("OPEN");

		removeStubs();
		checkSays(paying.transactionId(), accepted(5000, "XOF"));
		assertThat(notify(paying, true)).isEqualTo(200);
		assertThat(notify(paying, true)).isEqualTo(200);

		assertPaidOnce(paying);
	}

	@Test
	void aLatePendingOrRefusedNotificationAfterSuccessLeavesItPaid() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), accepted(5000, "XOF"));
		assertThat(notify(paying, true)).isEqualTo(200);
		assertPaidOnce(paying);
		String paid = snapshot(paying.number());

		removeStubs();
		checkSays(paying.transactionId(), pending());
		assertThat(notify(paying, false)).isEqualTo(200);
		removeStubs();
		checkSays(paying.transactionId(), refused());
		assertThat(notify(paying, false)).isEqualTo(200);

		assertThat(snapshot(paying.number())).isEqualTo(paid);
		assertPaidOnce(paying);
	}

	@Test
	void aHundredReplaysFromSixteenClientsSettleOnce() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), accepted(5000, "XOF"));
		Map<String, String> form = form(paying.transactionId());
		String token = XToken.of(SECRET, form);

		List<Answer> answers = Flux.range(0, 100)
			.flatMap(i -> sendAsync(webhook(form, token)), 16)
			.collectList()
			.block(Duration.ofSeconds(120));

		assertThat(answers).extracting(Answer::status).containsOnly(200);
		assertPaidOnce(paying);
	}

	@Test
	void whenTheCheckIsDownTheWebhookAnswers503AndChangesNothing() {
		Paying paying = payingOrder(5000);
		stubs.add(cinetPay.stubFor(post(urlPathEqualTo("/v2/payment/check")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(paying.transactionId())))
			.willReturn(aResponse().withStatus(503).withBody("{\"message\":\"Service Unavailable\"}"))));
		String before = snapshot(paying.number());

		Answer answer = send(webhook(form(paying.transactionId()), XToken.of(SECRET, form(paying.transactionId()))));

		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
		assertThat(json.readTree(answer.body()).get("code").asString()).isEqualTo("webhook-check-unavailable");
		assertThat(snapshot(paying.number())).isEqualTo(before);
	}

	@Test
	void aPaymentAfterTheOrderExpiredIsFlaggedForRefund() {
		Paying paying = payingOrder(5000);
		db.sql("UPDATE customer_order SET payment_deadline = now() - interval '1 minute' WHERE number = :number")
			.bind("number", paying.number())
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		ordering.expireOverdue().block(Duration.ofSeconds(30));
		assertThat(count("SELECT count(*) FROM customer_order WHERE number = :number AND status = 'CANCELLED'",
				paying.number()))
			.isEqualTo(1);
		checkSays(paying.transactionId(), accepted(5000, "XOF"));

		assertThat(notify(paying, true)).isEqualTo(200);
		assertThat(notify(paying, true)).isEqualTo(200);

		assertThat(count("SELECT count(*) FROM customer_order WHERE number = :number AND status = 'CANCELLED'"
				+ " AND payment_status = 'UNPAID'", paying.number()))
			.isEqualTo(1);
		assertThat(attemptStatus(paying)).isEqualTo("SUCCEEDED");
		assertThat(count("SELECT count(*) FROM payment_refund WHERE order_number = :number AND status = 'REQUIRED'"
				+ " AND amount = 5000 AND reason = 'ORDER_CANCELLED'", paying.number()))
			.isEqualTo(1);
		assertThat(outboxCount(paying.number(), "PaymentRefundRequired")).isEqualTo(1);
		assertThat(outboxCount(paying.number(), "PaymentSettled")).isZero();
	}

	@Test
	void settlementAndTheExpiryJobRacingOnOverdueOrdersNeverBothWin() {
		List<Paying> orders = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Paying paying = payingOrder(5000);
			checkSays(paying.transactionId(), accepted(5000, "XOF"));
			db.sql("UPDATE customer_order SET payment_deadline = now() - interval '1 second' WHERE number = :number")
				.bind("number", paying.number())
				.fetch()
				.rowsUpdated()
				.block(Duration.ofSeconds(10));
			orders.add(paying);
		}

		Flux<Integer> webhooks = Flux.fromIterable(orders).flatMap(paying -> {
			Map<String, String> form = form(paying.transactionId());
			return sendAsync(webhook(form, XToken.of(SECRET, form))).map(Answer::status);
		}, 16);
		Flux<Integer> expiries = Flux.range(0, 4).flatMap(i -> ordering.expireOverdue().thenReturn(200), 4);
		assertThat(Flux.merge(webhooks, expiries).collectList().block(Duration.ofSeconds(120))).containsOnly(200);

		for (Paying paying : orders) {
			long paid = count("SELECT count(*) FROM customer_order WHERE number = :number AND status = 'CONFIRMED'"
					+ " AND payment_status = 'PAID'", paying.number());
			long cancelled = count("SELECT count(*) FROM customer_order WHERE number = :number"
					+ " AND status = 'CANCELLED' AND payment_status = 'UNPAID'", paying.number());
			long refunds = count("SELECT count(*) FROM payment_refund WHERE order_number = :number", paying.number());
			assertThat(paid + cancelled).as(paying.number()).isEqualTo(1);
			assertThat(refunds).as(paying.number()).isEqualTo(cancelled);
			assertThat(outboxCount(paying.number(), "PaymentSettled")).isEqualTo(paid);
			assertThat(outboxCount(paying.number(), "PaymentRefundRequired")).isEqualTo(cancelled);
			assertThat(outboxCount(paying.number(), "OrderStatusChanged")).isEqualTo(1);
			assertThat(attemptStatus(paying)).isEqualTo("SUCCEEDED");
		}
	}

	@Test
	void anUnknownTransactionIsAnsweredOkAndAPingToo() {
		Map<String, String> form = form("MER-20000101-0001-NOPE");
		assertThat(send(webhook(form, XToken.of(SECRET, form))).status()).isEqualTo(200);
		assertThat(send(client.get().uri("/api/webhooks/cinetpay")).status()).isEqualTo(200);
	}

	// --- helpers

	record Paying(String number, String transactionId) {
	}

	record Answer(int status, HttpHeaders headers, String body) {
	}

	private void assertPaidOnce(Paying paying) {
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

	private void assertUnpaid(Paying paying) {
		assertThat(count("SELECT count(*) FROM customer_order WHERE number = :number AND status = 'PENDING'"
				+ " AND payment_status = 'UNPAID' AND amount_paid = 0", paying.number()))
			.isEqualTo(1);
		assertThat(outboxCount(paying.number(), "PaymentSettled")).isZero();
		assertThat(outboxCount(paying.number(), "OrderStatusChanged")).isZero();
	}

	private String attemptStatus(Paying paying) {
		return db.sql("SELECT status FROM payment_attempt WHERE transaction_id = :id")
			.bind("id", paying.transactionId())
			.map(row -> row.get("status", String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private long outboxCount(String number, String type) {
		return db.sql("SELECT count(*) FROM outbox WHERE key = :number AND type = :type")
			.bind("number", number)
			.bind("type", type)
			.map(row -> ((Number) row.get(0)).longValue())
			.one()
			.block(Duration.ofSeconds(10));
	}

	private String outboxPayload(String number, String type) {
		return db.sql("SELECT convert_from(payload, 'UTF8') AS p FROM outbox WHERE key = :number AND type = :type")
			.bind("number", number)
			.bind("type", type)
			.map(row -> row.get("p", String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	/**
	 * A signed notification whose body claims ACCEPTED (or not): it is never believed.
	 */
	private int notify(Paying paying, boolean claimsAccepted) {
		Map<String, String> form = form(paying.transactionId());
		form.put("cpm_error_message", claimsAccepted ? "SUCCES" : "WAITING_CUSTOMER_TO_VALIDATE");
		return send(webhook(form, XToken.of(SECRET, form))).status();
	}

	private static Map<String, String> form(String transactionId) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("cpm_site_id", CinetPayStub.SITE_ID);
		form.put("cpm_trans_id", transactionId);
		form.put("cpm_trans_date", "2026-01-01 10:00:00");
		form.put("cpm_amount", "5000");
		form.put("cpm_currency", "XOF");
		form.put("signature", "sig-" + transactionId);
		form.put("payment_method", "OM");
		form.put("cel_phone_num", "0707123456");
		form.put("cpm_phone_prefixe", "225");
		form.put("cpm_language", "fr");
		form.put("cpm_version", "V4");
		form.put("cpm_payment_config", "Single");
		form.put("cpm_page_action", "Payment");
		form.put("cpm_custom", "");
		form.put("cpm_designation", "Commande MonEpice Riz");
		form.put("cpm_error_message", "SUCCES");
		return form;
	}

	private WebClient.RequestHeadersSpec<?> webhook(Map<String, String> form, String token) {
		MultiValueMap<String, String> body = new LinkedMultiValueMap<>();
		form.forEach(body::add);
		WebClient.RequestBodySpec request = client.post()
			.uri("/api/webhooks/cinetpay")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED);
		if (token != null) {
			request = request.header("x-token", token);
		}
		return request.body(BodyInserters.fromFormData(body));
	}

	private void checkSays(String transactionId, String body) {
		stubs.add(cinetPay.stubFor(post(urlPathEqualTo("/v2/payment/check")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(transactionId)))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body))));
	}

	private static String accepted(long amount, String currency) {
		return """
				{"code":"00","message":"SUCCES","data":{"amount":"%d","currency":"%s","status":"ACCEPTED",
				 "payment_method":"OM","description":"Commande","metadata":"M","operator_id":"MP1",
				 "payment_date":"2026-01-01 10:00:00","fund_availability_date":"2026-01-03 00:00:00"},
				 "api_response_id":"1"}
				""".formatted(amount, currency);
	}

	private static String refused() {
		return """
				{"code":"627","message":"TRANSACTION_CANCEL","data":{"amount":"5000","currency":"XOF","status":"REFUSED",
				 "payment_method":"MOMO","description":"Commande","metadata":"M","operator_id":null,
				 "payment_date":" ","fund_availability_date":" "},"api_response_id":"2"}
				""";
	}

	private static String pending() {
		return """
				{"code":"623","message":"WAITING_CUSTOMER_TO_VALIDATE","data":{"amount":"5000","currency":"XOF",
				 "status":null,"payment_method":"OM","description":"Commande","metadata":"M","operator_id":null,
				 "payment_date":" ","fund_availability_date":" "},"api_response_id":"3"}
				""";
	}

	private Answer send(WebClient.RequestHeadersSpec<?> request) {
		return sendAsync(request).block(Duration.ofSeconds(30));
	}

	private static Mono<Answer> sendAsync(WebClient.RequestHeadersSpec<?> request) {
		return request.exchangeToMono(response -> response.bodyToMono(String.class)
			.defaultIfEmpty("")
			.map(text -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), text)));
	}

	/**
	 * An order of one new 5,000 XOF SKU with an OPEN attempt (started through the API).
	 */
	private Paying payingOrder(long price) {
		String sku = "T-WH-" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).toUpperCase();
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
		String number = placed.get("number").asString();
		JsonNode started = json.readTree(client.post()
			.uri("/api/orders/{number}/payments", number)
			.header("Idempotency-Key", newKey())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + placed.get("accessToken").asString())
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10)));
		return new Paying(number, started.get("transactionId").asString());
	}

	private long count(String sql, String number) {
		return db.sql(sql)
			.bind("number", number)
			.map(row -> ((Number) row.get(0)).longValue())
			.one()
			.block(Duration.ofSeconds(10));
	}

	/** The order's, its attempts' and its refunds' rows and its outbox rows' types. */
	private String snapshot(String number) {
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

	private static String newKey() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

}
