package ci.monepiceriz.events.outbox;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ci.monepiceriz.shared.persistence.Batches;
import reactor.core.publisher.Mono;

/**
 * Deletes published rows older than {@code shop.outbox.retention}, a bounded batch per
 * statement, until none is left. Every instance runs it: {@code SKIP LOCKED} gives two
 * purges running at once disjoint rows, so neither waits for the other. Unpublished rows
 * are never deleted.
 */
@Component
class OutboxRetention {

	private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);

	private final DatabaseClient db;

	private final OutboxProperties properties;

	private final Clock clock;

	private final String delete;

	OutboxRetention(DatabaseClient db, OutboxProperties properties, Clock clock) {
		this.db = db;
		this.properties = properties;
		this.clock = clock;
		// outbox_published_idx serves the inner scan
		this.delete = """
				DELETE FROM outbox
				 WHERE id IN (SELECT id
				                FROM outbox
				               WHERE published_at < :cutoff
				               ORDER BY published_at
				               LIMIT %d
				                 FOR UPDATE SKIP LOCKED)""".formatted(properties.purgeBatchSize());
	}

	@Scheduled(fixedDelayString = "${shop.outbox.purge-interval:10m}",
			initialDelayString = "${shop.outbox.purge-interval:10m}")
	Mono<Void> scheduledPurge() {
		return purge().doOnNext(deleted -> {
			if (deleted > 0) {
				log.info("Outbox purge deleted {} published event(s) older than {}", deleted, properties.retention());
			}
		}).onErrorResume(error -> {
			log.warn("Outbox purge failed, will run again in {}: {}", properties.purgeInterval(), error.toString());
			return Mono.empty();
		}).then();
	}

	/** Deletes every published row older than the retention; the number deleted. */
	Mono<Long> purge() {
		return Batches.untilShort(() -> deleteBatch(clock.instant().minus(properties.retention())),
				properties.purgeBatchSize());
	}

	private Mono<Long> deleteBatch(Instant cutoff) {
		return db.sql(delete).bind("cutoff", cutoff).fetch().rowsUpdated();
	}

}
