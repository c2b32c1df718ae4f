package ci.monepiceriz.ordering;

import java.time.Instant;

import org.springframework.stereotype.Component;

import ci.monepiceriz.delivery.DeliveredOrders;
import reactor.core.publisher.Mono;

/**
 * Delivery's {@link DeliveredOrders}, kept by ordering: a delivered order is completed in
 * the transaction that applies the courier's status, at most once (only from READY).
 */
@Component
class OrderDeliveries implements DeliveredOrders {

	static final String ACTOR = "system:delivery";

	private final OrderingService ordering;

	OrderDeliveries(OrderingService ordering) {
		this.ordering = ordering;
	}

	@Override
	public Mono<Boolean> delivered(String orderNumber, String providerStatus, Instant at) {
		return ordering.completeDelivered(orderNumber, ACTOR, "DELIVERED");
	}

}
