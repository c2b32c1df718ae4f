package ci.monepiceriz.cart.domain;

import ci.monepiceriz.delivery.domain.QuoteOutcome;

/** What asking a delivery quote for a cart gave. */
public sealed interface CartQuoting permits CartQuoting.Quoted, CartQuoting.NotDeliverable, CartQuoting.AlreadyOrdered {

	/** A fee, kept with the cart until its {@code validUntil}. */
	record Quoted(CartQuote quote) implements CartQuoting {
	}

	/**
	 * No delivery to this destination now: nothing kept, and the cart's earlier quote
	 * forgotten.
	 */
	record NotDeliverable(QuoteOutcome.Reason reason) implements CartQuoting {
	}

	/** The cart was ordered: it gives no other order, so it is not quoted. */
	record AlreadyOrdered() implements CartQuoting {
	}

}
