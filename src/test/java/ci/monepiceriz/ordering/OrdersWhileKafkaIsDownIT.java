package ci.monepiceriz.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.ordering.OrderingFixtures.Answer;
import ci.monepiceriz.support.IntegrationTest;
import ci.monepiceriz.support.StoppableKafka;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka stops while orders are placed: orders keep working, their events wait in the
 * outbox, and once Kafka is back every event is published, none twice.
 */
@IntegrationTest
// a context of its own, used by no other class: closed after it, pool and all
@DirtiesContext
class OrdersWhileKafkaIsDownIT {

	static final StoppableKafka kafka = new StoppableKafka();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		kafka.register(registry, "orders_kafka_down");
	}

	@AfterAll
	static void close() {
		kafka.close();
	}

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	EventsProperties events;

	@LocalServerPort
	int port;

	@Test
	void ordersPlacedWhileKafkaIsDownArePublishedOnceItIsBack() {
		OrderingFixtures fixtures = new OrderingFixtures(db, port);
		String sku = fixtures.unitSku(1000, 1_000);
		List<String> carts = Flux.range(0, 100)
			.flatMap(i -> fixtures.cartAsync(Map.of(sku, Map.of("quantity", 1))), 16)
			.collectList()
			.block(Duration.ofSeconds(120));
		List<String> numbers = new ArrayList<>(place(fixtures, carts.subList(0, 10)));
		await("the first 10 events published", () -> unpublished(fixtures) == 0, Duration.ofSeconds(60));

		kafka.stop();
		numbers.addAll(place(fixtures, carts.subList(10, 100)));
		assertThat(numbers).hasSize(100).doesNotHaveDuplicates();
		// the relay keeps trying (and failing) meanwhile: the events wait
		sleep(Duration.ofSeconds(3));
		assertThat(unpublished(fixtures)).isEqualTo(90);

		kafka.start();
		await("every event published", () -> unpublished(fixtures) == 0, Duration.ofSeconds(90));

		List<ConsumerRecord<String, byte[]>> placed = placedEvents(Set.copyOf(numbers));
		assertThat(placed).hasSize(100);
		assertThat(placed.stream().map(ConsumerRecord::key)).containsExactlyInAnyOrderElementsOf(numbers);
		Set<String> eventIds = new HashSet<>();
		for (ConsumerRecord<String, byte[]> record : placed) {
			JsonNode event = json.readTree(record.value());
			assertThat(eventIds.add(event.get("eventId").asString())).as("event published twice").isTrue();
			assertThat(event.get("data").get("number").asString()).isEqualTo(record.key());
		}
	}

	private List<String> place(OrderingFixtures fixtures, List<String> carts) {
		List<Answer> answers = Flux.fromIterable(carts)
			.flatMap(cart -> fixtures.place(OrderingFixtures.pickup(cart), OrderingFixtures.newKey()), 16)
			.collectList()
			.block(Duration.ofSeconds(120));
		assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.body()).isEqualTo(201));
		return answers.stream().map(answer -> json.readTree(answer.body()).get("number").asString()).toList();
	}

	private static long unpublished(OrderingFixtures fixtures) {
		return fixtures.count("SELECT count(*) FROM outbox WHERE published_at IS NULL AND type = 'OrderPlaced'",
				Map.of());
	}

	/** Every OrderPlaced record of these orders on the topic, after a quiet period. */
	private List<ConsumerRecord<String, byte[]>> placedEvents(Set<String> numbers) {
		List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
						// as every consumer of ours must: aborted transactions stay
						// unseen
						ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(events.ordersTopic()));
			long deadline = System.currentTimeMillis() + 60_000;
			long quietUntil = Long.MAX_VALUE;
			while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
					String type = new String(record.headers().lastHeader("type") == null ? new byte[0]
							: record.headers().lastHeader("type").value(), StandardCharsets.UTF_8);
					boolean placedEvent = type.equals("OrderPlaced")
							|| json.readTree(record.value()).get("type").asString().equals("OrderPlaced");
					if (placedEvent && numbers.contains(record.key())) {
						found.add(record);
					}
				}
				if (found.size() >= numbers.size() && quietUntil == Long.MAX_VALUE) {
					// keep reading a little: a duplicate would arrive now
					quietUntil = System.currentTimeMillis() + 3_000;
				}
			}
		}
		return found;
	}

	private static void await(String what, BooleanSupplier condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
			sleep(Duration.ofMillis(200));
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
