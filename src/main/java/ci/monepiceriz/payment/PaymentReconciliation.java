package ci.monepiceriz.payment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ci.monepiceriz.ordering.OrderingProperties;
import ci.monepiceriz.payment.persistence.R2dbcPaymentAttempts;
import ci.monepiceriz.payment.persistence.R2dbcPaymentAttempts.Attempt;
import ci.monepiceriz.shared.Rounds;
import ci.monepiceriz.shared.persistence.Batches;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reconciliation of payment attempts whose notification never came, on every instance,
 * every {@code shop.payment.reconciliation-interval}.
 * <p>
 * A round claims, in bounded batches, live attempts (OPEN, and STARTING ones past the
 * abandon limit) older than {@code shop.payment.reconciliation-after} and not checked
 * within the last interval: each claim is one short transaction ({@code FOR UPDATE SKIP
 * LOCKED}) stamping {@code checked_at}, so instances never check one attempt at the same
 * time. The provider's check is then called outside any transaction and its answer
 * settled by {@link PaymentSettlement}, the webhook's path. A still-pending attempt
 * created more than the order's payment window plus {@code reconciliation-grace} ago,
 * whose order can no longer be paid, becomes EXPIRED. An unavailable provider leaves the
 * attempt for a later round. Cancelling the orders themselves is the ordering module's
 * payment expiry job.
 */
@Component
public class PaymentReconciliation {

	private static final Logger log = LoggerFactory.getLogger(PaymentReconciliation.class);

	/** How many provider checks one round runs at once. */
	private static final int CHECKS_AT_ONCE = 8;

	private final Transactions transactions;

	private final R2dbcPaymentAttempts attempts;

	private final PaymentSettlement settlement;

	private final PaymentProperties properties;

	private final Duration paymentWindow;

	private final Clock clock;

	PaymentReconciliation(Transactions transactions, R2dbcPaymentAttempts attempts, PaymentSettlement settlement,
			PaymentProperties properties, OrderingProperties ordering, Clock clock) {
		this.transactions = transactions;
		this.attempts = attempts;
		this.settlement = settlement;
		this.properties = properties;
		this.paymentWindow = ordering.paymentWindow();
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${shop.payment.reconciliation-interval:1m}",
			initialDelayString = "${shop.payment.reconciliation-interval:1m}")
	Mono<Void> run() {
		return Rounds.retriedNextTime(round(), log, "Payment reconciliation round");
	}

	/** One round: what became of the attempts checked, by outcome. */
	public Mono<Map<String, Long>> round() {
		return Mono.defer(() -> {
			Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
			return Batches.untilShort(() -> batch(outcomes), properties.reconciliationBatch()).map(checked -> {
				Map<String, Long> summary = new TreeMap<>();
				outcomes.forEach((outcome, count) -> summary.put(outcome, count.get()));
				if (checked > 0) {
					log.info("Payment reconciliation: {} attempts checked {}", checked, summary);
				}
				else {
					log.debug("Payment reconciliation: nothing to check");
				}
				return summary;
			});
		});
	}

	private Mono<Long> batch(Map<String, AtomicLong> outcomes) {
		Instant now = clock.instant();
		Instant createdBefore = now.minus(properties.reconciliationAfter());
		Instant startingBefore = min(createdBefore, now.minus(PaymentService.STARTING_ABANDONED_AFTER));
		// an attempt is checked at most once per interval (claims stamp checked_at)
		Instant checkedBefore = now.minus(properties.reconciliationInterval());
		Instant expireIfCreatedBefore = now.minus(paymentWindow).minus(properties.reconciliationGrace());
		return transactions
			.inTransaction(attempts.claimForCheck(createdBefore, startingBefore, checkedBefore,
					properties.reconciliationBatch(), now))
			.flatMap(claimed -> check(claimed, expireIfCreatedBefore, outcomes).thenReturn((long) claimed.size()));
	}

	private Mono<Void> check(List<Attempt> claimed, Instant expireIfCreatedBefore, Map<String, AtomicLong> outcomes) {
		return Flux.fromIterable(claimed)
			.flatMap(attempt -> settlement.reconcile(attempt, expireIfCreatedBefore)
				.map(outcome -> outcome.getClass().getSimpleName())
				.onErrorResume(error -> {
					log.warn("Payment reconciliation of {} failed, will retry: {}", attempt.transactionId(),
							error.toString());
					return Mono.just("Error");
				}), CHECKS_AT_ONCE)
			.doOnNext(outcome -> outcomes.computeIfAbsent(outcome, key -> new AtomicLong()).incrementAndGet())
			.then();
	}

	private static Instant min(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

}
