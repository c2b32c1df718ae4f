package ci.monepiceriz.delivery.domain;

/**
 * What pricing a delivery gave: a quote, or no delivery possible at this destination now.
 */
public sealed interface QuoteOutcome permits QuoteOutcome.Quoted, QuoteOutcome.NotDeliverable {

	/** A fee and time the shop will charge. */
	record Quoted(DeliveryQuote quote) implements QuoteOutcome {
	}

	/**
	 * No delivery: the destination is not served ({@code NOT_SERVED}: outside the
	 * provider's zone, no route, address unknown) or the provider cannot be asked now
	 * ({@code PROVIDER_UNAVAILABLE}), and the shop is configured not to fall back to its
	 * flat fee.
	 */
	record NotDeliverable(Reason reason) implements QuoteOutcome {
	}

	enum Reason {

		NOT_SERVED, PROVIDER_UNAVAILABLE

	}

}
