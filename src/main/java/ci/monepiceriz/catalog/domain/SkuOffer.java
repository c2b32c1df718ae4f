package ci.monepiceriz.catalog.domain;

import ci.monepiceriz.shared.Money;

/**
 * A SKU as a cart or an order sees it: its current price and stock, read from the
 * database (never from a cache). UNIT offers carry {@code unitPrice}; WEIGHT offers carry
 * {@code pricePerKg} and the step and bounds in grams. {@code available} is false when
 * the SKU or its product is no longer sold.
 */
public record SkuOffer(long skuId, String code, String productSlug, String productName, String label, SaleType saleType,
		Long unitPrice, Long pricePerKg, Integer stepGrams, Integer minGrams, Integer maxGrams, long stock,
		boolean available, String imageUrl) {

	/** Why an amount cannot be ordered of this SKU, or {@code OK}. */
	public enum AmountCheck {

		OK, QUANTITY_EXPECTED, GRAMS_EXPECTED, QUANTITY_OUT_OF_RANGE, BELOW_MIN_GRAMS, ABOVE_MAX_GRAMS, OFF_STEP

	}

	/** The most units of a UNIT SKU one line may hold. */
	public static final int MAX_QUANTITY = 999;

	/**
	 * Checks a line's amount against this SKU: a quantity (1 to 999) for UNIT, grams on
	 * the step between the bounds for WEIGHT.
	 */
	public AmountCheck check(Integer quantity, Integer grams) {
		if (saleType == SaleType.UNIT) {
			if (quantity == null || grams != null) {
				return AmountCheck.QUANTITY_EXPECTED;
			}
			return quantity >= 1 && quantity <= MAX_QUANTITY ? AmountCheck.OK : AmountCheck.QUANTITY_OUT_OF_RANGE;
		}
		if (grams == null || quantity != null) {
			return AmountCheck.GRAMS_EXPECTED;
		}
		if (grams < minGrams) {
			return AmountCheck.BELOW_MIN_GRAMS;
		}
		if (grams > maxGrams) {
			return AmountCheck.ABOVE_MAX_GRAMS;
		}
		return grams % stepGrams == 0 ? AmountCheck.OK : AmountCheck.OFF_STEP;
	}

	/**
	 * The stock a line takes: units for UNIT, grams for WEIGHT (the one that is not
	 * null).
	 */
	public long stockFor(Integer quantity, Integer grams) {
		return saleType == SaleType.UNIT ? quantity : grams;
	}

	/**
	 * The line's amount: quantity x unit price, or the estimate
	 * {@code round_half_up(grams x pricePerKg / 1000)}.
	 */
	public Money amountFor(Integer quantity, Integer grams) {
		return saleType == SaleType.UNIT ? Money.of(unitPrice).times(quantity) : Money.of(pricePerKg).forGrams(grams);
	}

}
