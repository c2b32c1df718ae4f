package ci.monepiceriz.events;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import reactor.core.publisher.Mono;

/** The port to the event log: records to topics, ordered per key. */
public interface EventPublisher {

	/** Completes once the broker has acknowledged the record on all in-sync replicas. */
	default Mono<Void> publish(String topic, String key, byte[] payload) {
		return publish(List.of(new Message(topic, key, Map.of(), payload)));
	}

	/**
	 * Sends the messages in this order (two messages with one key reach their partition
	 * in this order, even with several in flight) and completes once the broker has
	 * acknowledged every one of them on all in-sync replicas; fails if any failed, in
	 * which case some may have been written (the caller publishes again: at least once).
	 * The send never waits past the client's delivery timeout.
	 */
	Mono<Void> publish(List<Message> messages);

	/**
	 * One record.
	 *
	 * @param topic the topic
	 * @param key the record key, which chooses the partition
	 * @param headers record headers, as UTF-8 text
	 * @param payload the record value
	 */
	record Message(String topic, String key, Map<String, String> headers, byte[] payload) {

		public Message {
			Objects.requireNonNull(topic, "topic");
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(payload, "payload");
			headers = Map.copyOf(headers);
		}

	}

}
