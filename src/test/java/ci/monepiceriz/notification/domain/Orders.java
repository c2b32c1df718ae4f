package ci.monepiceriz.notification.domain;

import java.time.Instant;
import java.util.List;

import ci.monepiceriz.ordering.domain.Customer;
import ci.monepiceriz.ordering.domain.Fulfilment;
import ci.monepiceriz.ordering.domain.Order;
import ci.monepiceriz.ordering.domain.OrderLine;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.ordering.domain.PaymentStatus;

/** Paid orders as the notification tests need them. */
public final class Orders {

	public static final Instant PLACED = Instant.parse("2026-11-24T09:15:00Z");

	public static final OrderLine RICE = new OrderLine("RIZ-PARF-5KG", "Riz parfumé", "Sac 5 kg", "UNIT", 2, null,
			5000L, null, 10000, false);

	public static final OrderLine FISH = new OrderLine("POISSON-CAPITAINE", "Poisson capitaine", "Au poids", "WEIGHT",
			null, 1500, null, 4000L, 6000, true);

	private Orders() {
	}

	/** A delivered order: rice and fish (16,000 XOF), 1,000 XOF delivery fee. */
	public static Order delivered(String email) {
		return order("MER-20261124-0042", new Fulfilment.Delivery("Cocody Riviera 2, rue des Jardins, villa 12", 5.36,
				-3.97, "+2250707123456", "Sonner deux fois"), email, List.of(RICE, FISH), 1000);
	}

	/** A pickup order of rice only, in a slot of the 25th, 10:00 to 11:00. */
	public static Order pickedUp(String email) {
		return order("MER-20261124-0043", new Fulfilment.Pickup(
				new Fulfilment.Slot(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z"))),
				email, List.of(RICE), 0);
	}

	static Order order(String number, Fulfilment fulfilment, String email, List<OrderLine> lines, long fee) {
		long subtotal = lines.stream().mapToLong(OrderLine::amount).sum();
		return new Order(number, OrderStatus.CONFIRMED, PaymentStatus.PAID, 2, fulfilment,
				new Customer("Awa Koné", "+2250707123456", email), lines, subtotal, fee, subtotal + fee, subtotal + fee,
				PLACED, null, null);
	}

}
