package ci.monepiceriz.payment;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.payment.persistence.R2dbcRefunds;
import ci.monepiceriz.payment.persistence.R2dbcRefunds.Refund;
import ci.monepiceriz.shared.Rounds;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.persistence.Batches;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refunds sent as payouts (cinetpay.md §1.7, §1.8), on every instance, every
 * {@code shop.payment.refunds.interval}.
 * <p>
 * A round claims due refunds in bounded batches: one short transaction ({@code FOR UPDATE
 * SKIP LOCKED}) pushes their due time by a lease, so no other round (on this instance or
 * another) takes them meanwhile, and turns REQUIRED ones into SENDING before their first
 * send. The provider is then called with no transaction open, and each answer is recorded
 * by a conditional update (only from the statuses it may come from):
 * <ul>
 * <li>SENDING: the payout is sent with the refund's payout id, fixed when the refund was
 * written; {@code Sent} → SENT; {@code Refused} → STORE_CREDIT; {@code Deferred} and
 * {@code ProviderUnavailable} → tried again after a backoff (doubling, jittered, capped).
 * After {@code max-attempts} refusals "for now", the refund becomes store credit once a
 * check confirms CinetPay holds no transfer for it.
 * <li>SENT: the payout's status is asked: {@code VAL} → PAID_OUT, {@code REJ} →
 * STORE_CREDIT, in progress → asked again after {@code poll-interval}; unknown to
 * CinetPay → SENDING again (same payout id).
 * <li>REQUIRED below {@code payout-minimum} → STORE_CREDIT, never sent.
 * </ul>
 * A refund that becomes final writes {@code PaymentRefunded} and, for a cancelled order,
 * the order's payment status (REFUNDED or PARTIALLY_REFUNDED), in the same transaction.
 * CinetPay's transfer notifications only make a refund be checked at once
 * ({@link #notified}); their bodies are never believed.
 */
@Service
public class RefundPayouts {

	private static final Logger log = LoggerFactory.getLogger(RefundPayouts.class);

	/** Who moves orders' payment status when a refund completes. */
	static final String ACTOR = "system:refunds";

	/** A provider call's whole budget, retries included (well below the lease). */
	static final Duration CALL_BUDGET = Duration.ofSeconds(60);

	private static final int CALLS_AT_ONCE = 8;

	private static final List<String> LIVE = List.of(R2dbcRefunds.REQUIRED, R2dbcRefunds.SENDING, R2dbcRefunds.SENT);

	private final Transactions transactions;

	private final R2dbcRefunds refunds;

	private final PaymentProvider provider;

	private final OrderingService ordering;

	private final Outbox outbox;

	private final EventsProperties events;

	private final RefundProperties properties;

	private final MeterRegistry meters;

	private final Clock clock;

	RefundPayouts(Transactions transactions, R2dbcRefunds refunds, PaymentProvider provider, OrderingService ordering,
			Outbox outbox, EventsProperties events, RefundProperties properties, MeterRegistry meters, Clock clock) {
		this.transactions = transactions;
		this.refunds = refunds;
		this.provider = provider;
		this.ordering = ordering;
		this.outbox = outbox;
		this.events = events;
		this.properties = properties;
		this.meters = meters;
		this.clock = clock;
	}

	/**
	 * A new payout id for a refund of this order: the order number, {@code -R} and 8
	 * random base-36 characters. Random rather than derived from the row id: CinetPay
	 * refuses a reused {@code client_transaction_id} for good (805, read as "already
	 * sent"), so an id reused after a database reset would follow someone else's
	 * transfer.
	 */
	static String newPayoutId(String orderNumber) {
		String random = new BigInteger(1, Tokens.sha256(Tokens.random())).toString(36).toUpperCase(Locale.ROOT);
		return orderNumber + "-R" + random.substring(0, 8);
	}

	@Scheduled(fixedDelayString = "${shop.payment.refunds.interval:30s}",
			initialDelayString = "${shop.payment.refunds.interval:30s}")
	Mono<Void> run() {
		return Rounds.retriedNextTime(round(), log, "Refund payout round");
	}

	/** One round: what became of the refunds handled, by outcome. */
	public Mono<Map<String, Long>> round() {
		return Mono.defer(() -> {
			Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
			return Batches.untilShort(() -> batch(outcomes), properties.batch()).map(handled -> {
				Map<String, Long> summary = new TreeMap<>();
				outcomes.forEach((outcome, count) -> summary.put(outcome, count.get()));
				if (handled > 0) {
					log.info("Refund payouts: {} refunds handled {}", handled, summary);
				}
				return summary;
			});
		});
	}

	private Mono<Long> batch(Map<String, AtomicLong> outcomes) {
		Instant now = clock.instant();
		return transactions
			.inTransaction(
					refunds.claimDue(now, now.plus(properties.lease()), properties.payoutMinimum(), properties.batch()))
			.flatMap(claimed -> Flux.fromIterable(claimed).flatMap(refund -> handle(refund).onErrorResume(error -> {
				log.warn("Refund {} of order {} failed, will retry: {}", refund.clientTransactionId(),
						refund.orderNumber(), error.toString());
				return Mono.just("error");
			}), CALLS_AT_ONCE).doOnNext(outcome -> {
				outcomes.computeIfAbsent(outcome, key -> new AtomicLong()).incrementAndGet();
				meters.counter("payment.refunds.handled", "outcome", outcome).increment();
			}).then(Mono.just((long) claimed.size())));
	}

	private Mono<String> handle(Refund refund) {
		if (R2dbcRefunds.REQUIRED.equals(refund.status())) {
			// the claim left it REQUIRED: below the payout minimum
			return storeCredit(refund, List.of(R2dbcRefunds.REQUIRED),
					"BELOW_PAYOUT_MINIMUM: " + refund.amount() + " < " + properties.payoutMinimum() + " XOF");
		}
		if (R2dbcRefunds.SENDING.equals(refund.status())) {
			return send(refund);
		}
		return poll(refund, true);
	}

	// --- sending

	private Mono<String> send(Refund refund) {
		return request(refund)
			.flatMap(request -> provider.payout(request)
				.timeout(CALL_BUDGET)
				.onErrorResume(TimeoutException.class,
						timeout -> Mono.just(new Payout.ProviderUnavailable(refund.clientTransactionId(), "timeout"))))
			.flatMap(outcome -> sent(refund, outcome));
	}

	private Mono<PayoutRequest> request(Refund refund) {
		return ordering.payableState(refund.orderNumber())
			.map(order -> order.customerName())
			.defaultIfEmpty("Client MonEpice Riz")
			.map(name -> new PayoutRequest(refund.clientTransactionId(), refund.amount(), refund.currency(),
					refund.phone(), name, "Remboursement commande " + refund.orderNumber()));
	}

	private Mono<String> sent(Refund refund, Payout outcome) {
		Instant now = clock.instant();
		if (outcome instanceof Payout.Sent sent) {
			return transactions
				.inTransaction(
						refunds.sent(refund.id(), sent.providerReference(), now.plus(properties.pollInterval()), now))
				.map(moved -> {
					log.info("Refund {} of order {} ({} XOF) sent{}", refund.clientTransactionId(),
							refund.orderNumber(), refund.amount(),
							sent.alreadySent() ? " (CinetPay had it already)" : "");
					return "sent";
				});
		}
		if (outcome instanceof Payout.Refused refused) {
			return storeCredit(refund, List.of(R2dbcRefunds.SENDING),
					"PAYOUT_REFUSED: " + refused.code() + " " + refused.message());
		}
		if (outcome instanceof Payout.Deferred deferred) {
			String why = "PAYOUT_DEFERRED: " + deferred.code() + " " + deferred.message();
			if (refund.attempts() + 1 >= properties.maxAttempts()) {
				return giveUp(refund, why);
			}
			return retryLater(refund, why, "deferred");
		}
		Payout.ProviderUnavailable unavailable = (Payout.ProviderUnavailable) outcome;
		return retryLater(refund, "UNAVAILABLE: " + unavailable.reason(), "unavailable");
	}

	/**
	 * Too many refusals for now: store credit, but only once CinetPay confirms it holds
	 * no transfer with this payout id (an earlier send may have timed out after reaching
	 * it).
	 */
	private Mono<String> giveUp(Refund refund, String why) {
		return check(refund).flatMap(check -> {
			if (check instanceof PayoutCheck.NotFound) {
				log.error("Refund {} of order {} refused {} times ({}): store credit instead",
						refund.clientTransactionId(), refund.orderNumber(), refund.attempts() + 1, why);
				return storeCredit(refund, List.of(R2dbcRefunds.SENDING), "PAYOUT_IMPOSSIBLE: " + why);
			}
			if (check instanceof PayoutCheck.Unknown || check instanceof PayoutCheck.ProviderUnavailable) {
				return retryLater(refund, why, "deferred");
			}
			return checked(refund, check, true);
		});
	}

	// --- polling

	private Mono<PayoutCheck> check(Refund refund) {
		String id = refund.clientTransactionId();
		return provider.checkPayout(id)
			.timeout(CALL_BUDGET)
			.onErrorResume(TimeoutException.class,
					timeout -> Mono.just(new PayoutCheck.ProviderUnavailable(id, "timeout")));
	}

	private Mono<String> poll(Refund refund, boolean fromJob) {
		return check(refund).flatMap(check -> checked(refund, check, fromJob));
	}

	/**
	 * Records what the provider's check says. From a notification ({@code fromJob}
	 * false), only final and in-progress answers change anything: backoff and resending
	 * are the job's.
	 */
	private Mono<String> checked(Refund refund, PayoutCheck check, boolean fromJob) {
		Instant now = clock.instant();
		if (check instanceof PayoutCheck.PaidOut paid) {
			return complete(refund, paid);
		}
		if (check instanceof PayoutCheck.Rejected rejected) {
			return storeCredit(refund, List.of(R2dbcRefunds.SENDING, R2dbcRefunds.SENT),
					"PAYOUT_REJECTED: " + rejected.status() + " " + rejected.comment());
		}
		if (check instanceof PayoutCheck.InProgress) {
			Instant next = now.plus(properties.pollInterval());
			Mono<Boolean> recorded = R2dbcRefunds.SENDING.equals(refund.status())
					? refunds.sent(refund.id(), "", next, now)
					: fromJob ? refunds.dueAt(refund.id(), R2dbcRefunds.SENT, next, now) : Mono.just(false);
			return transactions.inTransaction(recorded).thenReturn("in-progress");
		}
		if (!fromJob) {
			return Mono.just(check instanceof PayoutCheck.NotFound ? "not-found" : "unknown");
		}
		if (check instanceof PayoutCheck.NotFound && R2dbcRefunds.SENT.equals(refund.status())) {
			log.warn("Refund {} of order {} was sent but CinetPay does not know it: sending it again",
					refund.clientTransactionId(), refund.orderNumber());
			return transactions.inTransaction(refunds.sendAgain(refund.id(), now)).thenReturn("send-again");
		}
		return retryLater(refund, "CHECK: " + check, "check-unavailable");
	}

	// --- a refund's notification

	/**
	 * A transfer notification named this payout id: it is checked with the provider now
	 * (the notification is unsigned: nothing in it is believed) and the answer recorded
	 * like the job's. Answers what became of it; unknown ids and final refunds are left
	 * alone.
	 */
	public Mono<String> notified(String payoutId) {
		return refunds.byClientTransactionId(payoutId).flatMap(refund -> {
			if (!R2dbcRefunds.SENDING.equals(refund.status()) && !R2dbcRefunds.SENT.equals(refund.status())) {
				return Mono.just("ignored-" + refund.status().toLowerCase(Locale.ROOT));
			}
			return poll(refund, false);
		}).switchIfEmpty(Mono.fromSupplier(() -> {
			log.warn("Transfer notification for unknown payout {}: ignored", payoutId);
			return "unknown-payout";
		}));
	}

	// --- writing the outcome

	private Mono<String> retryLater(Refund refund, String why, String outcome) {
		Instant now = clock.instant();
		Instant next = now.plus(backoff(refund.attempts()));
		log.info("Refund {} of order {}: {}; next try at {}", refund.clientTransactionId(), refund.orderNumber(), why,
				next);
		return transactions.inTransaction(refunds.retryLater(refund.id(), refund.status(), why, next, now))
			.thenReturn(outcome);
	}

	private Duration backoff(int attempts) {
		return backoff(properties, attempts, ThreadLocalRandom.current().nextDouble());
	}

	/**
	 * The pause after {@code attempts} failed tries: doubling from {@code retry-backoff},
	 * capped at {@code retry-max-backoff}, times a jitter of 0.5 to 1.5 ({@code random}
	 * in [0, 1)) so that refunds failing together do not retry together; never above the
	 * cap.
	 */
	static Duration backoff(RefundProperties properties, int attempts, double random) {
		long base = properties.retryBackoff().toMillis();
		long max = properties.retryMaxBackoff().toMillis();
		long delay = attempts >= 30 ? max : Math.min(max, base << Math.max(0, attempts));
		return Duration.ofMillis(Math.max(1, Math.min(max, (long) (delay * (0.5 + random)))));
	}

	private Mono<String> complete(Refund refund, PayoutCheck.PaidOut paid) {
		Instant now = clock.instant();
		return transactions.inTransaction(refunds.paidOut(refund.id(), paid.providerReference(), now)
			.filter(Boolean::booleanValue)
			.flatMap(moved -> finished(refund, "PAID_OUT", "paid out", now))
			.defaultIfEmpty("already-final"));
	}

	private Mono<String> storeCredit(Refund refund, List<String> from, String why) {
		Instant now = clock.instant();
		return transactions.inTransaction(refunds.storeCredit(refund, from, why, now)
			.filter(Boolean::booleanValue)
			.flatMap(moved -> finished(refund, "STORE_CREDIT", why, now))
			.defaultIfEmpty("already-final"));
	}

	/**
	 * Inside the transaction that made the refund final: the order's payment status (for
	 * a cancelled order) and {@code PaymentRefunded}.
	 */
	private Mono<String> finished(Refund refund, String outcome, String why, Instant now) {
		Mono<String> paymentStatus = R2dbcRefunds.ORDER_CANCELLED.equals(refund.kind())
				? ordering.recordRefund(refund.orderNumber(), refund.amount())
					.map(Enum::name)
					.switchIfEmpty(Mono.fromSupplier(() -> {
						log.error("Refund {} of order {}: the order's payment status could not take it",
								refund.clientTransactionId(), refund.orderNumber());
						return "UNCHANGED";
					}))
				: ordering.payableState(refund.orderNumber())
					.map(order -> order.paymentStatus().name())
					.defaultIfEmpty("UNKNOWN");
		return paymentStatus.flatMap(status -> {
			PaymentRefunded event = new PaymentRefunded(refund.orderNumber(), refund.clientTransactionId(),
					refund.amount(), refund.currency(), outcome, refund.kind(),
					"PAID_OUT".equals(outcome) ? refund.reason() : refund.reason() + "; " + why, status, now);
			return outbox.append(List.of(new OutgoingEvent(events.ordersTopic(), refund.orderNumber(),
					PaymentRefunded.TYPE, PaymentRefunded.VERSION, now, event)));
		}).then(Mono.fromSupplier(() -> {
			String name = "PAID_OUT".equals(outcome) ? "paid-out" : "store-credit";
			Counter.builder("payment.refunds.completed")
				.description("Refunds made final, by how the money went back")
				.tag("outcome", name)
				.register(meters)
				.increment();
			if ("PAID_OUT".equals(outcome)) {
				log.info("Refund {} of order {} ({} XOF) paid out", refund.clientTransactionId(), refund.orderNumber(),
						refund.amount());
			}
			else {
				log.warn("Refund {} of order {} ({} XOF) is store credit: {}", refund.clientTransactionId(),
						refund.orderNumber(), refund.amount(), why);
			}
			return name;
		}));
	}

}
