package ci.monepiceriz.ordering.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import ci.monepiceriz.delivery.Couriers;
import ci.monepiceriz.ordering.domain.Customer;
import ci.monepiceriz.ordering.domain.Fulfilment;
import ci.monepiceriz.ordering.domain.Order;
import ci.monepiceriz.ordering.domain.OrderLine;

/**
 * An order as the storefront gets it ({@code contracts/openapi.yaml}: Order). The access
 * token appears once, in the answer that placed the order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OrderView(String number, String accessToken, String status, String statusLabel, String paymentStatus,
		int version, FulfilmentView fulfilment, Customer customer, List<OrderLine> lines, long subtotal,
		long deliveryFee, long total, long amountPaid, long balance, boolean estimated, String currency,
		Instant placedAt, Instant paymentDeadline, String cancelReason, Couriers.DeliveryTracking delivery) {

	static OrderView of(Order order, String accessToken) {
		return of(order, accessToken, null);
	}

	/** With where its courier is, for a delivered order that has one. */
	static OrderView of(Order order, String accessToken, Couriers.DeliveryTracking delivery) {
		return new OrderView(order.number(), accessToken, order.status().name(), order.status().label(),
				order.paymentStatus().name(), order.version(), FulfilmentView.of(order.fulfilment()), order.customer(),
				order.lines(), order.subtotal(), order.deliveryFee(), order.total(), order.amountPaid(),
				order.balance(), order.estimated(), "XOF", order.placedAt(), order.paymentDeadline(),
				order.cancelReason(), delivery);
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record FulfilmentView(String type, Fulfilment.Slot slot, String address, Double latitude, Double longitude,
			String phone, String instructions) {

		static FulfilmentView of(Fulfilment fulfilment) {
			if (fulfilment instanceof Fulfilment.Delivery delivery) {
				return new FulfilmentView(delivery.type(), null, delivery.address(), delivery.latitude(),
						delivery.longitude(), delivery.phone(), delivery.instructions());
			}
			return new FulfilmentView(fulfilment.type(), ((Fulfilment.Pickup) fulfilment).slot(), null, null, null,
					null, null);
		}

	}

}
