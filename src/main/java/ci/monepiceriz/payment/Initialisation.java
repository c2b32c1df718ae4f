package ci.monepiceriz.payment;

/** What became of a request to open a payment on the provider's checkout. */
public sealed interface Initialisation
		permits Initialisation.Initialised, Initialisation.Refused, Initialisation.ProviderUnavailable {

	/**
	 * The payment is open: send the payer to {@code paymentUrl}. {@code paymentToken} can
	 * stand for the transaction id in a check.
	 */
	record Initialised(String transactionId, String paymentToken, String paymentUrl) implements Initialisation {
	}

	/**
	 * The provider answered but opened nothing (bad credentials, missing fields, a reused
	 * transaction id, an answer we cannot read), with its code and message as given.
	 */
	record Refused(String transactionId, String code, String message, String description) implements Initialisation {
	}

	/**
	 * No answer came in time, the provider failed (5xx), or the circuit breaker is open.
	 * The payment may or may not exist at the provider: never reuse the transaction id.
	 */
	record ProviderUnavailable(String transactionId, String reason) implements Initialisation {
	}

}
