package ci.monepiceriz.delivery;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * {@link Couriers} when Yango is not enabled: nobody is booked (staff deliver by other
 * means and complete the order themselves), and no order shows a courier.
 */
@Component
@ConditionalOnProperty(name = "shop.delivery.yango.enabled", havingValue = "false", matchIfMissing = true)
public class NoCouriers implements Couriers {

	@Override
	public Mono<Void> bookingRequested(BookingRequest request) {
		return Mono.empty();
	}

	@Override
	public Mono<Cancellation> cancel(String orderNumber) {
		return Mono.just(new NoBooking(orderNumber));
	}

	@Override
	public Mono<DeliveryTracking> tracking(String orderNumber) {
		return Mono.empty();
	}

}
