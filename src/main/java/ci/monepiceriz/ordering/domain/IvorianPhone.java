package ci.monepiceriz.ordering.domain;

import java.util.Optional;

/**
 * Ivorian phone numbers, normalised to E.164 ({@code +225} and ten digits). Since 2021
 * national numbers have ten digits: mobiles start with 01 (Moov), 05 (MTN) or 07
 * (Orange), fixed lines with 21, 25 or 27. Shoppers type them with spaces, dots or
 * dashes, with or without {@code +225}/{@code 00225}.
 */
public final class IvorianPhone {

	private IvorianPhone() {
	}

	/** The number in E.164, or empty when it is not an Ivorian number. */
	public static Optional<String> normalize(String typed) {
		if (typed == null || typed.length() > 40) {
			return Optional.empty();
		}
		StringBuilder digits = new StringBuilder();
		boolean plus = false;
		for (int i = 0; i < typed.length(); i++) {
			char c = typed.charAt(i);
			if (c >= '0' && c <= '9') {
				digits.append(c);
			}
			else if (c == '+' && digits.isEmpty() && !plus) {
				plus = true;
			}
			else if (!(c == ' ' || c == '.' || c == '-' || c == '(' || c == ')')) {
				return Optional.empty();
			}
		}
		String national = national(digits.toString(), plus);
		if (national == null || !hasKnownPrefix(national)) {
			return Optional.empty();
		}
		return Optional.of("+225" + national);
	}

	private static String national(String digits, boolean plus) {
		if (digits.length() == 10 && !plus) {
			return digits;
		}
		if (digits.length() == 13 && digits.startsWith("225")) {
			return digits.substring(3);
		}
		if (digits.length() == 15 && digits.startsWith("00225") && !plus) {
			return digits.substring(5);
		}
		return null;
	}

	private static boolean hasKnownPrefix(String national) {
		String prefix = national.substring(0, 2);
		return switch (prefix) {
			case "01", "05", "07", "21", "25", "27" -> true;
			default -> false;
		};
	}

}
