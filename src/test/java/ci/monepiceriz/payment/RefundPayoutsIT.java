package ci.monepiceriz.payment;

import static ci.monepiceriz.payment.PaymentFixtures.accepted;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.MeterRegistry;

import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.TransitionOutcome;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.payment.PaymentFixtures.Paying;
import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refunds end to end on the real database: paid orders (paid through the webhook's
 * settlement, CinetPay's check stubbed per transaction) cancelled through ordering's API,
 * then payout rounds ({@link RefundPayouts#round()}, called directly: scheduled rounds
 * are off in tests) against WireMock playing the Transfer API with the {@code transfer-*}
 * stubs of {@code contracts/cinetpay} (picked by the phone) and per-test check stubs
 * (picked by the payout id). A refund is made due again by moving its
 * {@code next_attempt_at} back. Each test uses its own phone numbers, so WireMock's
 * request journal tells its transfers apart.
 */
@IntegrationTest
class RefundPayoutsIT {

	private static final String SEND = "/v1/transfer/money/send/contact";

	private static final String CHECK = "/v1/transfer/check/money";

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	RefundPayouts payouts;

	@Autowired
	PaymentSettlement settlement;

	@Autowired
	OrderingService ordering;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	WebClient client;

	final WireMockServer cinetPay = CinetPayStub.server();

	PaymentFixtures fixtures;

	final List<StubMapping> stubs = new ArrayList<>();

	@BeforeEach
	void setUp() {
		client = WebClient.builder().baseUrl("http://127.0.0.1:" + port).build();
		fixtures = new PaymentFixtures(db, json, client, cinetPay, "T-RF-");
	}

	@AfterEach
	void removeStubs() {
		fixtures.removeStubs();
		stubs.forEach(cinetPay::removeStub);
		stubs.clear();
	}

	// --- cancelling a paid order

	@Test
	void cancellingAPaidOrderRecordsExactlyOneRefundOfWhatItPaid() {
		Paying paid = paidOrder(5000, randomPhone());

		List<TransitionOutcome> outcomes = Flux.range(0, 6)
			.flatMap(i -> ordering.transition(paid.number(), OrderStatus.CANCELLED, "staff:test", "customer called",
					Optional.empty()))
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(outcomes).filteredOn(TransitionOutcome.Moved.class::isInstance).hasSize(1);
		assertThat(fixtures.count("""
				SELECT count(*) FROM payment_refund WHERE order_number = :number AND kind = 'ORDER_CANCELLED'
				   AND status = 'REQUIRED' AND amount = 5000 AND reason = 'ORDER_CANCELLED_AFTER_PAYMENT'
				   AND phone ~ '^\\+225' AND client_transaction_id LIKE :number || '-R%'
				""", paid.number())).isEqualTo(1);
		assertThat(fixtures.count("SELECT count(*) FROM payment_refund WHERE order_number = :number", paid.number()))
			.isEqualTo(1);
		assertThat(fixtures.outboxCount(paid.number(), "PaymentRefundRequired")).isEqualTo(1);
		// still PAID until the money is back
		assertThat(fixtures.count(
				"SELECT count(*) FROM customer_order WHERE number = :number"
						+ " AND status = 'CANCELLED' AND payment_status = 'PAID' AND amount_refunded = 0",
				paid.number()))
			.isEqualTo(1);
	}

	@Test
	void cancellingAnUnpaidOrderRecordsNoRefund() {
		Paying unpaid = fixtures.payingOrder(5000, randomPhone());

		ordering.transition(unpaid.number(), OrderStatus.CANCELLED, "staff:test", "test", Optional.empty())
			.block(Duration.ofSeconds(10));

		assertThat(fixtures.count("SELECT count(*) FROM payment_refund WHERE order_number = :number", unpaid.number()))
			.isZero();
	}

	// --- paying out

	@Test
	void aRefundIsSentThenPaidOutOnceAndTheOrderBecomesRefunded() {
		String phone = randomPhone();
		Paying paid = cancelledPaidOrder(5000, phone);
		String payoutId = payoutId(paid);

		payouts.round().block(Duration.ofSeconds(30));

		assertThat(status(paid)).isEqualTo("SENT");
		List<LoggedRequest> sends = sendsTo(phone);
		assertThat(sends).isNotEmpty();
		assertThat(sent(sends.get(0))).contains("\"client_transaction_id\":\"" + payoutId + "\"", "\"amount\":5000",
				"\"phone\":\"" + phone.substring(4) + "\"", "\"prefix\":\"225\"");

		// still NEW at CinetPay: nothing changes
		due(paid);
		payouts.round().block(Duration.ofSeconds(30));
		assertThat(status(paid)).isEqualTo("SENT");

		checkSays(payoutId, "VAL");
		due(paid);
		payouts.round().block(Duration.ofSeconds(30));
		due(paid);
		payouts.round().block(Duration.ofSeconds(30));

		assertThat(status(paid)).isEqualTo("PAID_OUT");
		assertThat(fixtures.count("SELECT count(*) FROM customer_order WHERE number = :number"
				+ " AND payment_status = 'REFUNDED' AND amount_refunded = 5000", paid.number()))
			.isEqualTo(1);
		assertThat(fixtures.outboxCount(paid.number(), "PaymentRefunded")).isEqualTo(1);
		assertThat(fixtures.count("SELECT count(*) FROM outbox WHERE key = :number AND type = 'PaymentRefunded'"
				+ " AND convert_from(payload, 'UTF8') LIKE '%\"outcome\":\"PAID_OUT\"%'", paid.number()))
			.isEqualTo(1);
		// never sent again once sent
		assertThat(sendsTo(phone)).hasSameSizeAs(sends);
	}

	@Test
	void aSendThatTimesOutIsRetriedWithTheSamePayoutIdAndMakesOneTransfer() {
		// transfer-send-slow-once: the first send answers after the timeout (the transfer
		// exists), later ones 805
		cinetPay.setScenarioState("transfer-send-slow-once", "Started");
		Paying paid = cancelledPaidOrder(5000, "+2250555555501");
		String payoutId = payoutId(paid);
		int before = sendsTo("+2250555555501").size();

		payouts.round().block(Duration.ofSeconds(30));

		assertThat(status(paid)).isEqualTo("SENT");
		List<LoggedRequest> sends = sendsTo("+2250555555501");
		// the timed-out send and its retry (more retries only if the machine is very
		// busy)
		assertThat(sends.subList(before, sends.size())).hasSizeGreaterThanOrEqualTo(2)
			.allSatisfy(send -> assertThat(sent(send)).contains("\"client_transaction_id\":\"" + payoutId + "\""));

		checkSays(payoutId, "VAL");
		due(paid);
		payouts.round().block(Duration.ofSeconds(30));
		assertThat(status(paid)).isEqualTo("PAID_OUT");
		assertThat(fixtures.outboxCount(paid.number(), "PaymentRefunded")).isEqualTo(1);
	}

	@Test
	void aPayoutCinetPayCouldNotTakeIsSentAgainNextRoundWithTheSamePayoutId() {
		String phone = randomPhone();
		Paying paid = cancelledPaidOrder(5000, phone);
		String payoutId = payoutId(paid);
		StubMapping down = cinetPay.stubFor(post(urlPathEqualTo(SEND)).atPriority(1)
			.withRequestBody(containing(payoutId))
			.willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")));
		stubs.add(down);

		payouts.round().block(Duration.ofSeconds(30));

		assertThat(status(paid)).isEqualTo("SENDING");
		assertThat(fixtures.count("SELECT count(*) FROM payment_refund WHERE order_number = :number AND attempts = 1"
				+ " AND last_error LIKE 'UNAVAILABLE%' AND next_attempt_at > now()", paid.number()))
			.isEqualTo(1);
		// not due yet: a round leaves it alone
		payouts.round().block(Duration.ofSeconds(30));
		int failed = sendsTo(phone).size();

		cinetPay.removeStub(down);
		// the earlier sends did reach CinetPay after all: it answers 805
		stubs.add(cinetPay.stubFor(post(urlPathEqualTo(SEND)).atPriority(1)
			.withRequestBody(containing(payoutId))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"code\":\"805\",\"message\":\"CLIENT_TRANSACTION_ID_EXIST\",\"data\":[]}"))));
		due(paid);
		payouts.round().block(Duration.ofSeconds(30));

		assertThat(status(paid)).isEqualTo("SENT");
		assertThat(sendsTo(phone)).hasSizeGreaterThan(failed)
			.allSatisfy(send -> assertThat(sent(send)).contains("\"client_transaction_id\":\"" + payoutId + "\""));
	}

	@Test
	void moneyReceivedForAnOrderThatCouldNotTakeItIsPaidOutAndTheOrderLeftAsItWas() {
		String phone = randomPhone();
		Paying paying = fixtures.payingOrder(5000, phone);
		ordering.transition(paying.number(), OrderStatus.CANCELLED, "staff:test", "test", Optional.empty())
			.block(Duration.ofSeconds(10));
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		assertThat(settlement.notified(paying.transactionId()).block(Duration.ofSeconds(30)))
			.isInstanceOf(Notification.RefundRequired.class);

		payouts.round().block(Duration.ofSeconds(30));
		assertThat(sendsTo(phone)).isNotEmpty();
		checkSays(payoutId(paying), "VAL");
		due(paying);
		payouts.round().block(Duration.ofSeconds(30));

		assertThat(status(paying)).isEqualTo("PAID_OUT");
		assertThat(fixtures.count(
				"SELECT count(*) FROM payment_refund WHERE order_number = :number" + " AND kind = 'UNEXPECTED_PAYMENT'",
				paying.number()))
			.isEqualTo(1);
		// never paid, so never refunded: the order's money columns are untouched
		assertThat(fixtures.count(
				"SELECT count(*) FROM customer_order WHERE number = :number"
						+ " AND status = 'CANCELLED' AND payment_status = 'UNPAID' AND amount_refunded = 0",
				paying.number()))
			.isEqualTo(1);
		assertThat(fixtures.outboxCount(paying.number(), "PaymentRefunded")).isEqualTo(1);
	}

	// --- store credit

	@Test
	void aPermanentRefusalBecomesStoreCredit() {
		Paying paid = cancelledPaidOrder(5000, "+2250577777719");

		payouts.round().block(Duration.ofSeconds(30));

		assertStoreCredit(paid, "PAYOUT_REFUSED: 719");
	}

	@Test
	void aRejectedTransferBecomesStoreCredit() {
		Paying paid = cancelledPaidOrder(5000, randomPhone());
		payouts.round().block(Duration.ofSeconds(30));
		assertThat(status(paid)).isEqualTo("SENT");

		checkSays(payoutId(paid), "REJ");
		due(paid);
		payouts.round().block(Duration.ofSeconds(30));

		assertStoreCredit(paid, "PAYOUT_REJECTED: REJ");
	}

	@Test
	void anAmountBelowThePayoutMinimumIsStoreCreditWithoutAnyTransfer() {
		String phone = randomPhone();
		Paying paid = cancelledPaidOrder(150, phone);

		payouts.round().block(Duration.ofSeconds(30));

		assertStoreCredit(paid, "BELOW_PAYOUT_MINIMUM");
		assertThat(sendsTo(phone)).isEmpty();
		assertThat(fixtures.count("SELECT count(*) FROM store_credit WHERE order_number = :number AND amount = 150",
				paid.number()))
			.isEqualTo(1);
	}

	@Test
	void refusedForNowTooOftenBecomesStoreCreditOnlyOnceCinetPayHoldsNoTransfer() {
		Paying paid = cancelledPaidOrder(5000, "+2250566666602");
		payouts.round().block(Duration.ofSeconds(30));
		assertThat(status(paid)).isEqualTo("SENDING");
		assertThat(fixtures.count("SELECT count(*) FROM payment_refund WHERE order_number = :number AND attempts = 1"
				+ " AND last_error LIKE 'PAYOUT_DEFERRED: 602%'", paid.number()))
			.isEqualTo(1);

		// the last allowed attempt, and CinetPay holds no such transfer
		fixtures.update("UPDATE payment_refund SET attempts = 7 WHERE order_number = :number", paid.number());
		stubs.add(cinetPay.stubFor(get(urlPathEqualTo(CHECK)).atPriority(1)
			.withQueryParam("client_transaction_id", equalTo(payoutId(paid)))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"code\":\"723\",\"message\":\"NOT_FOUND\",\"data\":[]}"))));
		due(paid);
		payouts.round().block(Duration.ofSeconds(30));

		assertStoreCredit(paid, "PAYOUT_IMPOSSIBLE");
	}

	// --- transfer notifications

	@Test
	void aForgedTransferNotificationChangesNothingUnlessTheCheckAgrees() {
		Paying paid = cancelledPaidOrder(5000, randomPhone());
		payouts.round().block(Duration.ofSeconds(30));
		String payoutId = payoutId(paid);

		// says VAL; CinetPay's check says NEW (the default stub)
		assertThat(notify(payoutId, "VAL")).isEqualTo(200);
		assertThat(status(paid)).isEqualTo("SENT");
		assertThat(fixtures.outboxCount(paid.number(), "PaymentRefunded")).isZero();
		// says REJ; the check still says NEW: no store credit either
		assertThat(notify(payoutId, "REJ")).isEqualTo(200);
		assertThat(status(paid)).isEqualTo("SENT");
		// unknown payout ids and junk are answered 200 and change nothing
		assertThat(notify("MER-20990101-0001-RXXXXXXX", "VAL")).isEqualTo(200);
		assertThat(notify("<script>", "VAL")).isEqualTo(200);

		checkSays(payoutId, "VAL");
		assertThat(notify(payoutId, "whatever")).isEqualTo(200);

		assertThat(status(paid)).isEqualTo("PAID_OUT");
		assertThat(fixtures.outboxCount(paid.number(), "PaymentRefunded")).isEqualTo(1);
		// a replay after the end changes nothing
		assertThat(notify(payoutId, "VAL")).isEqualTo(200);
		assertThat(fixtures.outboxCount(paid.number(), "PaymentRefunded")).isEqualTo(1);
	}

	@Test
	void aJsonTransferNotificationNamingTheMerchantTransactionIdIsCheckedToo() {
		Paying paid = cancelledPaidOrder(5000, randomPhone());
		payouts.round().block(Duration.ofSeconds(30));
		String payoutId = payoutId(paid);

		// the new API's shape: a JSON object naming our id as merchant_transaction_id
		assertThat(notifyJson("{\"merchant_transaction_id\":\"%s\",\"status\":\"SUCCESS\"}".formatted(payoutId)))
			.isEqualTo(200);
		assertThat(status(paid)).isEqualTo("SENT");

		checkSays(payoutId, "VAL");
		assertThat(notifyJson("{\"merchant_transaction_id\":\"%s\"}".formatted(payoutId))).isEqualTo(200);
		assertThat(status(paid)).isEqualTo("PAID_OUT");
		// anything but a JSON object is malformed
		assertThat(notifyJson("[1]")).isEqualTo(400);
	}

	// --- several instances

	@Test
	void concurrentRoundsNeverSendOneRefundTwice() {
		// refunds other tests left due are handled first, so that only these six are due
		payouts.round().block(Duration.ofSeconds(30));
		List<String> phones = new ArrayList<>();
		List<Paying> orders = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			String phone = randomPhone();
			phones.add(phone);
			orders.add(cancelledPaidOrder(5000, phone));
		}
		// every send takes a while, so rounds overlap
		for (Paying order : orders) {
			stubs.add(cinetPay.stubFor(post(urlPathEqualTo(SEND)).atPriority(1)
				.withRequestBody(containing(payoutId(order)))
				.willReturn(aResponse().withHeader("Content-Type", "application/json")
					.withFixedDelay(200)
					.withBody("{\"code\":0,\"message\":\"OPERATION_SUCCES\",\"data\":[{\"transaction_id\":\"TRF-C\","
							+ "\"treatment_status\":\"NEW\"}]}"))));
		}

		long payoutsBefore = payoutCalls();

		Flux.range(0, 4).flatMap(i -> payouts.round()).collectList().block(Duration.ofSeconds(60));

		// one payout call per refund (an HTTP retry inside a call, after a timeout on a
		// busy
		// machine, would be the same call with the same id)
		assertThat(payoutCalls() - payoutsBefore).isEqualTo(orders.size());
		for (int i = 0; i < orders.size(); i++) {
			assertThat(status(orders.get(i))).isEqualTo("SENT");
			String payoutId = payoutId(orders.get(i));
			assertThat(sendsTo(phones.get(i))).as("sends of refund %d", i)
				.isNotEmpty()
				.allSatisfy(send -> assertThat(sent(send)).contains("\"client_transaction_id\":\"" + payoutId + "\""));
		}
	}

	/** Calls of the port's payout so far (retries inside a call are the same call). */
	private long payoutCalls() {
		return meters.find("payment.provider.requests")
			.tag("operation", "payout")
			.timers()
			.stream()
			.mapToLong(timer -> timer.count())
			.sum();
	}

	// --- helpers

	/** An order of this amount paid through settlement (CinetPay's check stubbed). */
	private Paying paidOrder(long price, String phone) {
		Paying paying = fixtures.payingOrder(price, phone);
		fixtures.checkSays(paying.transactionId(), accepted(price, "XOF"));
		assertThat(settlement.notified(paying.transactionId()).block(Duration.ofSeconds(30)))
			.isInstanceOf(Notification.Settled.class);
		return paying;
	}

	private Paying cancelledPaidOrder(long price, String phone) {
		Paying paid = paidOrder(price, phone);
		assertThat(ordering
			.transition(paid.number(), OrderStatus.CANCELLED, "staff:test", "customer called", Optional.empty())
			.block(Duration.ofSeconds(10))).isInstanceOf(TransitionOutcome.Moved.class);
		return paid;
	}

	private void assertStoreCredit(Paying paid, String why) {
		assertThat(status(paid)).isEqualTo("STORE_CREDIT");
		assertThat(fixtures.count("SELECT count(*) FROM store_credit c JOIN payment_refund r ON r.id = c.refund_id"
				+ " WHERE r.order_number = :number AND c.amount = r.amount AND c.phone = r.phone AND c.reason LIKE '"
				+ why + "%'", paid.number()))
			.isEqualTo(1);
		assertThat(fixtures.count("SELECT count(*) FROM customer_order WHERE number = :number"
				+ " AND payment_status = 'REFUNDED' AND amount_refunded = amount_paid", paid.number()))
			.isEqualTo(1);
		assertThat(
				fixtures.count(
						"SELECT count(*) FROM outbox WHERE key = :number AND type = 'PaymentRefunded'"
								+ " AND convert_from(payload, 'UTF8') LIKE '%\"outcome\":\"STORE_CREDIT\"%'",
						paid.number()))
			.isEqualTo(1);
	}

	private String payoutId(Paying paid) {
		return db.sql("SELECT client_transaction_id FROM payment_refund WHERE order_number = :number")
			.bind("number", paid.number())
			.map(row -> row.get(0, String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private String status(Paying paid) {
		return db.sql("SELECT status FROM payment_refund WHERE order_number = :number")
			.bind("number", paid.number())
			.map(row -> row.get(0, String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private void due(Paying paid) {
		fixtures.update("UPDATE payment_refund SET next_attempt_at = now() - interval '1 second'"
				+ " WHERE order_number = :number", paid.number());
	}

	/** CinetPay's check of this payout answers this treatment status. */
	private void checkSays(String payoutId, String treatmentStatus) {
		stubs.add(cinetPay.stubFor(get(urlPathEqualTo(CHECK)).atPriority(1)
			.withQueryParam("client_transaction_id", equalTo(payoutId))
			.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
					{"code":0,"message":"OPERATION_SUCCES","data":[{"transaction_id":"TRF-IT",
					 "client_transaction_id":"%s","amount":"5000","treatment_status":"%s",
					 "operator_transaction_id":"MP-IT","comment":"test"}]}
					""".formatted(payoutId, treatmentStatus)))));
	}

	private int notify(String payoutId, String treatmentStatus) {
		return client.post()
			.uri("/api/webhooks/cinetpay/transfers")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("client_transaction_id", payoutId)
				.with("transaction_id", "TRF-FORGED")
				.with("treatment_status", treatmentStatus)
				.with("amount", "5000")
				.with("sending_status", "CONFIRM"))
			.exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
			.block(Duration.ofSeconds(30));
	}

	private int notifyJson(String body) {
		return client.post()
			.uri("/api/webhooks/cinetpay/transfers")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
			.block(Duration.ofSeconds(30));
	}

	private List<LoggedRequest> sendsTo(String phone) {
		return cinetPay.findAll(postRequestedFor(urlPathEqualTo(SEND)).withRequestBody(containing(phone.substring(4))));
	}

	private static String sent(LoggedRequest send) {
		return URLDecoder.decode(send.getBodyAsString(), StandardCharsets.UTF_8);
	}

	/**
	 * A mobile number of its own (07 and 8 random digits), so journals tell tests apart.
	 */
	private static String randomPhone() {
		return "+22507" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
	}

}
