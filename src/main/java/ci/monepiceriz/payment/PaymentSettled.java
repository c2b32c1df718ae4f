package ci.monepiceriz.payment;

import java.time.Instant;

/**
 * Event: an order was paid ({@code contracts/asyncapi.yaml}), published once per order by
 * the settlement that moved it to PAID.
 *
 * @param number the order number
 * @param transactionId our transaction id of the attempt that paid it
 * @param amount the amount received, in XOF
 * @param currency XOF
 * @param method the payment method CinetPay reports (e.g. OM, MOMO, FLOOZ)
 * @param settledAt when we recorded the settlement
 */
public record PaymentSettled(String number, String transactionId, long amount, String currency, String method,
		Instant settledAt) {

	public static final String TYPE = "PaymentSettled";

	public static final int VERSION = 1;

}
