package ci.monepiceriz.notification.domain;

/**
 * Where a paid order is told about, one notice each: the customer's confirmation e-mail
 * and the analytics purchase event.
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
	GA4(true);

	private final boolean resentWhenUnknown;

	Channel(boolean resentWhenUnknown) {
		this.resentWhenUnknown = resentWhenUnknown;
	}

	/** Whether a send whose outcome is unknown may be repeated. */
	public boolean resentWhenUnknown() {
		return resentWhenUnknown;
	}

}
