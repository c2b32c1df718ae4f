package ci.monepiceriz.payment;

import java.time.Instant;

/**
 * Event: money owed back to a customer was given back ({@code contracts/asyncapi.yaml}),
 * published once per refund by the transaction that made it final.
 *
 * @param number the order number
 * @param refundId our payout id ({@code client_transaction_id} at CinetPay)
 * @param amount the amount given back, in XOF
 * @param currency XOF
 * @param outcome {@code PAID_OUT} (to the customer's mobile-money account) or
 * {@code STORE_CREDIT} (a payout was impossible: the shop owes it as credit)
 * @param kind {@code ORDER_CANCELLED} (a paid order was cancelled) or
 * {@code UNEXPECTED_PAYMENT} (money came for an order that could not take it)
 * @param reason why there was a refund and, for store credit, why no payout
 * @param paymentStatus the order's payment status afterwards
 * @param at when
 */
public record PaymentRefunded(String number, String refundId, long amount, String currency, String outcome, String kind,
		String reason, String paymentStatus, Instant at) {

	public static final String TYPE = "PaymentRefunded";

	public static final int VERSION = 1;

}
