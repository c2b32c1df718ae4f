package ci.monepiceriz.payment;

/** What became of a request to open a payment on the provider's checkout. */
public sealed interface Initialisation
		permits Initialisation.Initialised, Initialisation.Refused, Initialisation.ProviderUnavailable {

	/**
	 * The payment is open: send the payer to {@code paymentUrl}. {@code paymentToken} can
	 * stand for the transaction id in a check. {@code notificationKey} is what must be
	 * stored to verify this transaction's notifications later (the new API: the SHA-256,
	 * lowercase hex, of its per-transaction {@code notify_token}, which itself is never
	 * kept); empty when notifications are verified otherwise (legacy v2: the merchant's
	 * Secret Key).
	 */
	record Initialised(String transactionId, String paymentToken, String paymentUrl,
			String notificationKey) implements Initialisation {

		public Initialised {
			notificationKey = notificationKey == null ? "" : notificationKey;
		}

		/** Opened by an API whose notifications need nothing stored (legacy v2). */
		public Initialised(String transactionId, String paymentToken, String paymentUrl) {
			this(transactionId, paymentToken, paymentUrl, "");
		}

		/** The token and the key are secrets: not shown. */
		@Override
		public String toString() {
			return "Initialised[transactionId=" + transactionId + ", paymentUrl=" + paymentUrl + ", notificationKey="
					+ (notificationKey.isEmpty() ? "<none>" : "<set>") + "]";
		}

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
