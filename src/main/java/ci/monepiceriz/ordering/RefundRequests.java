package ci.monepiceriz.ordering;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * What ordering asks of whoever gives money back (the payment module implements it):
 * ordering owns this port, so it never depends on payment's internals, and payment
 * already depends on ordering's API.
 * <p>
 * Called inside the transaction that cancels a paid order, so that the cancellation and
 * the refund it owes commit together or not at all (an event consumed afterwards could
 * not promise that).
 */
public interface RefundRequests {

	/**
	 * Records, inside the caller's transaction, that {@code cancelled.amount()} must go
	 * back to the customer of a paid order that was just cancelled. An error rolls the
	 * cancellation back.
	 */
	Mono<Void> paidOrderCancelled(PaidOrderCancelled cancelled);

	/**
	 * A paid order was cancelled: what it owes back, and where to.
	 *
	 * @param number the order number
	 * @param amount what the customer paid and has not been given back yet, in XOF
	 * @param customerName the customer's name
	 * @param customerPhone the customer's phone (E.164), where a payout goes
	 * @param reason why it was cancelled
	 * @param at when
	 */
	record PaidOrderCancelled(String number, long amount, String customerName, String customerPhone, String reason,
			Instant at) {
	}

}
