package ci.monepiceriz.events;

import reactor.core.publisher.Mono;

/** The port to the event log: one record to one topic, ordered per key. */
public interface EventPublisher {

	/** Completes once the broker has acknowledged the record on all in-sync replicas. */
	Mono<Void> publish(String topic, String key, byte[] payload);

}
