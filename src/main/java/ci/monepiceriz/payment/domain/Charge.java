package ci.monepiceriz.payment.domain;

/**
 * The amount charged through CinetPay for an amount due, in whole XOF. CinetPay takes
 * integer amounts that are multiples of 5 (cinetpay.md §1.1) and at least 100 XOF (§1.6):
 * the due amount is rounded <em>down</em> to a multiple of 5, and the 0 to 4 XOF
 * difference is a rounding discount the shop gives (never a charge above what is due).
 *
 * @param due what the order costs, in XOF
 * @param amount what is charged: a multiple of 5, at least {@link #MINIMUM}, at most
 * {@code due}
 */
public record Charge(long due, long amount) implements ChargeDecision {

	/** CinetPay's smallest XOF amount. */
	public static final long MINIMUM = 100;

	/** CinetPay's amounts are multiples of this. */
	public static final long STEP = 5;

	public Charge {
		if (amount < MINIMUM || amount % STEP != 0) {
			throw new IllegalArgumentException(
					"a CinetPay charge is a multiple of " + STEP + " of at least " + MINIMUM + " XOF: " + amount);
		}
		if (due - amount < 0 || due - amount >= STEP) {
			throw new IllegalArgumentException(
					"a charge of " + amount + " XOF is not " + due + " XOF rounded down to a multiple of " + STEP);
		}
	}

	/** The charge for an amount due, or why there is none. */
	public static ChargeDecision forAmountDue(long due) {
		long amount = due - Math.floorMod(due, STEP);
		if (amount < MINIMUM) {
			return new ChargeDecision.BelowMinimum(due, MINIMUM);
		}
		return new Charge(due, amount);
	}

	/** The 0 to 4 XOF the shop forgoes so that the charge is a multiple of 5. */
	public long roundingDiscount() {
		return due - amount;
	}

}
