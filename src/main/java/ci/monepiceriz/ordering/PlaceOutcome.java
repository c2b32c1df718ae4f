package ci.monepiceriz.ordering;

import java.util.Optional;

import ci.monepiceriz.ordering.domain.Refusal;

/** What became of a request to place an order. */
public sealed interface PlaceOutcome permits PlaceOutcome.Answered, PlaceOutcome.Refused, PlaceOutcome.KeyReused {

	/**
	 * The order was placed by this request ({@code number} given) or by an earlier one
	 * with the same idempotency key and request (a replay: {@code number} empty, the body
	 * holds it): answer this.
	 */
	record Answered(int status, byte[] body, Optional<String> number) implements PlaceOutcome {

		public boolean replayed() {
			return number.isEmpty();
		}

	}

	/** Nothing was placed, for this reason; nothing was written. */
	record Refused(Refusal refusal) implements PlaceOutcome {
	}

	/** The idempotency key was already used for another request. */
	record KeyReused() implements PlaceOutcome {
	}

}
