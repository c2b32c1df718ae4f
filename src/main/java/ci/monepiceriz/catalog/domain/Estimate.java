package ci.monepiceriz.catalog.domain;

import ci.monepiceriz.shared.Money;

/**
 * The price of a weight of a WEIGHT product before weighing: {@code round_half_up(grams x
 * pricePerKg / 1000)}. Always flagged as an estimate: the exact amount is known in store.
 */
public record Estimate(long grams, long amount, boolean estimated) {

	public static Estimate of(long pricePerKg, long grams) {
		return new Estimate(grams, Money.of(pricePerKg).forGrams(grams).xof(), true);
	}

}
