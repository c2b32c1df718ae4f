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
 * accepted claim was requested, 0 when none: Yango down for long, or stuck; its order
 * still READY, as for every gauge here: what staff handed over is not waited for);
 * {@code delivery.tracking.silent} (seconds since the last Yango status of the delivery
 * under way, its order still READY, that has heard nothing for longest: the journal
 * stalled, or Yango lost the claim; an order staff completed is no longer waited for) and
 * {@code delivery.journal.age} (seconds since a journal round last ended well, anywhere;
 * since this instance started when none ever did). One query every
 * {@code shop.delivery.yango.claims.monitor-interval}, on every instance (they all read
 * the same rows: alert on the max), not one per scrape.
 */
class DeliveryMonitor {

	// delivery_claim_open_idx: only BOOKING, PROBLEM and TRACKING rows are in it
	private static final String MEASURE = """
			SELECT count(*) FILTER (WHERE c.state = 'PROBLEM' AND o.status = 'READY') AS problems,
			       count(*) FILTER (WHERE c.state = 'BOOKING' AND o.status = 'READY') AS waiting,
			       min(c.created_at) FILTER (WHERE c.state = 'BOOKING' AND o.status = 'READY') AS oldest,
			       min(c.status_updated_at) FILTER (WHERE c.state = 'TRACKING' AND o.status = 'READY') AS silent,
			       (SELECT polled_at FROM yango_journal WHERE id = 1) AS polled
			  FROM delivery_claim c JOIN customer_order o ON o.number = c.order_number
			 WHERE c.state IN ('BOOKING', 'PROBLEM', 'TRACKING')""";

	private final DatabaseClient db;

	private final Clock clock;

	private final Instant started;

	private volatile Snapshot snapshot = new Snapshot(0, 0, null, null, null);

	DeliveryMonitor(DatabaseClient db, Clock clock, MeterRegistry meters) {
		this.db = db;
		this.clock = clock;
		this.started = clock.instant();
		Gauge.builder("delivery.problems.open", this, monitor -> monitor.snapshot.problems())
			.description("Deliveries in PROBLEM whose order is still READY: staff must act")
			.register(meters);
		Gauge.builder("delivery.bookings.waiting", this, monitor -> monitor.snapshot.waiting())
			.description("Courier bookings without an accepted claim yet")
			.register(meters);
		Gauge.builder("delivery.bookings.oldest", this, monitor -> seconds(monitor.oldest()))
			.description("Age of the oldest booking without an accepted claim, 0 when none")
			.baseUnit("seconds")
			.register(meters);
		Gauge.builder("delivery.tracking.silent", this, monitor -> seconds(monitor.silent()))
			.description("Longest a delivery under way has heard nothing from Yango, 0 when none")
			.baseUnit("seconds")
			.register(meters);
		Gauge.builder("delivery.journal.age", this, monitor -> seconds(monitor.journalAge()))
			.description("Time since a Yango journal round last ended well")
			.baseUnit("seconds")
			.register(meters);
	}

	/**
	 * What the last measure found: the oldest waiting booking's request, the last news of
	 * the delivery under way that has heard nothing for longest, the last good journal
	 * round (each null when none).
	 */
	record Snapshot(long problems, long waiting, Instant oldest, Instant silent, Instant polled) {
	}

	@Scheduled(fixedDelayString = "${shop.delivery.yango.claims.monitor-interval:30s}")
	Mono<Void> refresh() {
		return measure().doOnNext(measured -> snapshot = measured).onErrorResume(error -> Mono.empty()).then();
	}

	Mono<Snapshot> measure() {
		return db.sql(MEASURE)
			.map(row -> new Snapshot(row.get("problems", Long.class), row.get("waiting", Long.class),
					row.get("oldest", Instant.class), row.get("silent", Instant.class),
					row.get("polled", Instant.class)))
			.one();
	}

	/** Grows between two measures, from the oldest booking's request time. */
	Duration oldest() {
		return since(snapshot.oldest());
	}

	/**
	 * Grows between two measures, from the last news of the quietest delivery under way.
	 */
	Duration silent() {
		return since(snapshot.silent());
	}

	/** Grows between two measures, from the last good journal round (or this start). */
	Duration journalAge() {
		Instant polled = snapshot.polled();
		return since(polled == null ? started : polled);
	}

	private Duration since(Instant at) {
		if (at == null) {
			return Duration.ZERO;
		}
		Duration age = Duration.between(at, clock.instant());
		return age.isNegative() ? Duration.ZERO : age;
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

}
