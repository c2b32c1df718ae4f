package ci.monepiceriz.delivery.yango;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;

import ci.monepiceriz.delivery.StaffAlerts;
import ci.monepiceriz.delivery.persistence.R2dbcClaims;
import ci.monepiceriz.delivery.yango.YangoFixtures.Placed;
import ci.monepiceriz.notification.NoticeDispatcher;
import ci.monepiceriz.shared.persistence.Transactions;
import ci.monepiceriz.support.SmtpStub;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * A courier booking that becomes a PROBLEM e-mails the staff, once: the real booking job
 * against the Yango stubs (no courier after every try), the {@code STAFF} notice written
 * with the settle, then the notice dispatcher's round to the test SMTP server
 * (GreenMail). The same Yango settings as {@code YangoClaimsIT}, plus the staff's
 * addresses; {@code YangoClaimsIT.anAddressYangoRefusesIsAProblemAtOnce} is the same
 * without them.
 */
@YangoClaimsTest
@TestPropertySource(properties = "shop.notification.staff-email=livraisons@monepiceriz.ci, gerant@monepiceriz.ci")
class StaffAlertsIT extends YangoClaimsTestBase {

	@Autowired
	ClaimStatuses statuses;

	@Autowired
	StaffAlerts staffAlerts;

	@Autowired
	Transactions transactions;

	@Autowired
	NoticeDispatcher dispatcher;

	@Test
	void noCourierAfterEveryTryEmailsTheStaffOnceWithTheOrderAndTheProblem() throws Exception {
		Placed order = fixtures.readyOrder(ordering, -3.961);

		fixtures.book(booking, order.number());

		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("PROBLEM");
		assertThat(staffNotices(order.number())).containsExactly("STAFF PENDING 0");
		assertThat(problemOf(order.number())).contains("performer_not_found");

		dispatcher.round().block(Duration.ofSeconds(30));

		List<MimeMessage> mails = staffMailsOf(order.number());
		// GreenMail keeps one copy per recipient's mailbox: one message, two mailboxes
		assertThat(mails).hasSize(2);
		assertThat(mails.stream().map(StaffAlertsIT::messageId).distinct()).hasSize(1);
		MimeMessage mail = mails.get(0);
		assertThat(mail.getSubject()).isEqualTo("Livraison à traiter : commande " + order.number());
		assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
			.containsExactly("livraisons@monepiceriz.ci", "gerant@monepiceriz.ci");
		assertThat(mail.getFrom()[0].toString()).contains("commandes@monepiceriz.ci");
		assertThat(mail.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("UTF-8");
		long total = fixtures.count("SELECT total FROM customer_order WHERE number = '" + order.number() + "'");
		assertThat(((String) mail.getContent()).replace('\u00A0', ' ')).contains("Commande : " + order.number())
			.contains("Problème : aucun coursier trouvé")
			.contains("Raison donnée par Yango : yango:performer_not_found")
			.contains("Client : Koffi Yao")
			.contains("Téléphone du client : ")
			.contains("Adresse de livraison : Cocody, Abidjan")
			.contains("Total de la commande : " + String.format("%,d", total).replace(',', ' ') + " F CFA")
			.contains("livrer la commande autrement")
			.contains("contacter le client");
		assertThat(staffNotices(order.number())).containsExactly("STAFF SENT 1");

		// the problem again (a replayed status, a late callback): the booking is settled,
		// so nothing is asked; and asking the port again writes nothing either
		Map<String, Object> claim = fixtures.claimRow(order.number());
		long id = fixtures.count("SELECT id FROM delivery_claim WHERE order_number = '" + order.number() + "'");
		Instant now = Instant.now();
		transactions.inTransaction(statuses.problem(new R2dbcClaims.Applied(id, order.number(), R2dbcClaims.BOOKING,
				(String) claim.get("request_id"), (String) claim.get("claim_id"), (Integer) claim.get("tries")),
				"yango:cancelled", now, now))
			.block(Duration.ofSeconds(10));
		transactions.inTransaction(staffAlerts.deliveryProblem(order.number(), "yango:returned", now))
			.block(Duration.ofSeconds(10));
		dispatcher.round().block(Duration.ofSeconds(30));

		assertThat(staffNotices(order.number())).containsExactly("STAFF SENT 1");
		assertThat(problemOf(order.number())).contains("performer_not_found");
		assertThat(staffMailsOf(order.number())).hasSize(2);
		assertThat(fixtures.facts(order.number()).stream().filter("PROBLEM"::equals)).hasSize(1);
	}

	@Test
	void anAddressYangoRefusesEmailsTheStaffToo() {
		Placed order = fixtures.readyOrder(ordering, -3.954);

		fixtures.book(booking, order.number());
		dispatcher.round().block(Duration.ofSeconds(30));

		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("PROBLEM");
		assertThat(staffNotices(order.number())).containsExactly("STAFF SENT 1");
		assertThat(staffMailsOf(order.number())).hasSize(2);
	}

	// --- helpers

	private List<String> staffNotices(String number) {
		return staffNotices(db, number);
	}

	static List<String> staffNotices(DatabaseClient db, String number) {
		return db
			.sql("SELECT channel || ' ' || status || ' ' || attempts FROM order_notice"
					+ " WHERE order_number = :number ORDER BY channel")
			.bind("number", number)
			.map(row -> row.get(0, String.class))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	private String problemOf(String number) {
		return db.sql("SELECT problem FROM order_notice WHERE order_number = :number AND channel = 'STAFF'")
			.bind("number", number)
			.map(row -> row.get(0, String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	static List<MimeMessage> staffMailsOf(String number) {
		return Arrays.stream(SmtpStub.mail().getReceivedMessages()).filter(message -> {
			try {
				return message.getSubject() != null && message.getSubject().startsWith("Livraison à traiter")
						&& message.getSubject().contains(number);
			}
			catch (MessagingException unreadable) {
				throw new IllegalStateException(unreadable);
			}
		}).toList();
	}

	private static String messageId(MimeMessage message) {
		try {
			return message.getMessageID();
		}
		catch (MessagingException unreadable) {
			throw new IllegalStateException(unreadable);
		}
	}

}
