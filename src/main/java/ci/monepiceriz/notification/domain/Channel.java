package ci.monepiceriz.notification.domain;

import java.util.List;

/**
 * Where an order is told about, one notice each: for a paid order, the customer's
 * confirmation e-mail and the analytics purchase event ({@link #PAID_ORDER}); for a
 * delivery that needs staff, the staff's e-mail.
 */
public enum Channel {

	/**
	 * The French confirmation e-mail. At most once: a send whose outcome is unknown (the
	 * server never answered the end of the message, the instance died mid-send) is never
	 * repeated on its own; a customer must not get two confirmations.
	 */
	EMAIL(false),

	/**
	 * The GA4 Measurement Protocol {@code purchase} event. A send whose outcome is
	 * unknown is repeated (within the attempts allowed): GA4 deduplicates purchases of
	 * one client id with one transaction id, and both are fixed per order, so a repeat is
	 * harmless while a lost event is revenue missing from the reports.
	 */
	GA4(true),

	/**
	 * The staff's French e-mail about a courier booking that became a problem
	 * ({@code shop.notification.staff-email}). At most once, as {@link #EMAIL}: staff
	 * must not be told twice of one problem either.
	 */
	STAFF(false);

	/** The channels of a paid order's notices. */
	public static final List<Channel> PAID_ORDER = List.of(EMAIL, GA4);

	private final boolean resentWhenUnknown;

	Channel(boolean resentWhenUnknown) {
		this.resentWhenUnknown = resentWhenUnknown;
	}

	/** Whether a send whose outcome is unknown may be repeated. */
	public boolean resentWhenUnknown() {
		return resentWhenUnknown;
	}

}
