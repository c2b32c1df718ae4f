package ci.monepiceriz.payment.web;

import org.springframework.util.MultiValueMap;

/**
 * What names the payment on the return page, by whoever sent the payer back (cinetpay.md
 * §1.5): our return URL carries {@code transactionId}; CinetPay's POST carries
 * {@code transaction_id}, older integrations saw {@code cpm_trans_id} (both our
 * transaction id; the new API calls ours {@code merchant_transaction_id}) or
 * {@code token} (CinetPay's payment token). All untrusted: they only select what to read.
 *
 * @param transactionId our transaction id, blank when none was given
 * @param paymentToken CinetPay's payment token, blank when none was given (or when a
 * transaction id was)
 */
record ReturnParameters(String transactionId, String paymentToken) {

	/** The transaction id's names, in the order they are looked at. */
	static final String[] TRANSACTION_ID_NAMES = { "transactionId", "merchant_transaction_id", "transaction_id",
			"cpm_trans_id" };

	static final String TOKEN_NAME = "token";

	static ReturnParameters of(MultiValueMap<String, String> parameters) {
		for (String name : TRANSACTION_ID_NAMES) {
			String value = first(parameters, name);
			if (!value.isEmpty()) {
				return new ReturnParameters(value, "");
			}
		}
		return new ReturnParameters("", first(parameters, TOKEN_NAME));
	}

	boolean isEmpty() {
		return transactionId.isEmpty() && paymentToken.isEmpty();
	}

	private static String first(MultiValueMap<String, String> parameters, String name) {
		String value = parameters.getFirst(name);
		return value == null ? "" : value.strip();
	}

}
