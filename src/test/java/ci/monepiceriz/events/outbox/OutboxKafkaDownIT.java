package ci.monepiceriz.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.annotation.DirtiesContext;

import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import ci.monepiceriz.shared.persistence.Transactions;
import ci.monepiceriz.support.IntegrationTest;
import ci.monepiceriz.support.StoppableKafka;
import ci.monepiceriz.support.TopicReader;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka stops while the service runs, then starts again: changes and their events go on
 * being committed, the events wait in the outbox, and once Kafka is back every one is
 * published, once, in order per key, by the application's own relay.
 */
@IntegrationTest
// a context of its own, used by no other class: closed after it, pool and all
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class OutboxKafkaDownIT {

	static final StoppableKafka kafka = new StoppableKafka();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		kafka.register(registry, "outbox_kafka_down");
		registry.add("shop.outbox.monitor-interval", () -> "200ms");
	}

	@AfterAll
	static void closeKafka() {
		kafka.close();
	}

	@Autowired
	Outbox outbox;

	@Autowired
	Transactions transactions;

	@Autowired
	DatabaseClient db;

	@Autowired
	Clock clock;

	@Autowired
	JsonMapper json;

	@Autowired
	WebTestClient web;

	@Test
	void eventsWaitWhileKafkaIsDownAndAreAllPublishedOnceWhenItComesBack(CapturedOutput output)
			throws InterruptedException {
		String topic = "test.outbox.down." + UUID.randomUUID();
		append(topic, 0, 10);
		assertThat(TopicReader.read(kafka.bootstrapServers(), topic, 10, Duration.ofSeconds(60), Duration.ZERO))
			.hasSize(10);
		awaitUnpublished(0, Duration.ofSeconds(10));

		kafka.stop();
		long start = System.nanoTime();
		append(topic, 10, 100);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("100 transactions while Kafka is down")
			.isLessThan(Duration.ofSeconds(20));
		// past the producer's delivery timeout (6 x 1 s): at least one batch has failed
		Thread.sleep(8_000);
		assertThat(unpublished()).isEqualTo(100);
		web.get()
			.uri("/api/health")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.checks.services.status")
			.isEqualTo("error");

		kafka.start();

		List<ConsumerRecord<String, byte[]>> received = TopicReader.read(kafka.bootstrapServers(), topic, 110,
				Duration.ofSeconds(90), Duration.ofSeconds(2));
		Map<String, Long> copies = received.stream()
			.collect(
					Collectors.groupingBy(record -> envelope(record).get("eventId").asString(), Collectors.counting()));
		assertThat(copies).hasSize(110);
		assertThat(copies.values()).as("published once each").allMatch(count -> count == 1);
		Map<String, List<Integer>> sequences = received.stream()
			.collect(Collectors.groupingBy(ConsumerRecord::key, Collectors
				.mapping(record -> envelope(record).get("data").get("seq").asInt(), Collectors.toList())));
		assertThat(sequences).hasSize(5).allSatisfy((key, sequence) -> assertThat(sequence).as(key).isSorted());
		awaitUnpublished(0, Duration.ofSeconds(10));
		assertThat(output.getOut().split("Outbox relay cannot publish", -1)).as("one WARN for the outage").hasSize(2);
		assertThat(output.getOut().split("Outbox relay recovered", -1)).as("one INFO when it ends").hasSize(2);
	}

	/**
	 * Events {@code from} to {@code from + count - 1} over 5 keys, one transaction each:
	 * one writer per key (a key's changes are serialized, as an order's are), the 5 at
	 * once.
	 */
	private void append(String topic, int from, int count) {
		Flux.range(0, 5)
			.flatMap(
					key -> Flux.range(from, count)
						.filter(seq -> seq % 5 == key)
						.concatMap(seq -> transactions
							.inTransaction(outbox.append(List.of(event(topic, seq))).thenReturn(seq))),
					5)
			.then()
			.block(Duration.ofSeconds(60));
	}

	private OutgoingEvent event(String topic, int seq) {
		return new OutgoingEvent(topic, "MER-20261124-020" + (seq % 5), "TestHappened", 1, clock.instant(),
				Map.of("seq", seq));
	}

	private long unpublished() {
		return db.sql("SELECT count(*) FROM outbox WHERE published_at IS NULL")
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	private void awaitUnpublished(long expected, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (unpublished() != expected && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(unpublished()).isEqualTo(expected);
	}

	private JsonNode envelope(ConsumerRecord<String, byte[]> record) {
		return json.readTree(record.value());
	}

}
