package ci.monepiceriz.ordering.domain;

import java.time.Instant;

/** How the shopper gets the goods: picked up in store, or delivered. */
public sealed interface Fulfilment permits Fulfilment.Pickup, Fulfilment.Delivery {

	String type();

	/** Picked up in store, in an optional slot. */
	record Pickup(Slot slot) implements Fulfilment {

		@Override
		public String type() {
			return "PICKUP";
		}

	}

	/** Delivered by courier; {@code phone} in E.164. */
	record Delivery(String address, double latitude, double longitude, String phone,
			String instructions) implements Fulfilment {

		@Override
		public String type() {
			return "DELIVERY";
		}

	}

	/** A pickup window. */
	record Slot(Instant start, Instant end) {

		public Slot {
			if (!end.isAfter(start)) {
				throw new IllegalArgumentException("a slot ends after it starts");
			}
		}

	}

}
