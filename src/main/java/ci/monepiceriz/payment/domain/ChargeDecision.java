package ci.monepiceriz.payment.domain;

/**
 * What may be charged through CinetPay for an amount due: a {@link Charge}, or nothing
 * when the amount is below the provider's minimum.
 */
public sealed interface ChargeDecision permits Charge, ChargeDecision.BelowMinimum {

	/**
	 * The amount due, even rounded down, is below {@link Charge#MINIMUM}: CinetPay would
	 * refuse it.
	 */
	record BelowMinimum(long due, long minimum) implements ChargeDecision {
	}

}
