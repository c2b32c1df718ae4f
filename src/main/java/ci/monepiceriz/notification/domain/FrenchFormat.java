package ci.monepiceriz.notification.domain;

/**
 * Amounts and weights as a French reader expects them: thousands separated by a no-break
 * space ({@code 16 000 F CFA}), decimal comma ({@code 1,5 kg}).
 */
public final class FrenchFormat {

	/** Keeps a number and its unit on one line. */
	static final char NO_BREAK_SPACE = '\u00A0';

	private FrenchFormat() {
	}

	/** {@code 16000} → {@code 16 000 F CFA} (XOF has no minor unit). */
	public static String xof(long amount) {
		return grouped(amount) + NO_BREAK_SPACE + "F" + NO_BREAK_SPACE + "CFA";
	}

	/**
	 * {@code 750} → {@code 750 g}; {@code 1500} → {@code 1,5 kg}; {@code 2000} →
	 * {@code 2 kg}.
	 */
	public static String grams(long grams) {
		if (grams < 1000) {
			return grams + "" + NO_BREAK_SPACE + "g";
		}
		long kilos = grams / 1000;
		String rest = String.format("%03d", grams % 1000).replaceAll("0+$", "");
		return grouped(kilos) + (rest.isEmpty() ? "" : "," + rest) + NO_BREAK_SPACE + "kg";
	}

	private static String grouped(long amount) {
		String digits = Long.toString(Math.abs(amount));
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < digits.length(); i++) {
			if (i > 0 && (digits.length() - i) % 3 == 0) {
				out.append(NO_BREAK_SPACE);
			}
			out.append(digits.charAt(i));
		}
		return (amount < 0 ? "-" : "") + out;
	}

}
