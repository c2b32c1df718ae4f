package ci.monepiceriz.events.kafka;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import ci.monepiceriz.events.EventPublisher;
import reactor.core.publisher.Mono;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;

/**
 * The event port on reactor-kafka: an idempotent producer with {@code acks=all}, so a
 * retried send never duplicates nor reorders a key's records.
 */
@Component
class KafkaEventPublisher implements EventPublisher, DisposableBean {

	private final KafkaSender<String, byte[]> sender;

	KafkaEventPublisher(KafkaProperties properties) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
				ProducerConfig.CLIENT_ID_CONFIG, properties.clientId() + "-events", ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) properties.requestTimeout().toMillis(),
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) properties.requestTimeout().toMillis() * 6,
				ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) properties.requestTimeout().toMillis());
		this.sender = KafkaSender.create(SenderOptions.<String, byte[]>create(config)
			.withKeySerializer(new StringSerializer())
			.withValueSerializer(new ByteArraySerializer()));
	}

	@Override
	public Mono<Void> publish(String topic, String key, byte[] payload) {
		SenderRecord<String, byte[], String> record = SenderRecord.create(new ProducerRecord<>(topic, key, payload),
				key);
		return sender.send(Mono.just(record))
			.next()
			.flatMap(result -> result.exception() == null ? Mono.empty() : Mono.error(result.exception()));
	}

	@Override
	public void destroy() {
		sender.close();
	}

}
