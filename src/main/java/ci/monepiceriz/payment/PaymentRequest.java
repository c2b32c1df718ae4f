package ci.monepiceriz.payment;

import java.util.Objects;

import ci.monepiceriz.payment.domain.Charge;

/**
 * A payment to open on the provider's checkout.
 *
 * @param transactionId our id of this attempt, unique across all attempts ever made
 * (CinetPay refuses a reused one)
 * @param charge what is charged (a multiple of 5 XOF, at least 100): only a
 * {@link Charge} can be sent
 * @param description shown to the payer; sanitised by the adapter
 * @param orderNumber the order paid, sent as metadata and echoed back by the provider
 * @param payer who pays, for the checkout page (card payments need the name)
 */
public record PaymentRequest(String transactionId, Charge charge, String description, String orderNumber, Payer payer) {

	/** The only currency the shop sells in. */
	public static final String CURRENCY = "XOF";

	public PaymentRequest {
		if (transactionId == null || transactionId.isBlank()) {
			throw new IllegalArgumentException("a payment needs a transaction id");
		}
		Objects.requireNonNull(charge, "charge");
		Objects.requireNonNull(orderNumber, "orderNumber");
		Objects.requireNonNull(payer, "payer");
	}

	/**
	 * The payer as the checkout shows them; blank fields are not sent.
	 *
	 * @param firstName given name
	 * @param lastName family name
	 * @param phone E.164 phone number ({@code +2250707123456})
	 * @param email e-mail address, possibly blank
	 */
	public record Payer(String firstName, String lastName, String phone, String email) {

		public Payer {
			firstName = Objects.requireNonNullElse(firstName, "");
			lastName = Objects.requireNonNullElse(lastName, "");
			phone = Objects.requireNonNullElse(phone, "");
			email = Objects.requireNonNullElse(email, "");
		}

	}

}
