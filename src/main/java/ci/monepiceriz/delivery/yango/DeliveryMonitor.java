package ci.monepiceriz.delivery.yango;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;

import reactor.core.publisher.Mono;

/**
 * What staff must act on, as gauges an alert can watch (the chart's PrometheusRule,
 * {@code alerts.enabled}): {@code delivery.problems.open}, deliveries in PROBLEM whose
 * order is still READY (no courier after every try, returned, cancelled by Yango: until
 * staff complete or hand the order over otherwise); {@code delivery.bookings.waiting} and
 * {@code delivery.bookings.oldest} (seconds since the oldest booking still without an
 * accepted claim was requested, 0 when none: Yango down for long, or stuck). One query
 * every {@code shop.delivery.yango.claims.monitor-interval}, on every instance (they all
 * read the same rows: alert on the max), not one per scrape.
 */
class DeliveryMonitor {

	// delivery_claim_open_idx: only BOOKING and PROBLEM rows are in it
	private static final String MEASURE = """
			SELECT count(*) FILTER (WHERE c.state = 'PROBLEM' AND o.status = 'READY') AS problems,
			       count(*) FILTER (WHERE c.state = 'BOOKING') AS waiting,
			       min(c.created_at) FILTER (WHERE c.state = 'BOOKING') AS oldest
			  FROM delivery_claim c JOIN customer_order o ON o.number = c.order_number
			 WHERE c.state IN ('BOOKING', 'PROBLEM')""";

	private final DatabaseClient db;

	private final Clock clock;

	private volatile Snapshot snapshot = new Snapshot(0, 0, null);

	DeliveryMonitor(DatabaseClient db, Clock clock, MeterRegistry meters) {
		this.db = db;
		this.clock = clock;
		Gauge.builder("delivery.problems.open", this, monitor -> monitor.snapshot.problems())
			.description("Deliveries in PROBLEM whose order is still READY: staff must act")
			.register(meters);
		Gauge.builder("delivery.bookings.waiting", this, monitor -> monitor.snapshot.waiting())
			.description("Courier bookings without an accepted claim yet")
			.register(meters);
		Gauge.builder("delivery.bookings.oldest", this, monitor -> monitor.oldest().toMillis() / 1000.0)
			.description("Age of the oldest booking without an accepted claim, 0 when none")
			.baseUnit("seconds")
			.register(meters);
	}

	/** What the last measure found. */
	record Snapshot(long problems, long waiting, Instant oldest) {
	}

	@Scheduled(fixedDelayString = "${shop.delivery.yango.claims.monitor-interval:30s}")
	Mono<Void> refresh() {
		return measure().doOnNext(measured -> snapshot = measured).onErrorResume(error -> Mono.empty()).then();
	}

	Mono<Snapshot> measure() {
		return db.sql(MEASURE)
			.map(row -> new Snapshot(row.get("problems", Long.class), row.get("waiting", Long.class),
					row.get("oldest", Instant.class)))
			.one();
	}

	/** Grows between two measures, from the oldest booking's request time. */
	Duration oldest() {
		Instant oldest = snapshot.oldest();
		if (oldest == null) {
			return Duration.ZERO;
		}
		Duration age = Duration.between(oldest, clock.instant());
		return age.isNegative() ? Duration.ZERO : age;
	}

}
