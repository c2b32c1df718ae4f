package ci.monepiceriz.cart.domain;

import ci.monepiceriz.catalog.domain.SkuOffer;

/**
 * The outcome of setting or removing a cart line: the cart as it is now, or why nothing
 * changed.
 */
public sealed interface LineChange
		permits LineChange.Changed, LineChange.CartNotFound, LineChange.AlreadyOrdered, LineChange.UnknownSku,
		LineChange.UnavailableSku, LineChange.InvalidAmount, LineChange.InsufficientStock, LineChange.CartFull {

	/** Done: the cart after the change, repriced. */
	record Changed(CartView cart) implements LineChange {
	}

	/** No cart has this token, or it expired. */
	record CartNotFound() implements LineChange {
	}

	/** An order was placed from the cart: it takes no more changes. */
	record AlreadyOrdered() implements LineChange {
	}

	/** No SKU has this code. */
	record UnknownSku(String code) implements LineChange {
	}

	/** The SKU, or its product, is no longer sold. */
	record UnavailableSku(SkuOffer offer) implements LineChange {
	}

	/** The amount does not fit the SKU's rules ({@link SkuOffer#check}). */
	record InvalidAmount(SkuOffer offer, SkuOffer.AmountCheck check, LineAmount amount) implements LineChange {
	}

	/**
	 * More than the SKU's current stock ({@code offer.stock()}, units or grams) was
	 * asked.
	 */
	record InsufficientStock(SkuOffer offer, long requested) implements LineChange {
	}

	/** The cart already holds the most distinct lines allowed. */
	record CartFull(int maxLines) implements LineChange {
	}

}
