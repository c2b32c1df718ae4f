package ci.monepiceriz.notification;

import java.time.Instant;

import org.springframework.stereotype.Service;

import ci.monepiceriz.notification.persistence.R2dbcNotices;
import reactor.core.publisher.Mono;

/**
 * The notification module's API: asking for a paid order's notices (the confirmation
 * e-mail and the analytics purchase), which {@link NoticeDispatcher} sends later.
 */
@Service
public class OrderNotices {

	private final R2dbcNotices notices;

	OrderNotices(R2dbcNotices notices) {
		this.notices = notices;
	}

	/**
	 * Records that {@code orderNumber} was paid {@code amountPaid} XOF, inside the
	 * caller's transaction (the settlement's): its notices exist if and only if the
	 * payment commits, and asking again for one order (a replay) writes nothing.
	 */
	public Mono<Void> orderPaid(String orderNumber, long amountPaid, Instant at) {
		return notices.request(orderNumber, amountPaid, at).then();
	}

}
