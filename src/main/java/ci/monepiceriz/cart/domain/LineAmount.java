package ci.monepiceriz.cart.domain;

/**
 * What a shopper asks of one SKU: {@code quantity} for a UNIT SKU, {@code grams} for a
 * WEIGHT SKU. Either may be missing or both present as sent; the SKU's rules decide
 * ({@link ci.monepiceriz.catalog.domain.SkuOffer#check}).
 */
public record LineAmount(Integer quantity, Integer grams) {

	public static final LineAmount NONE = new LineAmount(null, null);

}
