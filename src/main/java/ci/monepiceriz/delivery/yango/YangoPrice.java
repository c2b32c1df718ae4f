package ci.monepiceriz.delivery.yango;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Yango's money: a decimal string, Decimal(18,4) ({@code "1500.0000"}, yango.md §2.6),
 * read exactly (never through a double) and rounded <b>up</b> to the whole franc: XOF has
 * no minor unit, and the shop never charges less than Yango estimated.
 */
final class YangoPrice {

	/** Yango's money pattern, without the sign: a price is never negative. */
	private static final Pattern MONEY = Pattern.compile("[0-9]{1,14}(\\.[0-9]{0,4})?");

	private YangoPrice() {
	}

	/** Whole XOF, rounded up; empty when the text is not a Yango price. */
	static OptionalLong xofRoundedUp(String text) {
		if (text == null || !MONEY.matcher(text.strip()).matches()) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(new BigDecimal(text.strip()).setScale(0, RoundingMode.CEILING).longValueExact());
	}

}
