package ci.monepiceriz.payment;

import static ci.monepiceriz.payment.PaymentFixtures.accepted;
import static ci.monepiceriz.payment.PaymentFixtures.pending;
import static ci.monepiceriz.payment.PaymentFixtures.refused;
import static ci.monepiceriz.payment.PaymentFixtures.sendAsync;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

import ci.monepiceriz.support.CapturedLogs;
import ci.monepiceriz.notification.NoticeDispatcher;
import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.payment.PaymentFixtures.Answer;
import ci.monepiceriz.payment.PaymentFixtures.Paying;
import ci.monepiceriz.payment.domain.XToken;
import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
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

	@Autowired
	NoticeDispatcher notices;

	@LocalServerPort
	int port;

	WebClient client;

	final WireMockServer cinetPay = CinetPayStub.server();

	PaymentFixtures fixtures;

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
		fixtures = new PaymentFixtures(db, json, client, cinetPay, "T-WH-");
	}

	@AfterEach
	void removeStubs() {
		fixtures.removeStubs();
	}

	@Test
	void aSignedNotificationOfAnAcceptedPaymentConfirmsAndPaysTheOrderOnce() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));

		assertThat(notify(paying, true)).isEqualTo(200);

		fixtures.assertPaidOnce(paying);
		assertThat(fixtures
			.count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'SUCCEEDED'"
					+ " AND settled_at IS NOT NULL", paying.number()))
			.isEqualTo(1);
		JsonNode settled = json.readTree(outboxPayload(paying.number(), "PaymentSettled"));
		JsonNode data = settled.has("data") ? settled.get("data") : settled;
		assertThat(data.toString()).contains(paying.transactionId()).contains("5000").contains("OM");
	}

	@Test
	void aForgedOrMissingTokenIsA401AndChangesNothing() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		String before = snapshot(paying.number());
		Answer forged;
		Answer missing;
		Answer altered;
		String token;
		List<ch.qos.logback.classic.spi.ILoggingEvent> events;
		try (CapturedLogs security = CapturedLogs.of("security")) {
			forged = fixtures.send(webhook(form(paying.transactionId()), "0".repeat(64)));
			missing = fixtures.send(webhook(form(paying.transactionId()), null));
			// signed, then one signed field changed
			Map<String, String> tampered = form(paying.transactionId());
			token = XToken.of(SECRET, tampered);
			tampered.put("cpm_amount", "5");
			altered = fixtures.send(webhook(tampered, token));
			events = security.events();
		}

		// each logged as a security event naming the transaction, never the token or the
		// key
		assertThat(events).hasSize(3).allSatisfy(event -> {
			assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
			assertThat(event.getFormattedMessage()).contains(paying.transactionId())
				.doesNotContain("0".repeat(64), token, SECRET);
		});

		for (Answer answer : List.of(forged, missing, altered)) {
			assertThat(answer.status()).isEqualTo(401);
			assertThat(answer.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(json.readTree(answer.body()).get("code").asString()).isEqualTo("webhook-signature-invalid");
		}
		assertThat(snapshot(paying.number())).isEqualTo(before);
		assertThat(fixtures.outboxCount(paying.number(), "PaymentSettled")).isZero();
	}

	@Test
	void aBodySayingAcceptedIsNotBelievedWhenTheCheckSaysRefused() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), refused());

		assertThat(notify(paying, true)).isEqualTo(200);

		fixtures.assertUnpaid(paying);
		assertThat(fixtures.attemptStatus(paying)).isEqualTo("FAILED");
	}

	@Test
	void anAmountMismatchIsNotPaidAndFlagged() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(100, "XOF"));

		assertThat(notify(paying, true)).isEqualTo(200);

		fixtures.assertUnpaid(paying);
		assertThat(
				fixtures.count("SELECT count(*) FROM payment_attempt WHERE order_number = :number AND status = 'OPEN'"
						+ " AND mismatch LIKE 'ACCEPTED % 100 XOF, expected % 5000 XOF'", paying.number()))
			.isEqualTo(1);

		Paying otherCurrency = fixtures.payingOrder(5000);
		fixtures.checkSays(otherCurrency.transactionId(), accepted(5000, "XAF"));
		assertThat(notify(otherCurrency, true)).isEqualTo(200);
		fixtures.assertUnpaid(otherCurrency);
		assertThat(fixtures.count(
				"SELECT count(*) FROM payment_attempt WHERE order_number = :number AND mismatch IS NOT NULL",
				otherCurrency.number()))
			.isEqualTo(1);
	}

	@Test
	void aPendingThenAFinalNotificationPaysOnce() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), pending());
		assertThat(notify(paying, false)).isEqualTo(200);
		fixtures.assertUnpaid(paying);
		assertThat(fixtures.attemptStatus(paying)).isEqualTo("OPEN");

		fixtures.removeStubs();
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		assertThat(notify(paying, true)).isEqualTo(200);
		assertThat(notify(paying, true)).isEqualTo(200);

		fixtures.assertPaidOnce(paying);
	}

	@Test
	void aLatePendingOrRefusedNotificationAfterSuccessLeavesItPaid() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		assertThat(notify(paying, true)).isEqualTo(200);
		fixtures.assertPaidOnce(paying);
		String paid = snapshot(paying.number());

		fixtures.removeStubs();
		fixtures.checkSays(paying.transactionId(), pending());
		assertThat(notify(paying, false)).isEqualTo(200);
		fixtures.removeStubs();
		fixtures.checkSays(paying.transactionId(), refused());
		assertThat(notify(paying, false)).isEqualTo(200);

		assertThat(snapshot(paying.number())).isEqualTo(paid);
		fixtures.assertPaidOnce(paying);
	}

	@Test
	void repeatsOfASettledPaymentAreAnsweredWithoutAskingCinetPayAgain() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		assertThat(notify(paying, false)).isEqualTo(200);
		fixtures.assertPaidOnce(paying);
		assertThat(checkCalls(paying.transactionId())).isEqualTo(1);
		String paid = snapshot(paying.number());

		for (int i = 0; i < 4; i++) {
			assertThat(notify(paying, i % 2 == 0)).isEqualTo(200);
		}

		assertThat(checkCalls(paying.transactionId())).isEqualTo(1);
		assertThat(snapshot(paying.number())).isEqualTo(paid);
		fixtures.assertPaidOnce(paying);
	}

	@Test
	void aRepeatOfASettledPaymentIsAnswered200EvenWhileTheCheckIsDown() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		assertThat(notify(paying, true)).isEqualTo(200);
		fixtures.removeStubs();
		fixtures.checkFails(paying.transactionId(), 503, "{\"message\":\"Service Unavailable\"}");

		assertThat(notify(paying, true)).isEqualTo(200);

		fixtures.assertPaidOnce(paying);
		assertThat(checkCalls(paying.transactionId())).isEqualTo(1);
	}

	@Test
	void aHundredReplaysFromSixteenClientsSettleOnce() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		Map<String, String> form = form(paying.transactionId());
		String token = XToken.of(SECRET, form);

		List<Answer> answers = Flux.range(0, 100)
			.flatMap(i -> sendAsync(webhook(form, token)), 16)
			.collectList()
			.block(Duration.ofSeconds(120));

		assertThat(answers).extracting(Answer::status).containsOnly(200);
		fixtures.assertPaidOnce(paying);
		assertThat(fixtures.count("SELECT count(*) FROM order_notice WHERE order_number = :number", paying.number()))
			.as("one notice per channel")
			.isEqualTo(2);

		// two instances' dispatch rounds at once, then another: one e-mail, one GA4 call
		Mono.when(notices.round().subscribeOn(Schedulers.parallel()),
				notices.round().subscribeOn(Schedulers.parallel()))
			.then(notices.round())
			.block(Duration.ofSeconds(60));
		assertThat(PaymentNoticesIT.mailsOf(paying.number())).hasSize(1);
		assertThat(PaymentNoticesIT.ga4RequestsOf(paying.number())).hasSize(1);
	}

	@Test
	void copiesArrivingWhileANotificationIsHandledJoinItWithoutAskingCinetPayAgain() {
		Paying paying = fixtures.payingOrder(5000);
		// slow enough that all the copies arrive while the first is being handled
		fixtures.checkSaysAfter(paying.transactionId(), accepted(5000, "XOF"), 400);
		Map<String, String> form = form(paying.transactionId());
		String token = XToken.of(SECRET, form);

		List<Answer> answers = Flux.range(0, 8)
			.flatMap(i -> sendAsync(webhook(form, token)), 8)
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(answers).extracting(Answer::status).containsOnly(200);
		fixtures.assertPaidOnce(paying);
		assertThat(checkCalls(paying.transactionId())).as("one check for the eight concurrent copies").isEqualTo(1);
	}

	@Test
	void copiesArrivingDuringAPendingCheckAskAgainInsteadOfTakingItsAnswer() throws InterruptedException {
		Paying paying = fixtures.payingOrder(5000);
		// the first check (under way when the copies arrive) says pending; any later one,
		// paid
		fixtures.checkSaysFirstSlowlyThen(paying.transactionId(), PaymentFixtures.pending(), 600,
				accepted(5000, "XOF"));
		Map<String, String> form = form(paying.transactionId());
		String token = XToken.of(SECRET, form);

		Mono<Answer> first = sendAsync(webhook(form, token)).cache();
		first.subscribe();
		Thread.sleep(200);
		List<Answer> copies = Flux.range(0, 6)
			.flatMap(i -> sendAsync(webhook(form, token)), 6)
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(first.block(Duration.ofSeconds(30)).status()).isEqualTo(200);
		assertThat(copies).extracting(Answer::status).containsOnly(200);
		fixtures.assertPaidOnce(paying);
		assertThat(checkCalls(paying.transactionId())).as("the pending check, then one for the six copies")
			.isEqualTo(2);
	}

	@Test
	void whenTheCheckIsDownTheWebhookAnswers503AndChangesNothing() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkFails(paying.transactionId(), 503, "{\"message\":\"Service Unavailable\"}");
		String before = snapshot(paying.number());

		Answer answer = fixtures
			.send(webhook(form(paying.transactionId()), XToken.of(SECRET, form(paying.transactionId()))));

		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
		assertThat(json.readTree(answer.body()).get("code").asString()).isEqualTo("webhook-check-unavailable");
		assertThat(snapshot(paying.number())).isEqualTo(before);
	}

	@Test
	void aPaymentAfterTheOrderExpiredIsFlaggedForRefund() {
		Paying paying = fixtures.payingOrder(5000);
		db.sql("UPDATE customer_order SET payment_deadline = now() - interval '1 minute' WHERE number = :number")
			.bind("number", paying.number())
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		ordering.expireOverdue().block(Duration.ofSeconds(30));
		assertThat(fixtures.count("SELECT count(*) FROM customer_order WHERE number = :number AND status = 'CANCELLED'",
				paying.number()))
			.isEqualTo(1);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));

		assertThat(notify(paying, true)).isEqualTo(200);
		assertThat(notify(paying, true)).isEqualTo(200);

		assertThat(fixtures.count("SELECT count(*) FROM customer_order WHERE number = :number AND status = 'CANCELLED'"
				+ " AND payment_status = 'UNPAID'", paying.number()))
			.isEqualTo(1);
		assertThat(fixtures.attemptStatus(paying)).isEqualTo("SUCCEEDED");
		assertThat(fixtures
			.count("SELECT count(*) FROM payment_refund WHERE order_number = :number AND status = 'REQUIRED'"
					+ " AND amount = 5000 AND reason = 'ORDER_CANCELLED'", paying.number()))
			.isEqualTo(1);
		assertThat(fixtures.outboxCount(paying.number(), "PaymentRefundRequired")).isEqualTo(1);
		assertThat(fixtures.outboxCount(paying.number(), "PaymentSettled")).isZero();
	}

	@Test
	void settlementAndTheExpiryJobRacingOnOverdueOrdersNeverBothWin() {
		List<Paying> orders = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Paying paying = fixtures.payingOrder(5000);
			fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
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
			long paid = fixtures
				.count("SELECT count(*) FROM customer_order WHERE number = :number AND status = 'CONFIRMED'"
						+ " AND payment_status = 'PAID'", paying.number());
			long cancelled = fixtures.count("SELECT count(*) FROM customer_order WHERE number = :number"
					+ " AND status = 'CANCELLED' AND payment_status = 'UNPAID'", paying.number());
			long refunds = fixtures.count("SELECT count(*) FROM payment_refund WHERE order_number = :number",
					paying.number());
			assertThat(paid + cancelled).as(paying.number()).isEqualTo(1);
			assertThat(refunds).as(paying.number()).isEqualTo(cancelled);
			assertThat(fixtures.outboxCount(paying.number(), "PaymentSettled")).isEqualTo(paid);
			assertThat(fixtures.outboxCount(paying.number(), "PaymentRefundRequired")).isEqualTo(cancelled);
			assertThat(fixtures.outboxCount(paying.number(), "OrderStatusChanged")).isEqualTo(1);
			assertThat(fixtures.attemptStatus(paying)).isEqualTo("SUCCEEDED");
		}
	}

	@Test
	void anUnknownTransactionIsAnsweredOkAndAPingToo() {
		Map<String, String> form = form("MER-20000101-0001-NOPE");
		assertThat(fixtures.send(webhook(form, XToken.of(SECRET, form))).status()).isEqualTo(200);
		assertThat(fixtures.send(client.get().uri("/api/webhooks/cinetpay")).status()).isEqualTo(200);
	}

	// --- helpers

	/** The check calls CinetPay's stub received for this transaction. */
	private int checkCalls(String transactionId) {
		return cinetPay
			.countRequestsMatching(postRequestedFor(urlPathEqualTo("/v2/payment/check"))
				.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(transactionId)))
				.build())
			.getCount();
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
		return fixtures.send(webhook(form, XToken.of(SECRET, form))).status();
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

	private String snapshot(String number) {
		return fixtures.snapshot(number);
	}

}
