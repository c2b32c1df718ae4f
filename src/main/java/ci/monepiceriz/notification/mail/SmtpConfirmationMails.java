package ci.monepiceriz.notification.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.regex.Pattern;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

import ci.monepiceriz.notification.ConfirmationMails;
import ci.monepiceriz.notification.SendOutcome;
import ci.monepiceriz.notification.domain.ConfirmationEmail;
import ci.monepiceriz.notification.domain.StaffAlertEmail;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Confirmation e-mails and staff alerts over SMTP, with the server, credentials and
 * timeouts Spring Boot configures ({@code spring.mail.*}, a {@link JavaMailSenderImpl}).
 * Jakarta Mail blocks: every send runs on {@code boundedElastic}, never on an event loop.
 * <p>
 * The transport is driven here rather than through {@code JavaMailSender.send}, which
 * reports every failure alike, because the dispatcher must know whether a message
 * certainly did not go. The rule:
 * <ul>
 * <li>connecting or authenticating fails → not sent (nothing was handed over);</li>
 * <li>sending fails before the whole message was written (MAIL FROM, RCPT TO or DATA
 * refused, connection lost) → not sent: a server delivers nothing without the end of
 * data;</li>
 * <li>after the whole message was written, a 4xx or 5xx reply to the end of data → not
 * sent (the server refused it);</li>
 * <li>after it, no reply (timeout, connection lost, a reply that is not one) → unknown:
 * the server may have taken it.</li>
 * </ul>
 * A 5xx reply is permanent (an address refused, a message rejected); a 4xx one or a
 * connection failure is worth another try. Addresses never appear in what is logged or
 * stored.
 */
public class SmtpConfirmationMails implements ConfirmationMails {

	private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\"'(),;:]+@[^\\s<>\"'(),;:]+");

	private final JavaMailSenderImpl sender;

	private final EmailProperties properties;

	private final Clock clock;

	/** {@code sender} null: no mail server configured. */
	public SmtpConfirmationMails(JavaMailSenderImpl sender, EmailProperties properties, Clock clock) {
		this.sender = sender;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public boolean configured() {
		return properties.enabled() && serverConfigured();
	}

	@Override
	public boolean serverConfigured() {
		// an empty spring.mail.host still makes Spring Boot create a sender
		return sender != null && sender.getHost() != null && !sender.getHost().isBlank();
	}

	@Override
	public Mono<SendOutcome> send(ConfirmationEmail email) {
		if (!configured()) {
			return Mono.just(new SendOutcome.NotSent("no mail server configured", true));
		}
		return Mono.fromCallable(() -> sendNow(new String[] { email.to() }, email.subject(), email.text()))
			.subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Mono<SendOutcome> sendStaffAlert(StaffAlertEmail email) {
		if (!serverConfigured()) {
			return Mono.just(new SendOutcome.NotSent("no mail server configured", true));
		}
		return Mono.fromCallable(() -> sendNow(email.to().toArray(String[]::new), email.subject(), email.text()))
			.subscribeOn(Schedulers.boundedElastic());
	}

	private SendOutcome sendNow(String[] to, String subject, String text) {
		Session session = sender.getSession();
		TrackedMessage message = new TrackedMessage(session);
		try {
			MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
			helper.setFrom(properties.from());
			helper.setTo(to);
			helper.setSubject(subject);
			helper.setText(text, false);
			helper.setSentDate(Date.from(clock.instant()));
			message.saveChanges();
		}
		catch (MessagingException | RuntimeException unwritable) {
			// an address the message cannot carry: trying again cannot help
			return new SendOutcome.NotSent("message not built: " + describe(unwritable), true);
		}
		Transport transport;
		try {
			transport = session.getTransport(sender.getProtocol() == null ? "smtp" : sender.getProtocol());
			transport.connect(sender.getHost(), sender.getPort(), blankAsNull(sender.getUsername()),
					blankAsNull(sender.getPassword()));
		}
		catch (MessagingException | RuntimeException unreachable) {
			return new SendOutcome.NotSent("no connection to the mail server: " + describe(unreachable), false);
		}
		try {
			transport.sendMessage(message, message.getAllRecipients());
			return new SendOutcome.Sent();
		}
		catch (MessagingException | RuntimeException failure) {
			return classify(failure, message.contentWritten());
		}
		finally {
			close(transport);
		}
	}

	/** The rule above, for a failure of the send itself. */
	static SendOutcome classify(Exception failure, boolean contentWritten) {
		int reply = replyCode(failure);
		String reason = describe(failure);
		if (!contentWritten) {
			return new SendOutcome.NotSent("refused before the end of the message: " + reason, isPermanent(reply));
		}
		if (reply >= 400 && reply < 600) {
			return new SendOutcome.NotSent("refused at the end of the message: " + reason, isPermanent(reply));
		}
		return new SendOutcome.Unknown("no reply to the end of the message: " + reason);
	}

	private static boolean isPermanent(int reply) {
		return reply >= 500 && reply < 600;
	}

	/** The SMTP reply code carried by the failure or one it wraps; -1 if none. */
	private static int replyCode(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = next(cause)) {
			if (cause instanceof SMTPSendFailedException sendFailed) {
				return sendFailed.getReturnCode();
			}
			if (cause instanceof SMTPAddressFailedException addressFailed) {
				return addressFailed.getReturnCode();
			}
			if (cause instanceof SMTPSenderFailedException senderFailed) {
				return senderFailed.getReturnCode();
			}
		}
		return -1;
	}

	private static Throwable next(Throwable failure) {
		if (failure instanceof MessagingException messaging && messaging.getNextException() != null) {
			return messaging.getNextException() == failure ? null : messaging.getNextException();
		}
		return failure.getCause() == failure ? null : failure.getCause();
	}

	/** The failure and its causes, addresses masked. */
	static String describe(Throwable failure) {
		StringBuilder text = new StringBuilder();
		int depth = 0;
		for (Throwable cause = failure; cause != null && depth < 4; cause = next(cause), depth++) {
			if (depth > 0) {
				text.append(" <- ");
			}
			text.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				text.append(": ").append(cause.getMessage().strip());
			}
		}
		return ADDRESS.matcher(text).replaceAll("<address>");
	}

	private static String blankAsNull(String value) {
		return value == null || value.isBlank() ? null : value;
	}

	private static void close(Transport transport) {
		try {
			transport.close();
		}
		catch (MessagingException | RuntimeException ignored) {
			// the outcome is known already; QUIT failing changes nothing
		}
	}

	/**
	 * Knows whether its content was written out whole: after that, only the end-of-data
	 * line was left to send.
	 */
	static final class TrackedMessage extends MimeMessage {

		private volatile boolean contentWritten;

		TrackedMessage(Session session) {
			super(session);
		}

		@Override
		public void writeTo(OutputStream out, String[] ignoreList) throws IOException, MessagingException {
			super.writeTo(out, ignoreList);
			contentWritten = true;
		}

		boolean contentWritten() {
			return contentWritten;
		}

	}

}
