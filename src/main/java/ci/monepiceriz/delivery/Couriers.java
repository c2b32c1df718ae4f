package ci.monepiceriz.delivery;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import reactor.core.publisher.Mono;

/**
 * Courier bookings, as ordering sees them: a DELIVERY order that becomes READY asks for a
 * courier, and its page shows where the courier is. With Yango enabled the Yango adapter
 * books (claims), otherwise nobody does and staff deliver by other means.
 */
public interface Couriers {

	/**
	 * Records, inside the caller's transaction (the one moving the order to READY), that
	 * a courier must be booked for this order; the booking itself happens later, outside
	 * any transaction. Recording twice for one order records once. An error rolls the
	 * caller back.
	 */
	Mono<Void> bookingRequested(BookingRequest request);

	/** Where the order's delivery stands; empty when no courier was asked for. */
	Mono<DeliveryTracking> tracking(String orderNumber);

	/**
	 * Cancels the order's courier (staff: the shopper no longer wants the delivery): asks
	 * the provider what it costs now, then cancels at that price; a paid cancellation is
	 * recorded with its price. The order itself is not moved.
	 */
	Mono<Cancellation> cancel(String orderNumber);

	/** What became of a courier cancellation. */
	sealed interface Cancellation permits Cancelled, NotCancellable, NoBooking {

	}

	/**
	 * Cancelled: {@code paid} when the provider charges for it, {@code price} what it
	 * charges (decimal string, the provider's currency), or null when free.
	 */
	record Cancelled(String orderNumber, boolean paid, String price, String currency) implements Cancellation {
	}

	/**
	 * Not cancelled now: {@code reason} says why (the courier has the goods: only the
	 * provider's support can; a booking still being created; a final delivery; the
	 * provider unreachable).
	 */
	record NotCancellable(String orderNumber, String reason) implements Cancellation {
	}

	/** No courier was ever asked for this order. */
	record NoBooking(String orderNumber) implements Cancellation {
	}

	/**
	 * What a courier must carry, and where: a snapshot of the order taken when it became
	 * READY.
	 *
	 * @param orderNumber the order
	 * @param address the delivery address
	 * @param latitude WGS 84
	 * @param longitude WGS 84
	 * @param phone the recipient's phone, E.164
	 * @param recipientName the customer's name
	 * @param instructions the shopper's instructions, or null
	 * @param items the lines
	 * @param at when it became READY
	 */
	record BookingRequest(String orderNumber, String address, double latitude, double longitude, String phone,
			String recipientName, String instructions, List<Item> items, Instant at) {

		public BookingRequest {
			items = List.copyOf(items);
			if (items.isEmpty()) {
				throw new IllegalArgumentException("a delivery carries at least one item");
			}
		}

	}

	/**
	 * One line to carry: {@code unitPrice} in XOF per piece (a weighed line is one piece
	 * of its amount).
	 */
	record Item(String title, int quantity, long unitPrice) {
	}

	/**
	 * A delivery as the order page shows it.
	 *
	 * @param state BOOKING, TRACKING, DELIVERED, PROBLEM or CANCELLED
	 * @param providerStatus Yango's last status applied, or null
	 * @param courierName who delivers, once found
	 * @param vehicle the courier's vehicle (model, colour, plate)
	 * @param etaMinutes Yango's last estimate, in minutes
	 * @param trackingUrl where the shopper follows the courier
	 * @param problem why staff must act, when PROBLEM
	 * @param updatedAt Yango's time of the last status applied
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record DeliveryTracking(String state, String providerStatus, String courierName, String vehicle, Integer etaMinutes,
			String trackingUrl, String problem, Instant updatedAt) {
	}

}
