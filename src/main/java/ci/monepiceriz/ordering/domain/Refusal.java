package ci.monepiceriz.ordering.domain;

import java.util.List;

import ci.monepiceriz.delivery.domain.QuoteOutcome;

/**
 * Why an order was not placed. Nothing was written: no stock reserved, no number taken,
 * no key remembered.
 */
public sealed interface Refusal permits Refusal.CartNotFound, Refusal.CartAlreadyOrdered, Refusal.EmptyCart,
		Refusal.LinesUnservable, Refusal.BelowDeliveryMinimum, Refusal.DeliveryUnavailable {

	/** The cart token is unknown, or the cart expired. */
	record CartNotFound() implements Refusal {
	}

	/** An order was already placed from this cart (with another idempotency key). */
	record CartAlreadyOrdered() implements Refusal {
	}

	record EmptyCart() implements Refusal {
	}

	/** Lines that cannot be served as they are; the order needs all of them. */
	record LinesUnservable(List<Unservable> lines) implements Refusal {
	}

	/** Delivery needs a subtotal of at least {@code minimum}. */
	record BelowDeliveryMinimum(long minimum, long subtotal) implements Refusal {
	}

	/**
	 * No delivery to this destination now: not served there, or the provider cannot quote
	 * (and the shop does not fall back to its flat fee).
	 */
	record DeliveryUnavailable(QuoteOutcome.Reason reason) implements Refusal {
	}

	/**
	 * One line that cannot be served: {@code available} is the stock left (units or
	 * grams; 0 when the SKU is no longer sold), or the amount is no longer a valid one
	 * for the SKU ({@code invalidAmount}).
	 */
	record Unservable(String skuCode, long requested, long available, boolean invalidAmount) {
	}

}
