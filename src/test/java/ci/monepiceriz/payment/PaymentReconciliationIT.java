package ci.monepiceriz.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reconciliation job ({@link PaymentReconciliation#round()}, called directly: the
 * scheduled rounds are off in tests) on the real database, with WireMock playing
 * CinetPay's check call per attempt. Attempts are made old by moving their
 * {@code created_at} back, and due again by moving their {@code checked_at} back.
 */
@IntegrationTest
class PaymentReconciliationIT {

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	PaymentReconciliation reconciliation;

	@LocalServerPort
	int port;

	WebClient client;

	final WireMockServer cinetPay = CinetPayStub.server();

	final List<StubMapping> stubs = new ArrayList<>();

	@BeforeEach
	void setUp() {
		client = WebClient.builder().baseUrl("http://127.0.0.1:" + port).build();
	}

	@AfterEach
	void removeStubs() {
		stubs.forEach(cinetPay::removeStub);
		stubs.clear();
	}

	@Test
	void anOpenAttemptWhoseNotificationNeverCameIsSettledByARound() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), accepted(5000, "XOF"));
		age(paying, "10 minutes");

		round();

		assertPaidOnce(paying);
		assertThat(count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND checked_at IS NOT NULL",
				paying.number()))
			.isEqualTo(1);
	}

	@Test
	void whenTheCheckIsDownNothingChangesAndALaterRoundSettles() {
		Paying paying = payingOrder(5000);
		stubs.add(cinetPay.stubFor(post(urlPathEqualTo("/v2/payment/check")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(paying.transactionId())))
			.willReturn(aResponse().withStatus(500).withBody("{\"message\":\"down\"}"))));
		age(paying, "10 minutes");

		round();

		assertUnpaid(paying);
		assertThat(attemptStatus(paying)).isEqualTo("OPEN");

		removeStubs();
		checkSays(paying.transactionId(), accepted(5000, "XOF"));
		// checked within the interval: left alone until the interval has passed
		round();
		assertUnpaid(paying);
		checkedLongAgo(paying);
		round();

		assertPaidOnce(paying);
	}

	@Test
	void aPendingAttemptPastTheOrdersWindowIsExpiredAndItsOrderIsNotPaid() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), pending());
		// still pending, created long ago, but the order is still payable: left OPEN
		age(paying, "10 minutes");
		round();
		assertThat(attemptStatus(paying)).isEqualTo("OPEN");

		// past the order's window (30 min) and the grace (15 min)
		age(paying, "2 hours");
		checkedLongAgo(paying);
		update("UPDATE customer_order SET payment_deadline = now() - interval '90 minutes' WHERE number = :number",
				paying.number());
		round();

		assertThat(attemptStatus(paying)).isEqualTo("EXPIRED");
		assertUnpaid(paying);
	}

	@Test
	void aSucceededAttemptIsNeverExpired() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), accepted(5000, "XOF"));
		age(paying, "2 hours");
		update("UPDATE customer_order SET payment_deadline = now() + interval '1 minute' WHERE number = :number",
				paying.number());
		round();
		assertPaidOnce(paying);

		removeStubs();
		checkSays(paying.transactionId(), pending());
		update("UPDATE payment_attempt SET checked_at = NULL WHERE order_number = :number", paying.number());
		round();

		assertPaidOnce(paying);
	}

	@Test
	void twoRoundsRunningAtOnceSettleOnce() {
		List<Paying> orders = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Paying paying = payingOrder(5000);
			checkSays(paying.transactionId(), accepted(5000, "XOF"));
			age(paying, "10 minutes");
			orders.add(paying);
		}

		Mono.when(reconciliation.round(), reconciliation.round(), reconciliation.round()).block(Duration.ofSeconds(60));

		for (Paying paying : orders) {
			assertPaidOnce(paying);
		}
		assertThat(cinetPay.findAll(postRequestedFor(orders.get(0).transactionId())).size()).isEqualTo(1);
	}

	@Test
	void aRecentAttemptIsLeftAlone() {
		Paying paying = payingOrder(5000);
		checkSays(paying.transactionId(), accepted(5000, "XOF"));
		age(paying, "1 minute");

		round();

		assertUnpaid(paying);
		assertThat(attemptStatus(paying)).isEqualTo("OPEN");
		assertThat(count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND checked_at IS NULL",
				paying.number()))
			.isEqualTo(1);
	}

	// --- helpers

	record Paying(String number, String transactionId) {
	}

	private void round() {
		reconciliation.round().block(Duration.ofSeconds(60));
	}

	private void age(Paying paying, String interval) {
		update("UPDATE payment_attempt SET created_at = now() - interval '" + interval
				+ "' WHERE order_number = :number", paying.number());
	}

	private void checkedLongAgo(Paying paying) {
		update("UPDATE payment_attempt SET checked_at = now() - interval '1 day' WHERE order_number = :number",
				paying.number());
	}

	private void update(String sql, String number) {
		db.sql(sql).bind("number", number).fetch().rowsUpdated().block(Duration.ofSeconds(10));
	}

	private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder postRequestedFor(
			String transactionId) {
		return com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/v2/payment/check"))
			.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(transactionId)));
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

	/**
	 * An order of one new 5,000 XOF SKU with an OPEN attempt (started through the API).
	 */
	private Paying payingOrder(long price) {
		String sku = "T-RC-" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).toUpperCase();
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

	private static String newKey() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

}
