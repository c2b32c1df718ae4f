package ci.monepiceriz.delivery.yango;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import ci.monepiceriz.delivery.persistence.R2dbcClaims;
import ci.monepiceriz.shared.Rounds;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Follows every claim through Yango's {@code claims/journal} (yango.md §2.8), the
 * reliable feed (callbacks are only a hint). One cursor for the account, in
 * {@code yango_journal}: an instance polls only while it holds the row's lease (a
 * conditional update; another instance takes over once it lapses), fetches a page outside
 * any transaction, then in one transaction moves the cursor from the value it read to the
 * page's (only if it still holds the lease and nobody moved it: else the whole page rolls
 * back) and applies the page's events in {@code updated_ts} order ({@link ClaimStatuses}:
 * each status once, never backwards). Pages follow each other until one is empty, at most
 * {@code MAX_PAGES} per round. Yango down: the round ends, the cursor stays, the next
 * round resumes from it.
 */
class JournalTracker {

	private static final Logger log = LoggerFactory.getLogger(JournalTracker.class);

	static final int MAX_PAGES = 50;

	static final String EVENTS = "delivery.journal.events";

	private final String owner = UUID.randomUUID().toString();

	private final YangoClaims yango;

	private final R2dbcClaims claims;

	private final ClaimStatuses statuses;

	private final Transactions transactions;

	private final YangoClaimsProperties settings;

	private final MeterRegistry meters;

	private final Clock clock;

	JournalTracker(YangoClaims yango, R2dbcClaims claims, ClaimStatuses statuses, Transactions transactions,
			YangoClaimsProperties settings, MeterRegistry meters, Clock clock) {
		this.yango = yango;
		this.claims = claims;
		this.statuses = statuses;
		this.transactions = transactions;
		this.settings = settings;
		this.meters = meters;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${shop.delivery.yango.claims.journal-interval:10s}",
			initialDelayString = "${shop.delivery.yango.claims.journal-interval:10s}")
	Mono<Void> run() {
		return Rounds.retriedNextTime(poll(), log, "Yango journal poll");
	}

	/**
	 * One round: how many events it applied (0 when another instance holds the lease).
	 */
	Mono<Long> poll() {
		return Mono.defer(() -> {
			Instant now = clock.instant();
			return claims.leaseJournal(owner, now, now.plus(settings.lease()))
				.flatMap(cursor -> drain(cursor.value())
					.flatMap(applied -> claims.releaseJournal(owner, clock.instant()).thenReturn(applied))
					.onErrorResume(error -> claims.releaseJournal(owner, null).then(Mono.error(error))))
				.defaultIfEmpty(0L);
		});
	}

	private Mono<Long> drain(String cursor) {
		return page(cursor, 1).expand(step -> step.more() && step.number() < MAX_PAGES
				? page(step.cursor(), step.number() + 1) : Mono.empty())
			.reduce(0L, (sum, step) -> sum + step.applied());
	}

	private record Step(String cursor, long applied, boolean more, int number) {
	}

	private Mono<Step> page(String cursor, int number) {
		return yango.journal(cursor).flatMap(page -> {
			boolean moved = !Objects.equals(page.cursor(), cursor);
			if (!moved && page.read() == 0) {
				return Mono.just(new Step(cursor, 0, false, number));
			}
			List<YangoClaims.JournalEvent> ordered = page.events()
				.stream()
				.sorted(Comparator.comparing(YangoClaims.JournalEvent::updatedAt))
				.toList();
			Instant now = clock.instant();
			return transactions
				.inTransaction(claims.advance(owner, cursor, page.cursor(), now.plus(settings.lease()), now)
					.flatMap(held -> held ? apply(ordered) : Mono.<Long>error(new LostLease())))
				.map(applied -> {
					meters.counter(EVENTS, "outcome", "applied").increment(applied);
					meters.counter(EVENTS, "outcome", "ignored").increment(ordered.size() - applied);
					// a page of price changes only is still a page: the next one may hold
					// statuses
					return new Step(page.cursor(), applied, moved && page.read() > 0, number);
				});
		});
	}

	private Mono<Long> apply(List<YangoClaims.JournalEvent> events) {
		return Flux.fromIterable(events)
			.concatMap(event -> statuses.apply(event.claimId(), event.status(), event.updatedAt(), false))
			.filter(Boolean::booleanValue)
			.count();
	}

	/** Another instance moved the cursor or took the lease: this page is theirs. */
	static final class LostLease extends RuntimeException {

		LostLease() {
			super("the journal lease was lost: page rolled back", null, false, false);
		}

	}

}
