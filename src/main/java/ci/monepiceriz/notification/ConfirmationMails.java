package ci.monepiceriz.notification;

import ci.monepiceriz.notification.domain.ConfirmationEmail;
import reactor.core.publisher.Mono;

/** The port the confirmation e-mails go through (SMTP in {@code mail}). */
public interface ConfirmationMails {

	/** Whether e-mails can be sent at all (a mail server is configured). */
	boolean configured();

	/**
	 * Sends one e-mail, once: never retried here (the dispatcher decides), never on an
	 * event loop.
	 */
	Mono<SendOutcome> send(ConfirmationEmail email);

}
