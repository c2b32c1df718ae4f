package ci.monepiceriz.payment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import ci.monepiceriz.notification.OrderNotices;
import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.PayableOrder;
import ci.monepiceriz.ordering.TransitionOutcome;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.ordering.domain.PaymentStatus;
import ci.monepiceriz.payment.persistence.R2dbcPaymentAttempts;
import ci.monepiceriz.payment.persistence.R2dbcPaymentAttempts.Attempt;
import ci.monepiceriz.payment.persistence.R2dbcRefunds;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Mono;

/**
 * Settling payment attempts from the provider's notifications. The notification's body is
 * never trusted: only the provider's check call says what happened, and a payment is
 * settled only when its transaction, amount and currency are those stored.
 * <p>
 * Each change is one transaction, correct with concurrent duplicates on several instances
 * without any in-memory lock: a success first locks the order's row ({@code FOR UPDATE};
 * the expiry job skips locked rows), then moves the attempt to SUCCEEDED with a
 * conditional update that only one transaction can win, and only that one confirms the
 * order (itself conditional on PENDING and the version read) and writes the events. A
 * refusal never downgrades a success; a pending answer changes nothing.
 */
@Service
public class PaymentSettlement {

	private static final Logger log = LoggerFactory.getLogger(PaymentSettlement.class);

	/** Who moves orders when a payment settles (the transition's actor). */
	public static final String ACTOR = "system:cinetpay";

	/**
	 * The check call's whole budget, retries included, within a webhook: past it the
	 * webhook answers 503 and CinetPay retries.
	 */
	static final Duration CHECK_TIMEOUT = Duration.ofSeconds(8);

	/** The attempt status a success leaves, final ({@code payment_attempt.status}). */
	private static final String SUCCEEDED = "SUCCEEDED";

	private final Transactions transactions;

	private final OrderingService ordering;

	private final R2dbcPaymentAttempts attempts;

	private final PaymentProvider provider;

	private final Outbox outbox;

	private final EventsProperties events;

	private final OrderNotices notices;

	private final Clock clock;

	private final R2dbcRefunds refunds;

	/** The notifications being handled on this instance, by transaction id. */
	private final Map<String, Mono<Notification>> inFlight = new ConcurrentHashMap<>();

	PaymentSettlement(Transactions transactions, OrderingService ordering, R2dbcPaymentAttempts attempts,
			R2dbcRefunds refunds, PaymentProvider provider, Outbox outbox, EventsProperties events,
			OrderNotices notices, Clock clock) {
		this.refunds = refunds;
		this.transactions = transactions;
		this.ordering = ordering;
		this.attempts = attempts;
		this.provider = provider;
		this.outbox = outbox;
		this.events = events;
		this.notices = notices;
		this.clock = clock;
	}

	/**
	 * The transaction a notification names (unverified; see
	 * {@link PaymentProvider#notifiedTransaction}).
	 */
	public String transactionOf(ReceivedNotification notification) {
		return provider.notifiedTransaction(notification);
	}

	/**
	 * Whether a notification is the provider's (see
	 * {@link PaymentProvider#verifiesNotification}). The key stored for the transaction
	 * it names is read only if the provider needs it (the new API's {@code notify_token}
	 * digest; legacy v2 signatures need nothing stored, so nothing is read before they
	 * are checked). Writes nothing.
	 */
	public Mono<Boolean> verifies(ReceivedNotification notification) {
		String transactionId = provider.notifiedTransaction(notification);
		Mono<String> storedKey = Mono.defer(() -> PaymentService.looksLikeTransactionId(transactionId)
				? attempts.notificationKey(transactionId) : Mono.empty());
		return provider.verifiesNotification(notification, storedKey).defaultIfEmpty(false);
	}

	/**
	 * Handles a verified notification about {@code transactionId}: asks the provider for
	 * the transaction's status and records it. An attempt already SUCCEEDED is final
	 * (never downgraded, never flagged, settled once): its notification changes nothing
	 * whatever the provider says, so it is answered at once, without a check call nor a
	 * transaction (cinetpay.md §1.4: "if local payment already final-success, do
	 * nothing"). CinetPay's repeats of a settled payment are the bulk of a notification
	 * storm.
	 * <p>
	 * Copies of one notification that arrive on this instance while it is being handled
	 * join that handling and get its outcome, instead of each asking CinetPay and opening
	 * a transaction that would find the work done (CinetPay sends pending then final, and
	 * repeats; a storm delivers them together). A copy that joined a handling already
	 * under way when it arrived does not take a pending or refused outcome from it (that
	 * check may predate the news this copy brings): it asks again, in a new handling
	 * shared with the other copies in the same case. This only saves work: it is not a
	 * lock. Copies on other instances, or after the handling ended, take the normal path,
	 * and the database's conditional updates keep every path correct.
	 */
	public Mono<Notification> notified(String transactionId) {
		return Mono.defer(() -> {
			Mono<Notification> running = inFlight.get(transactionId);
			if (running == null) {
				return handling(transactionId);
			}
			return running.flatMap(outcome -> mayPredateNews(outcome) ? Mono.defer(() -> {
				inFlight.remove(transactionId, running);
				return handling(transactionId);
			}) : Mono.just(outcome));
		});
	}

	/** This instance's handling of the transaction: the one under way, or a new one. */
	private Mono<Notification> handling(String transactionId) {
		return inFlight.computeIfAbsent(transactionId, id -> {
			AtomicReference<Mono<Notification>> self = new AtomicReference<>();
			Mono<Notification> shared = handle(id).doFinally(signal -> inFlight.remove(id, self.get())).cache();
			self.set(shared);
			return shared;
		});
	}

	/** Outcomes a later check may change (a success is never downgraded). */
	private static boolean mayPredateNews(Notification outcome) {
		return outcome instanceof Notification.StillPending || outcome instanceof Notification.Refused;
	}

	private Mono<Notification> handle(String transactionId) {
		return attempts.byTransactionId(transactionId)
			.flatMap(attempt -> alreadySettled(attempt) ? Mono.just(new Notification.AlreadySettled(transactionId))
					: checkAndSettle(attempt))
			.switchIfEmpty(Mono.fromSupplier(() -> {
				log.warn("Payment notification for unknown transaction {}: ignored", transactionId);
				return new Notification.UnknownTransaction(transactionId);
			}));
	}

	private static boolean alreadySettled(Attempt attempt) {
		return SUCCEEDED.equals(attempt.status());
	}

	/**
	 * Reconciliation's path for one claimed attempt: the same check and settlement as a
	 * notification (never inside a transaction); when the provider still says pending (or
	 * something not final) and the attempt was created at or before
	 * {@code expireIfCreatedBefore}, it becomes EXPIRED if its order can no longer be
	 * paid, in a transaction that locks the order's row first like a success does (so the
	 * two take turns, and a SUCCEEDED attempt is never expired).
	 */
	Mono<Notification> reconcile(Attempt attempt, Instant expireIfCreatedBefore) {
		return checkAndSettle(attempt).flatMap(outcome -> {
			if (outcome instanceof Notification.StillPending && !attempt.createdAt().isAfter(expireIfCreatedBefore)) {
				return transactions.inTransaction(expire(attempt)).defaultIfEmpty(outcome);
			}
			return Mono.just(outcome);
		});
	}

	private Mono<Notification> expire(Attempt attempt) {
		Instant now = clock.instant();
		return ordering.lockForPayment(attempt.orderNumber()).flatMap(order -> {
			if (order.payability(now) == PayableOrder.Payability.PAYABLE) {
				return Mono.<Notification>just(new Notification.StillPending(attempt.transactionId()));
			}
			return attempts.expire(attempt.id(), "EXPIRED: still pending at the provider after the order's window", now)
				.map(expired -> {
					if (!expired) {
						return new Notification.StillPending(attempt.transactionId());
					}
					log.info("Payment {} of order {} ({}) still pending at CinetPay after the order's window: EXPIRED",
							attempt.transactionId(), attempt.orderNumber(), order.status());
					return new Notification.Expired(attempt.orderNumber(), attempt.transactionId());
				});
		});
	}

	private Mono<Notification> checkAndSettle(Attempt attempt) {
		return check(attempt.transactionId()).flatMap(check -> settle(attempt, check));
	}

	private Mono<PaymentCheck> check(String transactionId) {
		return provider.check(transactionId)
			.timeout(CHECK_TIMEOUT)
			.onErrorResume(TimeoutException.class,
					timeout -> Mono.just(new PaymentCheck.ProviderUnavailable(transactionId, "timeout")))
			.switchIfEmpty(Mono.fromSupplier(() -> new PaymentCheck.ProviderUnavailable(transactionId, "no answer")));
	}

	private Mono<Notification> settle(Attempt attempt, PaymentCheck check) {
		String id = attempt.transactionId();
		if (check instanceof PaymentCheck.ProviderUnavailable unavailable) {
			log.warn(
					"Payment check of {}: CinetPay unavailable ({}), nothing changed (webhook: 503, reconciliation: next round)",
					id, unavailable.reason());
			return Mono.just(new Notification.ProviderUnavailable(id));
		}
		if (check instanceof PaymentCheck.Accepted accepted) {
			if (accepted.matches(id, attempt.amount(), PaymentRequest.CURRENCY)) {
				return transactions.inTransaction(succeed(attempt, accepted));
			}
			return transactions.inTransaction(mismatch(attempt, accepted));
		}
		if (check instanceof PaymentCheck.Refused refused) {
			String reason = "REFUSED: " + refused.transaction().code() + " " + refused.transaction().message();
			return transactions.inTransaction(attempts.refuse(attempt.id(), reason, clock.instant())).map(changed -> {
				log.info("Payment {} of order {} refused by CinetPay{}", id, attempt.orderNumber(),
						changed ? "" : " (attempt unchanged: it was already final)");
				return new Notification.Refused(id);
			});
		}
		log.info("Payment notification for {}: not final yet ({}), nothing changed", id, check);
		return Mono.just(new Notification.StillPending(id));
	}

	/** Inside the transaction: the order locked, then the attempt and the order moved. */
	private Mono<Notification> succeed(Attempt attempt, PaymentCheck.Accepted accepted) {
		Instant now = clock.instant();
		return ordering.lockForPayment(attempt.orderNumber())
			.flatMap(order -> attempts.succeed(attempt.id(), now).flatMap(first -> {
				if (!first) {
					return Mono.<Notification>just(new Notification.AlreadySettled(attempt.transactionId()));
				}
				if (order.status() == OrderStatus.PENDING && order.paymentStatus() == PaymentStatus.UNPAID) {
					return confirm(attempt, accepted, now);
				}
				return requireRefund(attempt, order, why(order), now);
			}))
			.switchIfEmpty(Mono.error(() -> new IllegalStateException(
					"payment attempt " + attempt.transactionId() + " has no order " + attempt.orderNumber())));
	}

	private Mono<Notification> confirm(Attempt attempt, PaymentCheck.Accepted accepted, Instant now) {
		return ordering.confirmPayment(attempt.orderNumber(), attempt.amount(), ACTOR).flatMap(moved -> {
			if (!(moved instanceof TransitionOutcome.Moved)) {
				// the order row is locked and was PENDING: only a bug lands here
				return Mono.error(new IllegalStateException(
						"order " + attempt.orderNumber() + " could not be confirmed: " + moved));
			}
			PaymentSettled settled = new PaymentSettled(attempt.orderNumber(), attempt.transactionId(),
					attempt.amount(), attempt.currency(), accepted.transaction().paymentMethod(), now);
			return outbox
				.append(List.of(new OutgoingEvent(events.ordersTopic(), attempt.orderNumber(), PaymentSettled.TYPE,
						PaymentSettled.VERSION, now, settled)))
				// the confirmation e-mail and the GA4 purchase, sent after the commit
				.then(notices.orderPaid(attempt.orderNumber(), attempt.amount(), now))
				.then(Mono.fromSupplier(() -> {
					log.info("Order {} paid by {} ({} XOF)", attempt.orderNumber(), attempt.transactionId(),
							attempt.amount());
					return new Notification.Settled(attempt.orderNumber(), attempt.transactionId());
				}));
		});
	}

	private static String why(PayableOrder order) {
		if (order.paymentStatus() != PaymentStatus.UNPAID) {
			return "ORDER_ALREADY_PAID";
		}
		return "ORDER_" + order.status().name();
	}

	private Mono<Notification> requireRefund(Attempt attempt, PayableOrder order, String why, Instant now) {
		PaymentRefundRequired event = new PaymentRefundRequired(attempt.orderNumber(), attempt.transactionId(),
				attempt.amount(), attempt.currency(), order.status().name(), why, now);
		return refunds
			.insert(attempt.id(), attempt.orderNumber(), attempt.transactionId(), R2dbcRefunds.UNEXPECTED_PAYMENT,
					attempt.amount(), attempt.currency(), why, order.customerPhone(),
					RefundPayouts.newPayoutId(attempt.orderNumber()), now)
			.filter(Boolean::booleanValue)
			.flatMap(inserted -> outbox.append(List.of(new OutgoingEvent(events.ordersTopic(), attempt.orderNumber(),
					PaymentRefundRequired.TYPE, PaymentRefundRequired.VERSION, now, event))))
			.then(Mono.fromSupplier(() -> {
				log.error("Payment {} received {} XOF for order {} which is {} ({}): flagged for refund",
						attempt.transactionId(), attempt.amount(), attempt.orderNumber(), order.status(), why);
				return new Notification.RefundRequired(attempt.orderNumber(), attempt.transactionId(), why);
			}));
	}

	private Mono<Notification> mismatch(Attempt attempt, PaymentCheck.Accepted accepted) {
		ProviderTransaction received = accepted.transaction();
		String what = "ACCEPTED " + received.transactionId() + " " + accepted.amount() + " " + received.currency()
				+ ", expected " + attempt.transactionId() + " " + attempt.amount() + " " + PaymentRequest.CURRENCY;
		return attempts.flagMismatch(attempt.id(), what, clock.instant()).map(flagged -> {
			log.error("Payment {} of order {} NOT settled, CinetPay's check does not match: {}",
					attempt.transactionId(), attempt.orderNumber(), what);
			return new Notification.Mismatch(attempt.transactionId(), what);
		});
	}

}
