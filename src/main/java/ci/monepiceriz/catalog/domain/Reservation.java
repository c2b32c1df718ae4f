package ci.monepiceriz.catalog.domain;

import java.util.List;

/** The outcome of taking stock for a set of lines: all of it, or none. */
public sealed interface Reservation permits Reservation.Reserved, Reservation.Refused {

	/**
	 * Every line's stock was taken; the offers are the SKUs as they were, locked, when it
	 * was.
	 */
	record Reserved(List<SkuOffer> offers) implements Reservation {
	}

	/** Nothing was taken: these lines cannot be served. */
	record Refused(List<Shortfall> shortfalls) implements Reservation {
	}

	/**
	 * A line that cannot be served: its SKU is unknown or no longer sold
	 * ({@code available} 0), or has less stock than requested.
	 */
	record Shortfall(long skuId, String code, long requested, long available) {
	}

}
