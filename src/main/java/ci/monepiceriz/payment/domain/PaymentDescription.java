package ci.monepiceriz.payment.domain;

import java.util.regex.Pattern;

/**
 * The description sent to CinetPay with a payment, shown on its checkout page. CinetPay
 * asks to avoid the characters {@code # / $ _ &} in it (cinetpay.md §1.1, CP-INIT): they
 * become spaces, as do control characters; runs of spaces are collapsed. The shop's own
 * name has one ({@code MonEpice&Riz}), so this matters.
 */
public final class PaymentDescription {

	/** The characters CinetPay asks to avoid. */
	public static final String FORBIDDEN = "#/$_&";

	private static final Pattern FORBIDDEN_OR_CONTROL = Pattern.compile("[#/$_&\\p{Cntrl}]");

	private static final Pattern SPACES = Pattern.compile("\\s+");

	/** Long enough for an order summary; CinetPay documents no limit. */
	public static final int MAX_LENGTH = 200;

	private PaymentDescription() {
	}

	/**
	 * The text without forbidden or control characters, spaces collapsed and trimmed, at
	 * most {@link #MAX_LENGTH} characters.
	 * @throws IllegalArgumentException when nothing is left: CinetPay requires a
	 * description
	 */
	public static String sanitise(String text) {
		String clean = SPACES.matcher(FORBIDDEN_OR_CONTROL.matcher(text == null ? "" : text).replaceAll(" "))
			.replaceAll(" ")
			.strip();
		if (clean.isEmpty()) {
			throw new IllegalArgumentException("a payment description needs some text besides " + FORBIDDEN);
		}
		return clean.length() <= MAX_LENGTH ? clean : clean.substring(0, MAX_LENGTH).strip();
	}

}
