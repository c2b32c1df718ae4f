package ci.monepiceriz.ordering.domain;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * The human order number {@code MER-YYYYMMDD-NNNN}: the shop day (Africa/Abidjan) and
 * that day's sequence, zero-padded to four digits (a busy day past 9,999 orders gets
 * five).
 */
public final class OrderNumber {

	private static final Pattern FORMAT = Pattern.compile("MER-[0-9]{8}-[0-9]{4,6}");

	private OrderNumber() {
	}

	public static String of(LocalDate day, long sequence) {
		if (sequence < 1) {
			throw new IllegalArgumentException("order sequences start at 1: " + sequence);
		}
		return prefix(day) + String.format("%04d", sequence);
	}

	/**
	 * {@code MER-YYYYMMDD-}: what every number of the day starts with (the database
	 * appends the sequence, padded as {@link #of} does).
	 */
	public static String prefix(LocalDate day) {
		return String.format("MER-%04d%02d%02d-", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
	}

	/** True when {@code text} has the shape of an order number (before any lookup). */
	public static boolean looksValid(String text) {
		return text != null && FORMAT.matcher(text).matches();
	}

}
