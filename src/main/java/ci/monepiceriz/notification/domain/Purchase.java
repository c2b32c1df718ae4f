package ci.monepiceriz.notification.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import ci.monepiceriz.ordering.domain.Order;
import ci.monepiceriz.ordering.domain.OrderLine;

/**
 * The analytics {@code purchase} of a paid order (PRODUCT.md §11): transaction id = the
 * order number, value = what was paid, currency XOF, one item per line.
 *
 * @param clientId the pseudonymous client id the event is attributed to (see
 * {@link #clientId(Order)})
 * @param transactionId the order number
 * @param value the amount paid, in XOF
 * @param currency XOF
 * @param shipping the delivery fee, in XOF
 * @param items the lines
 */
public record Purchase(String clientId, String transactionId, long value, String currency, long shipping,
		List<Item> items) {

	public static final String CURRENCY = "XOF";

	public Purchase {
		if (transactionId == null || transactionId.isBlank()) {
			// GA4 deduplicates every purchase with an empty transaction id together
			throw new IllegalArgumentException("a purchase needs a transaction id");
		}
		if (value <= 0) {
			throw new IllegalArgumentException("a purchase has a positive value: " + value);
		}
		items = List.copyOf(items);
	}

	/**
	 * One line: a UNIT line is {@code quantity} items at its unit price; a WEIGHT line is
	 * one item at its (estimated) line amount, its weight in {@code variant}, since a
	 * quantity is a whole number of items.
	 *
	 * @param id the SKU code
	 * @param name the product name
	 * @param variant the SKU label (and the weight of a WEIGHT line)
	 * @param price the price of one item, in XOF
	 * @param quantity how many items
	 */
	public record Item(String id, String name, String variant, long price, int quantity) {
	}

	/** The purchase of {@code order}, paid {@code amountPaid} XOF. */
	public static Purchase of(Order order, long amountPaid) {
		List<Item> items = order.lines().stream().map(Purchase::item).toList();
		return new Purchase(clientId(order), order.number(), amountPaid, CURRENCY, order.deliveryFee(), items);
	}

	private static Item item(OrderLine line) {
		if (line.grams() != null) {
			String variant = line.label() + " (" + line.grams() + " g)";
			return new Item(line.skuCode(), line.productName(), variant, line.amount(), 1);
		}
		return new Item(line.skuCode(), line.productName(), line.label(), line.unitPrice(), line.quantity());
	}

	/**
	 * A client id for an order, as GA's own ({@code <random>.<seconds>}) but derived from
	 * the order: no browser id is stored with orders, and one is needed. The first part
	 * is 31 bits of the SHA-256 of the order number, the second the second it was placed.
	 * Stable, so every send of one order's purchase is attributed to the same client (GA4
	 * deduplicates a transaction id per client); pseudonymous, since nothing about the
	 * customer goes in. The cost: GA4 sees each order as a new user.
	 */
	public static String clientId(Order order) {
		byte[] digest;
		try {
			digest = MessageDigest.getInstance("SHA-256")
				.digest(("monepiceriz-order:" + order.number()).getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException missing) {
			throw new IllegalStateException(missing);
		}
		long random = ((digest[0] & 0x7FL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8)
				| (digest[3] & 0xFFL);
		return random + "." + order.placedAt().getEpochSecond();
	}

}
