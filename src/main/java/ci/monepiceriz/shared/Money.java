package ci.monepiceriz.shared;

/**
 * An amount of XOF. The franc CFA has no minor unit: amounts are whole francs, never
 * floating point.
 */
public record Money(long xof) {

	public static final Money ZERO = new Money(0);

	public Money {
		if (xof < 0) {
			throw new IllegalArgumentException("money cannot be negative: " + xof);
		}
	}

	public static Money of(long xof) {
		return new Money(xof);
	}

	public Money plus(Money other) {
		return new Money(Math.addExact(xof, other.xof));
	}

	public Money times(long quantity) {
		return new Money(Math.multiplyExact(xof, quantity));
	}

	/**
	 * The amount of {@code grams} at this price per kilogram, rounded half-up to the
	 * franc: {@code round_half_up(grams x pricePerKg / 1000)}.
	 */
	public Money forGrams(long grams) {
		if (grams < 0) {
			throw new IllegalArgumentException("grams cannot be negative: " + grams);
		}
		return new Money(Math.addExact(Math.multiplyExact(xof, grams), 500) / 1000);
	}

}
