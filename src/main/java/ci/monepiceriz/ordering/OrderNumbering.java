package ci.monepiceriz.ordering;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ci.monepiceriz.shared.Rounds;
import reactor.core.publisher.Mono;

/**
 * Keeps the order number sequences ({@code order_number_YYYYMMDD}) ready on every
 * instance: at start-up and then every {@code shop.ordering.numbering-interval}, it
 * creates today's and tomorrow's (shop days) if missing and drops those of the days
 * before yesterday's eve. Placing an order never waits for it: the first order of a day
 * without a sequence creates it ({@link OrderingService#place}).
 */
@Component
class OrderNumbering {

	private static final Logger log = LoggerFactory.getLogger(OrderNumbering.class);

	/**
	 * Days kept before today: an order placed just before midnight may still be taking
	 * its number after it.
	 */
	static final int DAYS_KEPT = 2;

	private final OrderingService ordering;

	OrderNumbering(OrderingService ordering) {
		this.ordering = ordering;
	}

	@Scheduled(fixedDelayString = "${shop.ordering.numbering-interval:1h}", initialDelay = 0)
	Mono<Void> run() {
		return Rounds.retriedNextTime(Mono.defer(() -> {
			var today = ordering.today();
			return ordering.createNumbers(today)
				.then(ordering.createNumbers(today.plusDays(1)))
				.then(ordering.dropNumbersBefore(today.minusDays(DAYS_KEPT)))
				.doOnNext(dropped -> {
					if (dropped > 0) {
						log.info("Dropped {} order number sequences of past days", dropped);
					}
				});
		}), log, "Preparing the order number sequences");
	}

}
