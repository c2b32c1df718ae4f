package ci.monepiceriz.events.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ci.monepiceriz.shared.health.HealthProbe;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * How far the relay is behind: gauges {@code outbox.pending} (unpublished rows) and
 * {@code outbox.lag} (seconds since the oldest unpublished event occurred, 0 when none),
 * and a part of the {@code services} health check that fails past
 * {@code shop.outbox.lag-threshold}. One query every {@code shop.outbox.monitor-interval}
 * measures them, not one per scrape or health call; the lag is computed from the oldest
 * row's time when read, so it keeps growing between two measures (and while the database
 * cannot be read).
 */
@Component
class OutboxMonitor implements HealthProbe {

	// count and oldest row both from outbox_unpublished_idx: only unpublished rows are in
	// it
	private static final String MEASURE = """
			SELECT count(*) AS pending,
			       (SELECT created_at FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1) AS oldest
			  FROM outbox
			 WHERE published_at IS NULL""";

	private final DatabaseClient db;

	private final OutboxProperties properties;

	private final Clock clock;

	private volatile Snapshot snapshot;

	OutboxMonitor(DatabaseClient db, OutboxProperties properties, Clock clock, MeterRegistry meters) {
		this.db = db;
		this.properties = properties;
		this.clock = clock;
		Gauge.builder("outbox.pending", this, monitor -> monitor.pending())
			.description("Events in the outbox not yet published to Kafka")
			.register(meters);
		Gauge.builder("outbox.lag", this, monitor -> monitor.lag().toMillis() / 1000.0)
			.description("Age of the oldest event not yet published to Kafka, 0 when none")
			.baseUnit("seconds")
			.register(meters);
	}

	/** What the last measure found: rows waiting, and the oldest one's time (or null). */
	record Snapshot(long pending, Instant oldest) {
	}

	@Scheduled(fixedDelayString = "${shop.outbox.monitor-interval:5s}")
	Mono<Void> refresh() {
		return measure().doOnNext(measured -> snapshot = measured).onErrorResume(error -> Mono.empty()).then();
	}

	Mono<Snapshot> measure() {
		return db.sql(MEASURE)
			.map(row -> new Snapshot(row.get("pending", Long.class), row.get("oldest", Instant.class)))
			.one();
	}

	long pending() {
		Snapshot current = snapshot;
		return current == null ? 0 : current.pending();
	}

	Duration lag() {
		Snapshot current = snapshot;
		if (current == null || current.oldest() == null) {
			return Duration.ZERO;
		}
		Duration lag = Duration.between(current.oldest(), clock.instant());
		return lag.isNegative() ? Duration.ZERO : lag;
	}

	@Override
	public String check() {
		return "services";
	}

	@Override
	public Mono<ProbeResult> probe() {
		return Mono.fromSupplier(this::verdict);
	}

	private ProbeResult verdict() {
		if (snapshot == null) {
			return ProbeResult.ok("outbox: not measured yet");
		}
		long pending = pending();
		Duration lag = lag();
		String state = "outbox: " + pending + " event(s) waiting"
				+ (pending == 0 ? "" : ", oldest " + lag.toSeconds() + " s");
		return lag.compareTo(properties.lagThreshold()) > 0 ? ProbeResult.error(state) : ProbeResult.ok(state);
	}

}
