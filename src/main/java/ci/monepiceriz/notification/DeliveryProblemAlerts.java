package ci.monepiceriz.notification;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Component;

import ci.monepiceriz.delivery.StaffAlerts;
import ci.monepiceriz.notification.persistence.R2dbcNotices;
import reactor.core.publisher.Mono;

/**
 * Delivery's {@link StaffAlerts}, kept by notification: a courier booking that became a
 * problem asks for one staff e-mail, a {@code STAFF} notice written in the transaction
 * that settles the booking and sent later by {@link NoticeDispatcher} (at most once, as
 * the customer's e-mail). One per order: a booking's problem is final, and asking again
 * writes nothing.
 */
@Component
class DeliveryProblemAlerts implements StaffAlerts {

	private final R2dbcNotices notices;

	private final Clock clock;

	DeliveryProblemAlerts(R2dbcNotices notices, Clock clock) {
		this.notices = notices;
		this.clock = clock;
	}

	@Override
	public Mono<Void> deliveryProblem(String orderNumber, String problem, Instant at) {
		// due now by the shop's clock: `at` is Yango's time of the status, which may be
		// a little ahead of ours
		return notices.requestStaff(orderNumber, problem, clock.instant()).then();
	}

}
