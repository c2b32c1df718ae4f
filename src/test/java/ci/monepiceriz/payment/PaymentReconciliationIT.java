package ci.monepiceriz.payment;

import static ci.monepiceriz.payment.PaymentFixtures.accepted;
import static ci.monepiceriz.payment.PaymentFixtures.pending;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.WireMockServer;

import ci.monepiceriz.payment.PaymentFixtures.Paying;
import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Mono;
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

	PaymentFixtures fixtures;

	@BeforeEach
	void setUp() {
		client = WebClient.builder().baseUrl("http://127.0.0.1:" + port).build();
		fixtures = new PaymentFixtures(db, json, client, cinetPay, "T-RC-");
	}

	@AfterEach
	void removeStubs() {
		fixtures.removeStubs();
	}

	@Test
	void anOpenAttemptWhoseNotificationNeverCameIsSettledByARound() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		age(paying, "10 minutes");

		round();

		fixtures.assertPaidOnce(paying);
		assertThat(fixtures.count(
				"SELECT count(*) FROM payment_attempt WHERE order_number = :number AND checked_at IS NOT NULL",
				paying.number()))
			.isEqualTo(1);
	}

	@Test
	void whenTheCheckIsDownNothingChangesAndALaterRoundSettles() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkFails(paying.transactionId(), 500, "{\"message\":\"down\"}");
		age(paying, "10 minutes");

		round();

		fixtures.assertUnpaid(paying);
		assertThat(fixtures.attemptStatus(paying)).isEqualTo("OPEN");

		fixtures.removeStubs();
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		// checked within the interval: left alone until the interval has passed
		round();
		fixtures.assertUnpaid(paying);
		checkedLongAgo(paying);
		round();

		fixtures.assertPaidOnce(paying);
	}

	@Test
	void aPendingAttemptPastTheOrdersWindowIsExpiredAndItsOrderIsNotPaid() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), pending());
		// still pending, created long ago, but the order is still payable: left OPEN
		age(paying, "10 minutes");
		round();
		assertThat(fixtures.attemptStatus(paying)).isEqualTo("OPEN");

		// past the order's window (30 min) and the grace (15 min)
		age(paying, "2 hours");
		checkedLongAgo(paying);
		fixtures.update(
				"UPDATE customer_order SET payment_deadline = now() - interval '90 minutes' WHERE number = :number",
				paying.number());
		round();

		assertThat(fixtures.attemptStatus(paying)).isEqualTo("EXPIRED");
		fixtures.assertUnpaid(paying);
	}

	@Test
	void aSucceededAttemptIsNeverExpired() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		age(paying, "2 hours");
		fixtures.update(
				"UPDATE customer_order SET payment_deadline = now() + interval '1 minute' WHERE number = :number",
				paying.number());
		round();
		fixtures.assertPaidOnce(paying);

		fixtures.removeStubs();
		fixtures.checkSays(paying.transactionId(), pending());
		fixtures.update("UPDATE payment_attempt SET checked_at = NULL WHERE order_number = :number", paying.number());
		round();

		fixtures.assertPaidOnce(paying);
	}

	@Test
	void twoRoundsRunningAtOnceSettleOnce() {
		List<Paying> orders = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Paying paying = fixtures.payingOrder(5000);
			fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
			age(paying, "10 minutes");
			orders.add(paying);
		}

		Mono.when(reconciliation.round(), reconciliation.round(), reconciliation.round()).block(Duration.ofSeconds(60));

		for (Paying paying : orders) {
			fixtures.assertPaidOnce(paying);
		}
		assertThat(cinetPay.findAll(postRequestedFor(orders.get(0).transactionId())).size()).isEqualTo(1);
	}

	@Test
	void aRecentAttemptIsLeftAlone() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.checkSays(paying.transactionId(), accepted(5000, "XOF"));
		age(paying, "1 minute");

		round();

		fixtures.assertUnpaid(paying);
		assertThat(fixtures.attemptStatus(paying)).isEqualTo("OPEN");
		assertThat(fixtures.count(
				"SELECT count(*) FROM payment_attempt WHERE order_number = :number AND checked_at IS NULL",
				paying.number()))
			.isEqualTo(1);
	}

	// --- helpers

	private void round() {
		reconciliation.round().block(Duration.ofSeconds(60));
	}

	private void age(Paying paying, String interval) {
		fixtures.update("UPDATE payment_attempt SET created_at = now() - interval '" + interval
				+ "' WHERE order_number = :number", paying.number());
	}

	private void checkedLongAgo(Paying paying) {
		fixtures.update("UPDATE payment_attempt SET checked_at = now() - interval '1 day' WHERE order_number = :number",
				paying.number());
	}

	private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder postRequestedFor(
			String transactionId) {
		return com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/v2/payment/check"))
			.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(transactionId)));
	}

}
