package ci.monepiceriz.ordering.domain;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The order state machine as data: every legal move, in one table (PRODUCT.md §5).
 * Anything not in it is refused and changes nothing.
 */
public final class OrderTransitions {

	private static final Map<OrderStatus, Set<OrderStatus>> LEGAL = new EnumMap<>(OrderStatus.class);

	static {
		// placed, awaiting payment: paid, or cancelled (by staff, the shopper, a failed
		// or expired payment)
		LEGAL.put(OrderStatus.PENDING, EnumSet.of(OrderStatus.CONFIRMED, OrderStatus.CANCELLED));
		// paid: staff start picking, or cancel before preparation (with a refund)
		LEGAL.put(OrderStatus.CONFIRMED, EnumSet.of(OrderStatus.PREPARING, OrderStatus.CANCELLED));
		LEGAL.put(OrderStatus.PREPARING, EnumSet.of(OrderStatus.READY));
		// packed and weighed: picked up or delivered
		LEGAL.put(OrderStatus.READY, EnumSet.of(OrderStatus.COMPLETED));
		LEGAL.put(OrderStatus.COMPLETED, EnumSet.noneOf(OrderStatus.class));
		LEGAL.put(OrderStatus.CANCELLED, EnumSet.noneOf(OrderStatus.class));
	}

	private OrderTransitions() {
	}

	public static boolean isLegal(OrderStatus from, OrderStatus to) {
		return LEGAL.get(from).contains(to);
	}

	/** Where an order in {@code from} may go next. */
	public static Set<OrderStatus> next(OrderStatus from) {
		return Set.copyOf(LEGAL.get(from));
	}

	/**
	 * Whether moving to {@code to} gives the order's reserved stock back: a cancelled
	 * order's goods return to the shelf; a completed one's were sold.
	 */
	public static boolean releasesStock(OrderStatus to) {
		return to == OrderStatus.CANCELLED;
	}

}
