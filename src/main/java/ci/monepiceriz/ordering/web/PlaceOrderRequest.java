package ci.monepiceriz.ordering.web;

/**
 * The body of {@code POST /api/orders} as sent; every field is checked by
 * {@link OrderRequests} before anything else happens.
 */
record PlaceOrderRequest(String cartToken, FulfilmentRequest fulfilment, CustomerRequest customer) {

	/**
	 * {@code type} PICKUP (optional {@code slot}) or DELIVERY (address, geo point,
	 * contact phone, optional instructions).
	 */
	record FulfilmentRequest(String type, SlotRequest slot, String address, Double latitude, Double longitude,
			String phone, String instructions) {
	}

	/** A pickup window, ISO-8601 instants. */
	record SlotRequest(String start, String end) {
	}

	record CustomerRequest(String name, String phone, String email) {
	}

}
