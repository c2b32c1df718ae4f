package ci.monepiceriz.cart.domain;

import ci.monepiceriz.delivery.domain.QuoteOutcome;

/** What asking a delivery quote for a cart gave. */
public sealed interface CartQuoting permits CartQuoting.Quoted, CartQuoting.NotDeliverable {

	/** A fee, kept with the cart until its {@code validUntil}. */
	record Quoted(CartQuote quote) implements CartQuoting {
	}

	/** No delivery to this destination now (nothing kept). */
	record NotDeliverable(QuoteOutcome.Reason reason) implements CartQuoting {
	}

}
