package ci.monepiceriz.ordering;

import java.time.Instant;

import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.ordering.domain.PaymentStatus;

/**
 * What the payment module needs of an order: whether it can be paid now, how much, and
 * who pays (ordering's API for payment; payment never reads ordering's tables).
 *
 * @param number the order number
 * @param status the order's status
 * @param paymentStatus where its money is
 * @param total what is due, in XOF
 * @param paymentDeadline end of the payment window (null once the order left PENDING)
 * @param customerName the customer's name
 * @param customerPhone E.164 phone
 * @param customerEmail e-mail, possibly null
 */
public record PayableOrder(String number, OrderStatus status, PaymentStatus paymentStatus, long total,
		Instant paymentDeadline, String customerName, String customerPhone, String customerEmail) {

	/** Why an order cannot be paid now, or {@link Payability#PAYABLE}. */
	public enum Payability {

		PAYABLE, NOT_PENDING, ALREADY_PAID, WINDOW_CLOSED

	}

	/** Only a PENDING, unpaid order within its payment window can be paid. */
	public Payability payability(Instant now) {
		if (paymentStatus != PaymentStatus.UNPAID) {
			return Payability.ALREADY_PAID;
		}
		if (status != OrderStatus.PENDING) {
			return Payability.NOT_PENDING;
		}
		if (paymentDeadline == null || !paymentDeadline.isAfter(now)) {
			return Payability.WINDOW_CLOSED;
		}
		return Payability.PAYABLE;
	}

}
