package ci.monepiceriz.payment;

import java.time.Instant;

/**
 * Event: money was received for an order that could not take it (cancelled by expiry,
 * already paid, ...), so the shop owes it back ({@code contracts/asyncapi.yaml}).
 * Published once per attempt, with the {@code payment_refund} row that records it.
 *
 * @param number the order number
 * @param transactionId our transaction id of the attempt that was paid
 * @param amount the amount to give back, in XOF
 * @param currency XOF
 * @param orderStatus the order's status when the money came
 * @param reason why the order could not take it
 * @param at when we recorded it
 */
public record PaymentRefundRequired(String number, String transactionId, long amount, String currency,
		String orderStatus, String reason, Instant at) {

	public static final String TYPE = "PaymentRefundRequired";

	public static final int VERSION = 1;

}
