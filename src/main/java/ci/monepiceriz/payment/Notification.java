package ci.monepiceriz.payment;

/**
 * What became of a (verified) payment notification. Every outcome but
 * {@link ProviderUnavailable} is answered 200, so CinetPay stops sending it.
 */
public sealed interface Notification permits Notification.UnknownTransaction, Notification.Settled,
		Notification.AlreadySettled, Notification.RefundRequired, Notification.Mismatch, Notification.Refused,
		Notification.StillPending, Notification.ProviderUnavailable, Notification.Expired {

	/** No attempt of ours has this transaction id: nothing to do. */
	record UnknownTransaction(String transactionId) implements Notification {
	}

	/** The order is now CONFIRMED and PAID. */
	record Settled(String orderNumber, String transactionId) implements Notification {
	}

	/** The attempt had already succeeded: a replay, nothing changed. */
	record AlreadySettled(String transactionId) implements Notification {
	}

	/** Paid, but the order could not take it: recorded and flagged for a refund. */
	record RefundRequired(String orderNumber, String transactionId, String why) implements Notification {
	}

	/** CinetPay accepted another amount, currency or transaction: not paid, flagged. */
	record Mismatch(String transactionId, String what) implements Notification {
	}

	/** Refused by the provider: the attempt is FAILED (unless it had succeeded). */
	record Refused(String transactionId) implements Notification {
	}

	/** Not final yet (pending or unknown answer): nothing changed. */
	record StillPending(String transactionId) implements Notification {
	}

	/** The check call gave no answer: nothing changed, CinetPay must retry. */
	record ProviderUnavailable(String transactionId) implements Notification {
	}

	/**
	 * Reconciliation only: still pending at the provider long after the order's window,
	 * whose order can no longer be paid: the attempt is EXPIRED (a later success is still
	 * recorded, and flagged for refund).
	 */
	record Expired(String orderNumber, String transactionId) implements Notification {
	}

}
