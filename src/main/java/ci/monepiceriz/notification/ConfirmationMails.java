package ci.monepiceriz.notification;

import ci.monepiceriz.notification.domain.ConfirmationEmail;
import ci.monepiceriz.notification.domain.StaffAlertEmail;
import reactor.core.publisher.Mono;

/**
 * The port the e-mails go through (SMTP in {@code mail}): the customers' confirmations
 * and the staff's alerts.
 */
public interface ConfirmationMails {

	/**
	 * Whether confirmation e-mails can be sent at all (they are enabled and a mail server
	 * is configured).
	 */
	boolean configured();

	/**
	 * Whether a mail server is configured: staff alerts need only that (the confirmation
	 * e-mails' switch is about customers).
	 */
	boolean serverConfigured();

	/**
	 * Sends one e-mail, once: never retried here (the dispatcher decides), never on an
	 * event loop.
	 */
	Mono<SendOutcome> send(ConfirmationEmail email);

	/** Sends one staff alert, once, by the same rules as {@link #send}. */
	Mono<SendOutcome> sendStaffAlert(StaffAlertEmail email);

}
