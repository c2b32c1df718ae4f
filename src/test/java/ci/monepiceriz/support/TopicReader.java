package ci.monepiceriz.support;

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

/**
 * Reads a topic from its start, as a new consumer group would, for tests that check what
 * was published (and that nothing was published twice).
 */
public final class TopicReader {

	private TopicReader() {
	}

	/**
	 * Every record of the topic: read until {@code expected} records have arrived (or
	 * {@code timeout} has passed), then for {@code quiet} more, so that a record
	 * published twice shows up.
	 */
	public static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic, int expected,
			Duration timeout, Duration quiet) {
		List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						"test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
						ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
						ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (received.size() < expected && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(200)).forEach(received::add);
			}
			long quietEnd = System.nanoTime() + quiet.toNanos();
			while (System.nanoTime() < quietEnd) {
				consumer.poll(Duration.ofMillis(100)).forEach(received::add);
			}
		}
		return received;
	}

}
