package ci.monepiceriz.ordering;

import ci.monepiceriz.ordering.domain.Refusal;

/** What became of a request to place an order. */
public sealed interface PlaceOutcome permits PlaceOutcome.Answered, PlaceOutcome.Refused, PlaceOutcome.KeyReused {

	/**
	 * The order was placed by this request ({@code replayed} false) or by an earlier one
	 * with the same idempotency key and request ({@code replayed} true): answer this.
	 */
	record Answered(int status, byte[] body, boolean replayed) implements PlaceOutcome {
	}

	/** Nothing was placed, for this reason; nothing was written. */
	record Refused(Refusal refusal) implements PlaceOutcome {
	}

	/** The idempotency key was already used for another request. */
	record KeyReused() implements PlaceOutcome {
	}

}
