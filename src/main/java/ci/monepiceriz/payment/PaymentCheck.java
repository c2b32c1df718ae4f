package ci.monepiceriz.payment;

/**
 * The provider's status of one transaction. Only {@link Accepted} and {@link Refused} are
 * final; everything else means "ask again later".
 */
public sealed interface PaymentCheck permits PaymentCheck.Accepted, PaymentCheck.Refused, PaymentCheck.Pending,
		PaymentCheck.Unknown, PaymentCheck.ProviderUnavailable {

	/**
	 * Paid, as far as the provider says ({@code code "00"} and status {@code ACCEPTED}),
	 * with an amount and a currency. Settlement must still compare them with what we
	 * asked: see {@link #matches}.
	 */
	record Accepted(ProviderTransaction transaction) implements PaymentCheck {

		public Accepted {
			if (transaction.amount().isEmpty() || transaction.currency().isBlank()) {
				throw new IllegalArgumentException("an accepted payment has an amount and a currency");
			}
		}

		public long amount() {
			return transaction.amount().getAsLong();
		}

		/**
		 * cinetpay.md's rule: paid only when the transaction, the amount and the currency
		 * are those we stored.
		 */
		public boolean matches(String transactionId, long amount, String currency) {
			return transaction.transactionId().equals(transactionId) && amount() == amount
					&& transaction.currency().equals(currency);
		}

	}

	/** Refused or cancelled (status {@code REFUSED}): final. */
	record Refused(ProviderTransaction transaction) implements PaymentCheck {
	}

	/** Waiting for the payer (OTP, push confirmation, payment at the operator). */
	record Pending(ProviderTransaction transaction) implements PaymentCheck {
	}

	/**
	 * An answer that is neither final nor a known waiting state (an error code, a status
	 * we do not know, an unreadable body): not final, ask again later.
	 */
	record Unknown(String transactionId, String code, String message) implements PaymentCheck {
	}

	/**
	 * No usable answer after the bounded retries (timeouts, 5xx, connection failures), or
	 * the circuit breaker is open: an HTTP edge answers 503.
	 */
	record ProviderUnavailable(String transactionId, String reason) implements PaymentCheck {
	}

}
