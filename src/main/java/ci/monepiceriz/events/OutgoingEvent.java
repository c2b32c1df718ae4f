package ci.monepiceriz.events;

import java.time.Instant;

/**
 * An event to publish, as the module that raises it describes it. The outbox wraps
 * {@code data} in the published envelope ({@code contracts/asyncapi.yaml}): a unique
 * {@code eventId} (consumers dedupe on it), {@code type}, {@code version},
 * {@code occurredAt} and {@code key}.
 *
 * @param topic the Kafka topic
 * @param key the record key: one key's events are published in the order they were
 * appended (e.g. the order number)
 * @param type the event's name in the past tense, e.g. {@code OrderPlaced}
 * @param version the version of {@code data}'s schema, raised on an incompatible change
 * @param occurredAt when the change happened, from the injected clock
 * @param data the payload, serialized as JSON
 */
public record OutgoingEvent(String topic, String key, String type, int version, Instant occurredAt, Object data) {
}
