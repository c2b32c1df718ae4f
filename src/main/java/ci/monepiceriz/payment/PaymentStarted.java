package ci.monepiceriz.payment;

/**
 * An open payment attempt, as the storefront gets it: send the payer to
 * {@code paymentUrl}.
 *
 * @param orderNumber the order paid
 * @param transactionId our id of the attempt
 * @param paymentUrl the provider's checkout page
 * @param amount what is charged, in XOF (a multiple of 5)
 * @param roundingDiscount the 0 to 4 XOF the shop forgoes
 * @param currency XOF
 */
public record PaymentStarted(String orderNumber, String transactionId, String paymentUrl, long amount,
		long roundingDiscount, String currency) {
}
