package ci.monepiceriz.cart.domain;

import java.util.List;

/**
 * A cart as checkout sees it.
 *
 * @param id the cart's id (the order keeps it)
 * @param ordered true when an order was already placed from it
 * @param lines its lines in the order they were added
 */
public record CheckoutCart(long id, boolean ordered, List<Line> lines) {

	/** One line: {@code quantity} for a UNIT SKU, {@code grams} for a WEIGHT SKU. */
	public record Line(long skuId, String skuCode, Integer quantity, Integer grams) {
	}

}
