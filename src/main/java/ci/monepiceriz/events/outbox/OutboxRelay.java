package ci.monepiceriz.events.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import ci.monepiceriz.events.EventPublisher;
import ci.monepiceriz.events.EventPublisher.Message;
import ci.monepiceriz.shared.persistence.Transactions;
import io.r2dbc.spi.Readable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Publishes the outbox to Kafka, oldest row first, and marks what it published.
 * <p>
 * <b>One relay at a time.</b> Every instance runs a relay, but each round is one
 * transaction that first takes a transaction-scoped advisory lock
 * ({@code pg_try_advisory_xact_lock}); an instance that does not get it skips the round.
 * So one batch is in flight at any moment across the deployment: per-key order holds (a
 * key's events leave in id order, and the idempotent producer keeps that order on the
 * partition with several requests in flight), and no row is published by two instances.
 * The rejected alternative, competing relays that each take a batch with
 * {@code FOR UPDATE SKIP LOCKED}, publishes faster but lets one instance send a key's
 * later event while another still holds its earlier one. The rows are also read
 * {@code FOR UPDATE} (without {@code SKIP LOCKED}, which could skip a key's earlier
 * event): should two relays ever run at once (say, two versions with different lock keys
 * during a rolling deploy), the second waits for the first to commit and then sees its
 * rows as published.
 * <p>
 * <b>Failures.</b> The producer retries within its delivery timeout; past it the batch
 * fails, the transaction rolls back (the rows stay unpublished, some may have reached
 * Kafka: at least once) and the relay waits, doubling from {@code poll-interval} up to
 * {@code max-backoff}. It logs one WARN when an outage starts and one INFO when it ends,
 * never one line per attempt, and never stops for good: every error ends in a pause and a
 * new round, and even a bug in that handling only restarts the loop.
 * <p>
 * <b>Life cycle.</b> Started with the application context (unless
 * {@code shop.outbox.relay-enabled} is false), stopped before the database pool and the
 * producer close: no new round starts, and a round in flight runs to its commit or
 * rollback ({@link Transactions} does not let a cancellation cut it).
 */
@Component
class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	/**
	 * The relay's advisory lock, one bigint for the whole database ("outbox" in ASCII).
	 */
	static final long LOCK = 0x6F7574626F78L;

	/**
	 * A round that has not ended by then is left to end on its own (it keeps the lock, so
	 * no other round overlaps it) and the loop goes on: longer than the producer's
	 * delivery timeout, so only a hung database connection can reach it.
	 */
	private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(2);

	private final DatabaseClient db;

	private final Transactions transactions;

	private final EventPublisher publisher;

	private final OutboxProperties properties;

	private final Clock clock;

	private final String select;

	private volatile boolean running;

	private volatile Sinks.Empty<Void> stopping = Sinks.empty();

	private volatile Disposable loop;

	private volatile Runnable onStopped = () -> {
	};

	// touched by one round at a time, in sequence
	private int failures;

	private Instant outageStart;

	OutboxRelay(DatabaseClient db, Transactions transactions, EventPublisher publisher, OutboxProperties properties,
			Clock clock) {
		this.db = db;
		this.transactions = transactions;
		this.publisher = publisher;
		this.properties = properties;
		this.clock = clock;
		// the limit is in the text so that PostgreSQL plans the statement once per
		// connection; outbox_unpublished_idx serves it
		this.select = """
				SELECT id, event_id, topic, key, type, payload
				  FROM outbox
				 WHERE published_at IS NULL
				 ORDER BY id
				 LIMIT %d
				   FOR UPDATE""".formatted(properties.batchSize());
	}

	/** The outcome of a round: whether this relay held the lock, and rows published. */
	record Round(boolean leader, int published) {
	}

	/**
	 * One batch in one transaction: the lock, the oldest unpublished rows, their
	 * publication, then their mark. Any failure rolls it all back.
	 */
	Mono<Round> round() {
		return transactions
			.inTransaction(lock().flatMap(leader -> leader ? publishBatch() : Mono.just(new Round(false, 0))));
	}

	@Override
	public void start() {
		if (!properties.relayEnabled() || running) {
			return;
		}
		running = true;
		stopping = Sinks.empty();
		onStopped = () -> {
		};
		// the one subscription of the relay: a loop that lives as long as the application
		loop = Mono.defer(this::cycle)
			.repeat(() -> running)
			.retryWhen(Retry.fixedDelay(Long.MAX_VALUE, properties.maxBackoff())
				.filter(error -> running)
				.doBeforeRetry(signal -> log.error("Outbox relay loop failed; restarting it", signal.failure())))
			.doFinally(signal -> onStopped.run())
			.subscribe(null, error -> log.error("Outbox relay loop ended", error));
	}

	@Override
	public void stop(Runnable callback) {
		if (!running) {
			callback.run();
			return;
		}
		// called once, whichever of the loop's end and this check comes first
		AtomicBoolean called = new AtomicBoolean();
		Runnable once = () -> {
			if (called.compareAndSet(false, true)) {
				callback.run();
			}
		};
		onStopped = once;
		running = false;
		stopping.tryEmitEmpty();
		Disposable current = loop;
		if (current == null || current.isDisposed()) {
			once.run();
		}
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/**
	 * Stops after the web server (lower phases stop later): events committed by the last
	 * requests still get a chance to leave before the instance goes.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	private Mono<Void> cycle() {
		return round().timeout(ROUND_TIMEOUT)
			.map(this::succeeded)
			.onErrorResume(error -> Mono.fromSupplier(() -> failed(error)))
			.flatMap(this::pause);
	}

	private Mono<Void> pause(Duration pause) {
		if (pause.isZero() || !running) {
			return Mono.empty();
		}
		return Mono.firstWithSignal(Mono.delay(pause).then(), stopping.asMono());
	}

	private Duration succeeded(Round round) {
		if (failures > 0) {
			log.info("Outbox relay recovered after {} failed attempt(s) over {} s", failures,
					Duration.between(outageStart, clock.instant()).toSeconds());
			failures = 0;
		}
		return round.leader() && round.published() == properties.batchSize() ? Duration.ZERO
				: properties.pollInterval();
	}

	private Duration failed(Throwable error) {
		failures++;
		if (failures == 1) {
			outageStart = clock.instant();
			log.warn("Outbox relay cannot publish, events wait in the outbox; retrying at least every {} s: {}",
					properties.maxBackoff().toMillis() / 1000.0, error.toString());
		}
		else {
			log.debug("Outbox relay attempt {} failed: {}", failures, error.toString());
		}
		long factor = 1L << Math.min(failures - 1, 20);
		Duration backoff = properties.pollInterval().multipliedBy(factor);
		return backoff.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : backoff;
	}

	private Mono<Boolean> lock() {
		return db.sql("SELECT pg_try_advisory_xact_lock(:lock) AS leader")
			.bind("lock", LOCK)
			.map(row -> Boolean.TRUE.equals(row.get("leader", Boolean.class)))
			.one();
	}

	private Mono<Round> publishBatch() {
		return db.sql(select).map(OutboxRelay::pending).all().collectList().flatMap(rows -> {
			if (rows.isEmpty()) {
				return Mono.just(new Round(true, 0));
			}
			return publisher.publish(rows.stream().map(Pending::message).toList())
				.then(markPublished(rows))
				.thenReturn(new Round(true, rows.size()));
		});
	}

	private Mono<Void> markPublished(List<Pending> rows) {
		return db.sql("UPDATE outbox SET published_at = :now WHERE id = ANY(:ids)")
			.bind("now", clock.instant())
			.bind("ids", rows.stream().map(Pending::id).toArray(Long[]::new))
			.then();
	}

	private static Pending pending(Readable row) {
		return new Pending(row.get("id", Long.class), row.get("event_id", UUID.class), row.get("topic", String.class),
				row.get("key", String.class), row.get("type", String.class), row.get("payload", byte[].class));
	}

	/** An unpublished row. */
	private record Pending(long id, UUID eventId, String topic, String key, String type, byte[] payload) {

		/** The record, with {@code eventId} and {@code type} also as headers. */
		Message message() {
			return new Message(topic, key, Map.of("eventId", eventId.toString(), "type", type), payload);
		}

	}

}
