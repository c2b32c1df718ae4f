package ci.monepiceriz.ordering;

import java.time.Instant;
import java.util.List;

import ci.monepiceriz.ordering.domain.OrderLine;

/**
 * Event: an order was placed, its stock reserved ({@code contracts/asyncapi.yaml}). No
 * personal data: consumers that need the customer read the order.
 */
public record OrderPlaced(String number, String status, String paymentStatus, String fulfilment, long subtotal,
		long deliveryFee, long total, boolean estimated, Instant placedAt, Instant paymentDeadline,
		List<OrderLine> lines) {

	public static final String TYPE = "OrderPlaced";

	public static final int VERSION = 1;

}
