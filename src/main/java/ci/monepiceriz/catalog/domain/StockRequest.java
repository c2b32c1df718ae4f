package ci.monepiceriz.catalog.domain;

/**
 * Stock to take or give back for one SKU: units for UNIT SKUs, grams for WEIGHT SKUs.
 */
public record StockRequest(long skuId, long amount) {

	public StockRequest {
		if (amount <= 0) {
			throw new IllegalArgumentException("stock amount must be positive: " + amount);
		}
	}

}
