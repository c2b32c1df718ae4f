package ci.monepiceriz.ordering;

import java.util.List;

/**
 * Event: an order was not paid within the payment window and its stock went back on the
 * shelf ({@code contracts/asyncapi.yaml}).
 */
public record OrderReservationExpired(String number, List<Released> lines) {

	public static final String TYPE = "OrderReservationExpired";

	public static final int VERSION = 1;

	/** Stock given back for one SKU: units, or grams for a WEIGHT SKU. */
	public record Released(String skuCode, long released) {
	}

}
