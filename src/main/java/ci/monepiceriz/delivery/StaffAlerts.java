package ci.monepiceriz.delivery;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * What delivery tells staff when a courier booking needs them (the notification module
 * implements it: notification already depends on ordering, which depends on delivery, so
 * delivery owns this port and never depends on notification).
 * <p>
 * Called inside the transaction that settles a booking as PROBLEM, and only when that
 * settle happened: the alert exists if and only if the problem committed, once per
 * booking.
 */
public interface StaffAlerts {

	/**
	 * Records, inside the caller's transaction, that the delivery of {@code orderNumber}
	 * became a problem staff must act on ({@code problem}: why, Yango's status and
	 * reason), at {@code at}. Sent later, never inside the transaction; asking again for
	 * one order writes nothing. An error rolls the settle back.
	 */
	Mono<Void> deliveryProblem(String orderNumber, String problem, Instant at);

}
