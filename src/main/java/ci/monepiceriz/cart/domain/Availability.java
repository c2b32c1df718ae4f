package ci.monepiceriz.cart.domain;

/** Whether a cart line can be served as it is, from the SKU's current data. */
public enum Availability {

	/** In stock for the whole amount. */
	AVAILABLE,
	/** In stock, but less than the line asks: {@code availableStock} says how much. */
	REDUCED_STOCK,
	/** No stock left. */
	OUT_OF_STOCK,
	/**
	 * No longer sold (SKU or product deactivated), or the amount no longer fits the SKU's
	 * rules (staff changed its step or bounds): the shopper must set the line again.
	 */
	UNAVAILABLE

}
