package ci.monepiceriz.ordering.domain;

import java.time.Instant;
import java.util.List;

/**
 * An order as its shopper sees it. {@code balance} is what is still due (total minus
 * amount paid).
 */
public record Order(String number, OrderStatus status, PaymentStatus paymentStatus, int version, Fulfilment fulfilment,
		Customer customer, List<OrderLine> lines, long subtotal, long deliveryFee, long total, long amountPaid,
		Instant placedAt, Instant paymentDeadline, String cancelReason) {

	public long balance() {
		return total - amountPaid;
	}

	/** True when a WEIGHT line makes the total an estimate until weighing. */
	public boolean estimated() {
		return lines.stream().anyMatch(OrderLine::estimated);
	}

}
