package ci.monepiceriz.notification.mail;

import static ci.monepiceriz.notification.mail.FakeSmtpServer.OK;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import ci.monepiceriz.notification.SendOutcome;
import ci.monepiceriz.notification.domain.ConfirmationEmail;
import ci.monepiceriz.notification.mail.FakeSmtpServer.Close;
import ci.monepiceriz.notification.mail.FakeSmtpServer.Hang;
import ci.monepiceriz.notification.mail.FakeSmtpServer.Reply;
import jakarta.mail.internet.MimeMessage;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The SMTP adapter against GreenMail (a real server) and a server that misbehaves on cue:
 * which failures count as "certainly not sent" (worth a retry, or permanent) and which as
 * "unknown" (never resent).
 */
class SmtpConfirmationMailsTest {

	static final ConfirmationEmail EMAIL = new ConfirmationEmail("awa@example.ci",
			"Votre commande MER-20261124-0042 est confirmée",
			"Bonjour Awa Koné,\n\nMontant payé : 16\u00A0995 F CFA\n");

	static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

	GreenMail greenMail;

	@BeforeEach
	void startGreenMail() {
		greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		greenMail.start();
	}

	@AfterEach
	void stopGreenMail() {
		greenMail.stop();
	}

	@Test
	void aMessageTheServerTakesIsSentInUtf8OffTheEventLoop() throws Exception {
		SmtpConfirmationMails mails = mails(greenMail.getSmtp().getPort());

		// subscribed on a non-blocking thread: BlockHound fails any blocking call there
		SendOutcome outcome = Mono.defer(() -> mails.send(EMAIL))
			.subscribeOn(Schedulers.parallel())
			.block(Duration.ofSeconds(20));

		assertThat(outcome).isEqualTo(new SendOutcome.Sent());
		MimeMessage[] received = greenMail.getReceivedMessages();
		assertThat(received).hasSize(1);
		assertThat(received[0].getSubject()).isEqualTo(EMAIL.subject());
		assertThat(received[0].getFrom()[0].toString()).isEqualTo("MonEpice&Riz <commandes@monepiceriz.ci>");
		assertThat(received[0].getContentType()).containsIgnoringCase("charset=UTF-8");
		// SMTP carries lines ended by CRLF
		assertThat(((String) received[0].getContent()).replace("\r\n", "\n").strip()).isEqualTo(EMAIL.text().strip());
	}

	@Test
	void noServerListeningIsNotSentAndWorthAnotherTry() throws IOException {
		int closedPort;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = probe.getLocalPort();
		}

		SendOutcome outcome = send(mails(closedPort));

		assertThat(outcome).isInstanceOfSatisfying(SendOutcome.NotSent.class,
				notSent -> assertThat(notSent.permanent()).isFalse());
	}

	@Test
	void aRecipientRefusedFor5xxIsNotSentForGoodWithoutTheAddressInTheReason() throws IOException {
		try (FakeSmtpServer server = new FakeSmtpServer(new Reply("550 5.1.1 <awa@example.ci>: unknown user"), OK,
				OK)) {
			SendOutcome outcome = send(mails(server.port()));

			assertThat(outcome).isInstanceOfSatisfying(SendOutcome.NotSent.class, notSent -> {
				assertThat(notSent.permanent()).isTrue();
				assertThat(notSent.reason()).contains("550").doesNotContain("awa@example.ci");
			});
			assertThat(server.messageEnded()).isFalse();
		}
	}

	@Test
	void aRecipientDeferredFor4xxIsNotSentAndWorthAnotherTry() throws IOException {
		try (FakeSmtpServer server = new FakeSmtpServer(new Reply("451 4.3.0 try later"), OK, OK)) {
			assertThat(send(mails(server.port()))).isInstanceOfSatisfying(SendOutcome.NotSent.class,
					notSent -> assertThat(notSent.permanent()).isFalse());
		}
	}

	@Test
	void aConnectionLostBeforeTheMessageWasWrittenIsNotSent() throws IOException {
		try (FakeSmtpServer server = new FakeSmtpServer(OK, new Close(), OK)) {
			assertThat(send(mails(server.port()))).isInstanceOfSatisfying(SendOutcome.NotSent.class,
					notSent -> assertThat(notSent.permanent()).isFalse());
			assertThat(server.messageEnded()).isFalse();
		}
	}

	@Test
	void aMessageRefusedAtTheEndOfDataIsNotSentTransientOrPermanentByItsCode() throws IOException {
		try (FakeSmtpServer deferring = new FakeSmtpServer(OK, OK, new Reply("451 4.7.1 greylisted"));
				FakeSmtpServer rejecting = new FakeSmtpServer(OK, OK, new Reply("554 5.7.1 rejected as spam"))) {
			assertThat(send(mails(deferring.port()))).isInstanceOfSatisfying(SendOutcome.NotSent.class,
					notSent -> assertThat(notSent.permanent()).isFalse());
			assertThat(send(mails(rejecting.port()))).isInstanceOfSatisfying(SendOutcome.NotSent.class,
					notSent -> assertThat(notSent.permanent()).isTrue());
			assertThat(deferring.messageEnded()).isTrue();
		}
	}

	@Test
	void noReplyToTheEndOfDataIsUnknown() throws IOException {
		try (FakeSmtpServer dropping = new FakeSmtpServer(OK, OK, new Close());
				FakeSmtpServer silent = new FakeSmtpServer(OK, OK, new Hang())) {
			assertThat(send(mails(dropping.port()))).isInstanceOf(SendOutcome.Unknown.class);
			assertThat(send(mails(silent.port()))).isInstanceOf(SendOutcome.Unknown.class);
			assertThat(dropping.messageEnded()).isTrue();
			assertThat(silent.messageEnded()).isTrue();
		}
	}

	@Test
	void withoutAMailServerOrSwitchedOffItIsNotConfigured() {
		assertThat(
				new SmtpConfirmationMails(null, new EmailProperties(true, "shop@monepiceriz.ci"), CLOCK).configured())
			.isFalse();
		assertThat(new SmtpConfirmationMails(sender(25), new EmailProperties(false, "shop@monepiceriz.ci"), CLOCK)
			.configured()).isFalse();
		JavaMailSenderImpl noHost = sender(25);
		noHost.setHost("");
		assertThat(
				new SmtpConfirmationMails(noHost, new EmailProperties(true, "shop@monepiceriz.ci"), CLOCK).configured())
			.isFalse();
		assertThat(new SmtpConfirmationMails(sender(25), new EmailProperties(true, "shop@monepiceriz.ci"), CLOCK)
			.configured()).isTrue();
	}

	private static SendOutcome send(SmtpConfirmationMails mails) {
		return mails.send(EMAIL).block(Duration.ofSeconds(20));
	}

	private static SmtpConfirmationMails mails(int port) {
		return new SmtpConfirmationMails(sender(port),
				new EmailProperties(true, "MonEpice&Riz <commandes@monepiceriz.ci>"), CLOCK);
	}

	private static JavaMailSenderImpl sender(int port) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(port);
		Properties properties = new Properties();
		properties.put("mail.smtp.connectiontimeout", "1000");
		properties.put("mail.smtp.timeout", "1000");
		properties.put("mail.smtp.writetimeout", "1000");
		sender.setJavaMailProperties(properties);
		return sender;
	}

}
