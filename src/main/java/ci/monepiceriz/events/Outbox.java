package ci.monepiceriz.events;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * The transactional outbox: events appended here are written in the caller's database
 * transaction, so they exist if and only if the change they describe committed. The relay
 * publishes them to Kafka afterwards, at least once, in order per key.
 */
public interface Outbox {

	/** Appends the events, in this order, within the current transaction. */
	Mono<Void> append(List<OutgoingEvent> events);

}
