/**
 * Events to Kafka. Nothing outside {@code events.kafka} imports Kafka or reactor-kafka
 * (discontinued upstream, pinned to the kafka-clients 3.9 line): modules publish through
 * {@link ci.monepiceriz.events.EventPublisher}, so the client can be replaced in one
 * place.
 */
package ci.monepiceriz.events;
