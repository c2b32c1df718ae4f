package ci.monepiceriz.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import ci.monepiceriz.events.kafka.KafkaProperties;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Flux;

/** The event port publishes to the real broker, in order per key. */
@IntegrationTest
class EventPublisherIT {

	@Autowired
	EventPublisher events;

	@Autowired
	KafkaProperties kafka;

	@Test
	void publishedRecordsReachTheBrokerInOrderPerKey() {
		String topic = "test.events." + UUID.randomUUID();
		Flux.range(1, 20)
			.concatMap(i -> events.publish(topic, "MER-20261126-000" + (i % 2),
					("event-" + i).getBytes(StandardCharsets.UTF_8)))
			.then()
			.block(Duration.ofSeconds(30));

		List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
						"read_committed"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.currentTimeMillis() + 30_000;
			while (received.size() < 20 && System.currentTimeMillis() < deadline) {
				consumer.poll(Duration.ofMillis(200)).forEach(received::add);
			}
		}
		assertThat(received).hasSize(20);
		for (String key : List.of("MER-20261126-0000", "MER-20261126-0001")) {
			List<Integer> sequence = received.stream()
				.filter(record -> record.key().equals(key))
				.map(record -> Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8).substring(6)))
				.toList();
			assertThat(sequence).hasSize(10).isSorted();
		}
	}

}
