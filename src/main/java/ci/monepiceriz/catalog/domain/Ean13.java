package ci.monepiceriz.catalog.domain;

/**
 * EAN-13 barcodes: 13 digits, the last a check digit over the first 12 (weights 1, 3, 1,
 * 3...).
 */
public final class Ean13 {

	private Ean13() {
	}

	public static boolean isValid(String code) {
		if (code == null || code.length() != 13) {
			return false;
		}
		int total = 0;
		for (int i = 0; i < 13; i++) {
			char c = code.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
			if (i < 12) {
				total += (c - '0') * (i % 2 == 0 ? 1 : 3);
			}
		}
		return (10 - total % 10) % 10 == code.charAt(12) - '0';
	}

}
