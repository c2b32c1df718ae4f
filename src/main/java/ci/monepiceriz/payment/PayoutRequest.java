package ci.monepiceriz.payment;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Money to send to a customer's mobile-money account (a refund), as the provider port
 * takes it: provider-neutral, so that any adapter (CinetPay's v1 Transfer API, its 2026
 * API) can send it.
 *
 * @param payoutId our idempotency key, fixed before the first send and reused by every
 * retry: the provider must never pay one id twice
 * @param amount whole XOF, positive
 * @param currency XOF
 * @param phone the recipient's number in E.164 ({@code +225} and 10 digits)
 * @param recipientName the recipient's name as the shop knows it
 * @param reason a short text for the provider's records (order number)
 */
public record PayoutRequest(String payoutId, long amount, String currency, String phone, String recipientName,
		String reason) {

	private static final Pattern IVORIAN_E164 = Pattern.compile("\\+225[0-9]{10}");

	public PayoutRequest {
		Objects.requireNonNull(payoutId, "payoutId");
		Objects.requireNonNull(currency, "currency");
		Objects.requireNonNull(recipientName, "recipientName");
		Objects.requireNonNull(reason, "reason");
		if (amount <= 0) {
			throw new IllegalArgumentException("a payout is a positive amount: " + amount);
		}
		if (phone == null || !IVORIAN_E164.matcher(phone).matches()) {
			throw new IllegalArgumentException("a payout goes to an Ivorian E.164 number");
		}
	}

	/** The country calling code without '+': {@code 225}. */
	public String countryCode() {
		return phone.substring(1, 4);
	}

	/** The national number (10 digits). */
	public String nationalNumber() {
		return phone.substring(4);
	}

}
