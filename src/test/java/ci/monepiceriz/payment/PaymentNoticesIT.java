package ci.monepiceriz.payment;

import static ci.monepiceriz.payment.PaymentFixtures.accepted;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ci.monepiceriz.notification.NoticeDispatcher;
import ci.monepiceriz.payment.PaymentFixtures.Paying;
import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.Ga4Stub;
import ci.monepiceriz.support.IntegrationTest;
import ci.monepiceriz.support.SmtpStub;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a settled payment tells the customer and analytics: the notices written by the
 * settlement, sent by the dispatcher to a real SMTP server (GreenMail, behind a proxy
 * that can be cut) and to WireMock playing GA4, on the real database. Here because the
 * payment fixtures are; the dispatcher's rounds run only when a test calls them.
 */
@IntegrationTest
class PaymentNoticesIT {

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	PaymentSettlement settlement;

	@Autowired
	NoticeDispatcher dispatcher;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	PaymentFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new PaymentFixtures(db, json, WebClient.create("http://127.0.0.1:" + port), CinetPayStub.server(),
				"T-NO-");
	}

	@AfterEach
	void tearDown() {
		fixtures.removeStubs();
	}

	@Test
	void aPaidOrderGetsOneFrenchConfirmationWithItsNumberLinesAndTotals() throws Exception {
		// 5002 XOF is charged 5000: a 2 XOF rounding discount
		Paying paying = paid(5002);
		double sentBefore = sent("EMAIL");

		dispatcher.round().block(Duration.ofSeconds(30));

		assertThat(sent("EMAIL")).isGreaterThanOrEqualTo(sentBefore + 1);
		List<MimeMessage> mails = mailsOf(paying.number());
		assertThat(mails).hasSize(1);
		MimeMessage mail = mails.get(0);
		assertThat(mail.getSubject()).isEqualTo("Votre commande " + paying.number() + " est confirmée");
		assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
			.containsExactly("awa@example.ci");
		assertThat(mail.getFrom()[0].toString()).contains("commandes@monepiceriz.ci");
		assertThat(mail.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("UTF-8");
		String sku = skuOf(paying.number());
		assertThat(((String) mail.getContent()).replace('\u00A0', ' ')).contains("Bonjour Awa Koné,")
			.contains("Commande : " + paying.number())
			.contains("- Produit de test " + sku + " (Pièce) : 1 × 5 002 F CFA = 5 002 F CFA")
			.contains("Sous-total : 5 002 F CFA")
			.contains("Total : 5 002 F CFA")
			.contains("Remise d'arrondi : -2 F CFA")
			.contains("Montant payé : 5 000 F CFA")
			.contains("Retrait en magasin")
			.doesNotContain("Frais de livraison");
		assertThat(noticeStatuses(paying.number())).containsExactly("EMAIL SENT 1", "GA4 SENT 1");
	}

	@Test
	void aPaidOrderIsReportedToGa4OnceAsAPurchaseOfItsLines() {
		Paying paying = paid(5002);

		dispatcher.round().block(Duration.ofSeconds(30));

		List<LoggedRequest> requests = ga4RequestsOf(paying.number());
		assertThat(requests).hasSize(1);
		LoggedRequest request = requests.get(0);
		assertThat(request.queryParameter("measurement_id").firstValue()).isEqualTo(Ga4Stub.MEASUREMENT_ID);
		assertThat(request.queryParameter("api_secret").firstValue()).isEqualTo(Ga4Stub.API_SECRET);
		JsonNode body = json.readTree(request.getBodyAsString());
		assertThat(body.get("client_id").asString()).matches("[0-9]{1,10}\\.[0-9]{10}");
		assertThat(body.get("events")).hasSize(1);
		JsonNode event = body.get("events").get(0);
		assertThat(event.get("name").asString()).isEqualTo("purchase");
		JsonNode params = event.get("params");
		assertThat(params.get("transaction_id").asString()).isEqualTo(paying.number());
		assertThat(params.get("value").isIntegralNumber()).isTrue();
		assertThat(params.get("value").asLong()).isEqualTo(5000);
		assertThat(params.get("currency").asString()).isEqualTo("XOF");
		assertThat(params.get("items")).hasSize(1);
		JsonNode item = params.get("items").get(0);
		assertThat(item.get("item_id").asString()).isEqualTo(skuOf(paying.number()));
		assertThat(item.get("item_name").asString()).isEqualTo("Produit de test " + skuOf(paying.number()));
		assertThat(item.get("price").asLong()).isEqualTo(5002);
		assertThat(item.get("quantity").asInt()).isEqualTo(1);
	}

	@Test
	void whenTheMailServerIsDownTheEmailIsSentOnceAfterItComesBack() {
		Paying paying;
		SmtpStub.proxy().cut();
		try {
			paying = paid(5000);

			dispatcher.round().block(Duration.ofSeconds(30));

			assertThat(mailsOf(paying.number())).isEmpty();
			assertThat(noticeStatuses(paying.number())).containsExactly("EMAIL PENDING 1", "GA4 SENT 1");
			assertThat(
					fixtures.count(
							"SELECT count(*) FROM order_notice WHERE order_number = :number"
									+ " AND channel = 'EMAIL' AND due_at > now() + interval '10 seconds'",
							paying.number()))
				.as("the retry waits for its backoff")
				.isEqualTo(1);
		}
		finally {
			SmtpStub.proxy().start();
		}
		dispatcher.round().block(Duration.ofSeconds(30));
		assertThat(mailsOf(paying.number())).as("not due yet").isEmpty();

		// as if the backoff had passed
		fixtures.update("UPDATE order_notice SET due_at = now() WHERE order_number = :number AND channel = 'EMAIL'",
				paying.number());
		dispatcher.round().block(Duration.ofSeconds(30));
		dispatcher.round().block(Duration.ofSeconds(30));

		assertThat(mailsOf(paying.number())).hasSize(1);
		assertThat(noticeStatuses(paying.number())).containsExactly("EMAIL SENT 2", "GA4 SENT 1");
		assertThat(ga4RequestsOf(paying.number())).hasSize(1);
	}

	@Test
	void dueNoticesClaimedByConcurrentRoundsAreSentOnceEach() {
		List<Paying> orders = List.of(paid(5000), paid(6000), paid(7000), paid(8000), paid(9000), paid(10000));

		Mono.when(List.of(round(), round(), round(), round())).block(Duration.ofSeconds(60));

		for (Paying paying : orders) {
			assertThat(mailsOf(paying.number())).as(paying.number()).hasSize(1);
			assertThat(ga4RequestsOf(paying.number())).as(paying.number()).hasSize(1);
			assertThat(noticeStatuses(paying.number())).containsExactly("EMAIL SENT 1", "GA4 SENT 1");
		}
	}

	@Test
	void anOrderWithoutEmailSkipsTheEmailAndStillReportsThePurchase() {
		Paying paying = fixtures.payingOrder(5000);
		fixtures.update("UPDATE customer_order SET customer_email = NULL WHERE number = :number", paying.number());
		settle(paying);

		dispatcher.round().block(Duration.ofSeconds(30));

		assertThat(mailsOf(paying.number())).isEmpty();
		assertThat(noticeStatuses(paying.number())).containsExactly("EMAIL SKIPPED 1", "GA4 SENT 1");
		assertThat(fixtures.count("SELECT count(*) FROM order_notice WHERE order_number = :number"
				+ " AND channel = 'EMAIL' AND outcome = 'NO_CUSTOMER_EMAIL'", paying.number()))
			.isEqualTo(1);
	}

	@Test
	void anEmailWhoseSenderDiedMidSendIsNeverSentAgainWhileGa4IsReportedAgain() {
		Paying paying = paid(5000);
		// an instance claimed both notices ten minutes ago and died before any outcome
		fixtures.update("""
				UPDATE order_notice SET status = 'SENDING', attempts = 1, claimed_at = now() - interval '10 minutes'
				 WHERE order_number = :number
				""", paying.number());

		dispatcher.round().block(Duration.ofSeconds(30));
		dispatcher.round().block(Duration.ofSeconds(30));

		assertThat(mailsOf(paying.number())).isEmpty();
		assertThat(ga4RequestsOf(paying.number())).hasSize(1);
		assertThat(noticeStatuses(paying.number())).containsExactly("EMAIL UNKNOWN 1", "GA4 SENT 2");
	}

	@Test
	void aSettlementReplayedAfterTheNoticesWentAsksForNothingNew() {
		Paying paying = paid(5000);
		dispatcher.round().block(Duration.ofSeconds(30));

		settle(paying);
		dispatcher.round().block(Duration.ofSeconds(30));

		assertThat(mailsOf(paying.number())).hasSize(1);
		assertThat(ga4RequestsOf(paying.number())).hasSize(1);
		assertThat(noticeStatuses(paying.number())).containsExactly("EMAIL SENT 1", "GA4 SENT 1");
	}

	// --- helpers

	/** An order of one new SKU at this price, paid (settled as the webhook does). */
	private Paying paid(long price) {
		Paying paying = fixtures.payingOrder(price);
		settle(paying);
		return paying;
	}

	private void settle(Paying paying) {
		long charged = price(paying) / 5 * 5;
		fixtures.checkSays(paying.transactionId(), accepted(charged, "XOF"));
		assertThat(settlement.notified(paying.transactionId()).block(Duration.ofSeconds(30)))
			.isInstanceOfAny(Notification.Settled.class, Notification.AlreadySettled.class);
	}

	private long price(Paying paying) {
		return fixtures.count("SELECT total FROM customer_order WHERE number = :number", paying.number());
	}

	private double sent(String channel) {
		return meters.counter("shop.notices", "channel", channel, "outcome", "sent").count();
	}

	private Mono<Map<String, Long>> round() {
		return dispatcher.round().subscribeOn(Schedulers.parallel());
	}

	private String skuOf(String number) {
		return db
			.sql("SELECT l.sku_code FROM order_line l JOIN customer_order o ON o.id = l.order_id"
					+ " WHERE o.number = :number")
			.bind("number", number)
			.map(row -> row.get(0, String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private List<String> noticeStatuses(String number) {
		return db
			.sql("SELECT channel || ' ' || status || ' ' || attempts FROM order_notice"
					+ " WHERE order_number = :number ORDER BY channel")
			.bind("number", number)
			.map(row -> row.get(0, String.class))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	static List<MimeMessage> mailsOf(String number) {
		return java.util.Arrays.stream(SmtpStub.mail().getReceivedMessages()).filter(message -> {
			try {
				return message.getSubject() != null && message.getSubject().contains(number);
			}
			catch (jakarta.mail.MessagingException unreadable) {
				throw new IllegalStateException(unreadable);
			}
		}).toList();
	}

	static List<LoggedRequest> ga4RequestsOf(String number) {
		return Ga4Stub.server()
			.findAll(postRequestedFor(urlPathEqualTo("/mp/collect")))
			.stream()
			.filter(request -> request.getBodyAsString().contains("\"" + number + "\""))
			.toList();
	}

}
