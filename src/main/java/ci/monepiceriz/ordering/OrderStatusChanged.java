package ci.monepiceriz.ordering;

import java.time.Instant;

/**
 * Event: an order moved from one status to another ({@code contracts/asyncapi.yaml});
 * {@code version} is the order's version after the move.
 */
public record OrderStatusChanged(String number, String from, String to, String reason, String actor, int version,
		Instant at) {

	public static final String TYPE = "OrderStatusChanged";

	public static final int VERSION = 1;

}
