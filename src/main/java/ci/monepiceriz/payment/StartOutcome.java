package ci.monepiceriz.payment;

import ci.monepiceriz.ordering.PayableOrder;

/** What became of a request to start paying an order. */
public sealed interface StartOutcome
		permits StartOutcome.Answered, StartOutcome.OrderNotFound, StartOutcome.NotPayable, StartOutcome.BelowMinimum,
		StartOutcome.Starting, StartOutcome.KeyReused, StartOutcome.ProviderUnavailable, StartOutcome.ProviderRefused {

	/**
	 * Answer this: {@code 201} with a new attempt, {@code 200} with the order's open one,
	 * or the first answer again for a replayed idempotency key ({@code replayed}).
	 */
	record Answered(int status, byte[] body, boolean replayed) implements StartOutcome {
	}

	/** No order of this number with this access token; nothing written. */
	record OrderNotFound() implements StartOutcome {
	}

	/**
	 * The order cannot be paid (not PENDING, already paid, window closed); nothing
	 * written.
	 */
	record NotPayable(PayableOrder.Payability why) implements StartOutcome {
	}

	/** The amount due is below what the provider can charge; nothing written. */
	record BelowMinimum(long due, long minimum) implements StartOutcome {
	}

	/**
	 * Another request is opening this order's payment right now (or this key's first
	 * request is still in flight): ask again in a moment.
	 */
	record Starting() implements StartOutcome {
	}

	/** The idempotency key was already used for another request. */
	record KeyReused() implements StartOutcome {
	}

	/**
	 * The provider did not answer: the attempt is FAILED (never reused), the key
	 * forgotten; a retry starts a new attempt with a new transaction id.
	 */
	record ProviderUnavailable() implements StartOutcome {
	}

	/**
	 * The provider refused to open the payment: the attempt is FAILED, the key forgotten.
	 */
	record ProviderRefused(String code) implements StartOutcome {
	}

}
