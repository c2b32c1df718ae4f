/**
 * The transactional outbox: {@code R2dbcOutbox} writes events in the caller's
 * transaction, {@code OutboxRelay} publishes them to Kafka through the
 * {@link ci.monepiceriz.events.EventPublisher} port (one relay at a time across
 * instances, in id order, at least once), {@code OutboxRetention} deletes published rows
 * after the retention, and {@code OutboxMonitor} exposes the backlog as metrics and as
 * part of the {@code services} health check.
 */
package ci.monepiceriz.events.outbox;
