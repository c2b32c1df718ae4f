/**
 * Events to Kafka. Modules append their events to the
 * {@link ci.monepiceriz.events.Outbox} in the transaction of the change they describe;
 * the relay ({@code outbox/}) publishes them through
 * {@link ci.monepiceriz.events.EventPublisher}, at least once and in order per key, in
 * the envelope of {@code contracts/asyncapi.yaml}. Nothing outside {@code events.kafka}
 * imports Kafka or reactor-kafka (discontinued upstream, pinned to the kafka-clients 3.9
 * line), so the client can be replaced in one place.
 */
package ci.monepiceriz.events;
