package ci.monepiceriz.payment;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import ci.monepiceriz.ordering.RefundRequests;
import ci.monepiceriz.payment.persistence.R2dbcPaymentAttempts;
import ci.monepiceriz.payment.persistence.R2dbcRefunds;
import reactor.core.publisher.Mono;

/**
 * Ordering's {@link RefundRequests}, kept by payment: cancelling a paid order records a
 * REQUIRED refund of what it paid on the attempt that paid it (its payout id fixed now),
 * and {@code PaymentRefundRequired}, in the cancelling transaction. The payout job
 * ({@link RefundPayouts}) sends it. One refund per attempt (UNIQUE {@code attempt_id}),
 * and ordering calls this only from the cancellation that won the order's conditional
 * move: one cancellation, one refund.
 */
@Component
class CancellationRefunds implements RefundRequests {

	private static final Logger log = LoggerFactory.getLogger(CancellationRefunds.class);

	static final String REASON = "ORDER_CANCELLED_AFTER_PAYMENT";

	private final R2dbcPaymentAttempts attempts;

	private final R2dbcRefunds refunds;

	private final Outbox outbox;

	private final EventsProperties events;

	CancellationRefunds(R2dbcPaymentAttempts attempts, R2dbcRefunds refunds, Outbox outbox, EventsProperties events) {
		this.attempts = attempts;
		this.refunds = refunds;
		this.outbox = outbox;
		this.events = events;
	}

	@Override
	public Mono<Void> paidOrderCancelled(PaidOrderCancelled cancelled) {
		return attempts.paying(cancelled.number())
			.switchIfEmpty(Mono.error(() -> new IllegalStateException(
					"order " + cancelled.number() + " is paid but has no succeeded payment attempt left to refund")))
			.flatMap(attempt -> refunds
				.insert(attempt.id(), cancelled.number(), attempt.transactionId(), R2dbcRefunds.ORDER_CANCELLED,
						cancelled.amount(), attempt.currency(), REASON, cancelled.customerPhone(),
						RefundPayouts.newPayoutId(cancelled.number()), cancelled.at())
				.filter(Boolean::booleanValue)
				.flatMap(inserted -> {
					log.info("Order {} cancelled after payment: refund of {} XOF recorded", cancelled.number(),
							cancelled.amount());
					PaymentRefundRequired event = new PaymentRefundRequired(cancelled.number(), attempt.transactionId(),
							cancelled.amount(), attempt.currency(), "CANCELLED", REASON, cancelled.at());
					return outbox.append(List.of(new OutgoingEvent(events.ordersTopic(), cancelled.number(),
							PaymentRefundRequired.TYPE, PaymentRefundRequired.VERSION, cancelled.at(), event)));
				}));
	}

}
