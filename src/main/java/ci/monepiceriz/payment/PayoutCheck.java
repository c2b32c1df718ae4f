package ci.monepiceriz.payment;

/**
 * The provider's status of one payout ({@link PaymentProvider#checkPayout}). Only
 * {@link PaidOut} and {@link Rejected} are final.
 */
public sealed interface PayoutCheck permits PayoutCheck.PaidOut, PayoutCheck.Rejected, PayoutCheck.InProgress,
		PayoutCheck.NotFound, PayoutCheck.Unknown, PayoutCheck.ProviderUnavailable {

	/**
	 * The money reached the recipient (CinetPay: {@code VAL}).
	 *
	 * @param operatorReference the mobile-money operator's reference, blank if not given
	 */
	record PaidOut(String payoutId, String providerReference, String operatorReference) implements PayoutCheck {
	}

	/** The provider or the operator rejected the transfer (CinetPay: {@code REJ}). */
	record Rejected(String payoutId, String status, String comment) implements PayoutCheck {
	}

	/** Waiting or being processed (CinetPay: {@code NEW}, {@code REC}, {@code NOS}). */
	record InProgress(String payoutId, String status) implements PayoutCheck {
	}

	/** The provider has no payout with this id: it was never received. */
	record NotFound(String payoutId) implements PayoutCheck {
	}

	/**
	 * An answer that says nothing final nor waiting (an error code, a status we do not
	 * know).
	 */
	record Unknown(String payoutId, String code, String message) implements PayoutCheck {
	}

	/** No usable answer after the bounded retries, or the circuit is open. */
	record ProviderUnavailable(String payoutId, String reason) implements PayoutCheck {
	}

}
