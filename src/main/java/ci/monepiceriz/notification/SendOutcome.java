package ci.monepiceriz.notification;

/**
 * What became of one send through a channel's adapter. Failures are outcomes, never
 * errors, and each says whether the message certainly did not go, which decides whether
 * it may be sent again.
 */
public sealed interface SendOutcome permits SendOutcome.Sent, SendOutcome.NotSent, SendOutcome.Unknown {

	/** The server took the message (SMTP 250 to the end of data; HTTP 2xx). */
	record Sent() implements SendOutcome {
	}

	/**
	 * The message certainly did not go: no connection, or the server said no before or at
	 * the end of the message. {@code permanent} when trying again cannot help (an SMTP
	 * 5xx reply, an HTTP 4xx other than 429).
	 */
	record NotSent(String reason, boolean permanent) implements SendOutcome {
	}

	/**
	 * The message may or may not have gone: it was handed over but no answer came (a
	 * timeout, a connection lost after the end of the message).
	 */
	record Unknown(String reason) implements SendOutcome {
	}

}
