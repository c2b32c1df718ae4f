package ci.monepiceriz.events.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.outbox.*}.
 *
 * @param relayEnabled run the relay on this instance (several may: one publishes at a
 * time)
 * @param pollInterval pause between two looks at the outbox while it is empty (a full
 * batch is followed by the next at once)
 * @param batchSize rows published per relay transaction
 * @param maxBackoff longest pause between two attempts while publishing fails (the pause
 * doubles from {@code pollInterval} up to it)
 * @param retention how long published rows are kept before the purge deletes them
 * @param purgeInterval how often the purge runs
 * @param purgeBatchSize rows deleted per statement by the purge
 * @param monitorInterval how often {@code outbox.pending} and {@code outbox.lag} are
 * measured
 * @param lagThreshold age of the oldest unpublished event past which the {@code services}
 * health check fails
 */
@ConfigurationProperties("shop.outbox")
record OutboxProperties(@DefaultValue("true") boolean relayEnabled, @DefaultValue("100ms") Duration pollInterval,
		@DefaultValue("200") int batchSize, @DefaultValue("5s") Duration maxBackoff,
		@DefaultValue("7d") Duration retention, @DefaultValue("10m") Duration purgeInterval,
		@DefaultValue("1000") int purgeBatchSize, @DefaultValue("5s") Duration monitorInterval,
		@DefaultValue("60s") Duration lagThreshold) {

	OutboxProperties {
		positive("poll-interval", pollInterval);
		positive("max-backoff", maxBackoff);
		positive("retention", retention);
		positive("purge-interval", purgeInterval);
		positive("monitor-interval", monitorInterval);
		positive("lag-threshold", lagThreshold);
		if (batchSize < 1 || batchSize > 10_000) {
			throw new IllegalArgumentException("shop.outbox.batch-size must be between 1 and 10000: " + batchSize);
		}
		if (purgeBatchSize < 1 || purgeBatchSize > 100_000) {
			throw new IllegalArgumentException(
					"shop.outbox.purge-batch-size must be between 1 and 100000: " + purgeBatchSize);
		}
	}

	private static void positive(String key, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("shop.outbox." + key + " must be positive: " + value);
		}
	}

}
