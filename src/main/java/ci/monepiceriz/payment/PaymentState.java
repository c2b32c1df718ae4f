package ci.monepiceriz.payment;

/**
 * A payment attempt and its order as our database has them (the return page's answer).
 *
 * @param transactionId our id of the attempt
 * @param orderNumber the order paid
 * @param attemptStatus STARTING, OPEN, SUCCEEDED, FAILED or EXPIRED
 * @param orderStatus the order's status
 * @param paymentStatus where the order's money is
 * @param amount what the attempt charges, in XOF
 * @param currency XOF
 */
public record PaymentState(String transactionId, String orderNumber, String attemptStatus, String orderStatus,
		String paymentStatus, long amount, String currency) {
}
