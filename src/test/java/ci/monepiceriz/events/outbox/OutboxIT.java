package ci.monepiceriz.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.annotation.DirtiesContext;

import ci.monepiceriz.events.EventPublisher;
import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import ci.monepiceriz.events.kafka.KafkaProperties;
import ci.monepiceriz.shared.persistence.Transactions;
import ci.monepiceriz.support.IntegrationTest;
import ci.monepiceriz.support.TestServices;
import ci.monepiceriz.support.TestServicesInitializer;
import ci.monepiceriz.support.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox against real PostgreSQL and Kafka, on a database of its own. The context's
 * relay is off: each test starts the relays it needs (as instances of the service would)
 * and stops them, so it knows exactly which relays run.
 */
@IntegrationTest
// a context of its own, used by no other class: closed after it, pool and all
@DirtiesContext
class OutboxIT {

	@DynamicPropertySource
	static void ownDatabase(DynamicPropertyRegistry registry) {
		String database = TestServicesInitializer.DATABASE + "_outbox";
		TestServices.recreateDatabase(database);
		registry.add("spring.r2dbc.url", () -> TestServices.postgres().r2dbcUrl(database));
		registry.add("spring.flyway.url", () -> TestServices.postgres().jdbcUrl(database));
		registry.add("shop.outbox.relay-enabled", () -> "false");
		registry.add("shop.outbox.monitor-interval", () -> "200ms");
		registry.add("shop.outbox.lag-threshold", () -> "2s");
		registry.add("shop.outbox.purge-batch-size", () -> "2");
		registry.add("shop.outbox.batch-size", () -> "50");
	}

	@Autowired
	Outbox outbox;

	@Autowired
	Transactions transactions;

	@Autowired
	DatabaseClient db;

	@Autowired
	EventPublisher publisher;

	@Autowired
	OutboxProperties properties;

	@Autowired
	OutboxMonitor monitor;

	@Autowired
	OutboxRetention retention;

	@Autowired
	KafkaProperties kafka;

	@Autowired
	Clock clock;

	@Autowired
	JsonMapper json;

	@Autowired
	MeterRegistry meters;

	@Autowired
	WebTestClient web;

	private final List<OutboxRelay> relays = new ArrayList<>();

	@AfterEach
	void stopRelays() throws InterruptedException {
		for (OutboxRelay relay : relays) {
			CountDownLatch stopped = new CountDownLatch(1);
			relay.stop(stopped::countDown);
			assertThat(stopped.await(30, TimeUnit.SECONDS)).as("relay stopped").isTrue();
		}
		relays.clear();
	}

	@Test
	void eventsOfACommittedTransactionArePublishedOnceInOrderPerKeyInTheEnvelope() {
		String topic = topic();
		for (int i = 0; i < 10; i++) {
			commit(List.of(event(topic, "MER-20261124-0001", i * 3), event(topic, "MER-20261124-0002", i * 3 + 1),
					event(topic, "MER-20261124-0001", i * 3 + 2)));
		}
		startRelay(publisher);

		List<ConsumerRecord<String, byte[]>> received = read(topic, 30);

		assertThat(received).hasSize(30);
		assertThat(received.stream().map(this::eventId).distinct()).hasSize(30);
		assertOrderedPerKey(received);
		ConsumerRecord<String, byte[]> first = received.stream()
			.filter(record -> record.key().equals("MER-20261124-0002"))
			.findFirst()
			.orElseThrow();
		JsonNode envelope = envelope(first);
		assertThat(envelope.propertyNames()).containsExactly("eventId", "type", "version", "occurredAt", "key", "data");
		assertThat(envelope.get("type").asString()).isEqualTo("TestHappened");
		assertThat(envelope.get("version").asInt()).isEqualTo(1);
		assertThat(envelope.get("key").asString()).isEqualTo("MER-20261124-0002");
		assertThat(envelope.get("data").get("seq").asInt()).isEqualTo(1);
		assertThat(Instant.parse(envelope.get("occurredAt").asString())).isBefore(clock.instant());
		UUID eventId = UUID.fromString(envelope.get("eventId").asString());
		assertThat(eventId.version()).isEqualTo(4);
		assertThat(eventId.variant()).isEqualTo(2);
		assertThat(header(first, "eventId")).isEqualTo(eventId.toString());
		assertThat(header(first, "type")).isEqualTo("TestHappened");
		assertThat(unpublished(topic)).isZero();
		assertThat(db.sql("SELECT count(*) FROM outbox WHERE topic = :topic AND event_id = :id")
			.bind("topic", topic)
			.bind("id", eventId)
			.map(row -> row.get(0, Long.class))
			.one()
			.block()).as("event_id column = envelope's eventId").isEqualTo(1);
	}

	@Test
	void eventsOfARolledBackTransactionAreNeverPublished() {
		String topic = topic();
		assertThatThrownBy(() -> transactions
			.inTransaction(
					outbox.append(List.of(event(topic, "MER-20261124-0003", 1), event(topic, "MER-20261124-0003", 2)))
						.then(Mono.error(new IllegalStateException("the change failed"))))
			.block(Duration.ofSeconds(10))).hasMessageContaining("the change failed");
		commit(List.of(event(topic, "MER-20261124-0004", 3)));
		startRelay(publisher);

		List<ConsumerRecord<String, byte[]>> received = read(topic, 1);

		assertThat(received).extracting(ConsumerRecord::key).containsExactly("MER-20261124-0004");
		assertThat(db.sql("SELECT count(*) FROM outbox WHERE topic = :topic")
			.bind("topic", topic)
			.map(row -> row.get(0, Long.class))
			.one()
			.block()).isEqualTo(1);
	}

	@Test
	void eventsCommittedWhileNoRelayRunsArePublishedWhenOneStarts() throws InterruptedException {
		// the service was killed after committing, before publishing
		String topic = topic();
		for (int i = 0; i < 5; i++) {
			commit(List.of(event(topic, "MER-20261124-0005", i)));
		}
		Thread.sleep(properties.pollInterval().multipliedBy(5).toMillis());
		assertThat(unpublished(topic)).isEqualTo(5);
		assertThat(TopicReader.read(kafka.bootstrapServers(), topic, 1, Duration.ofSeconds(1), Duration.ZERO))
			.isEmpty();

		startRelay(publisher);

		List<ConsumerRecord<String, byte[]>> received = read(topic, 5);
		assertThat(received).hasSize(5);
		assertOrderedPerKey(received);
		assertThat(unpublished(topic)).isZero();
	}

	@Test
	void aBatchPublishedButNotMarkedIsPublishedAgainWithTheSameEventIds() {
		// the instance died between Kafka's acknowledgement and the commit of the mark
		String topic = topic();
		commit(List.of(event(topic, "MER-20261124-0006", 0), event(topic, "MER-20261124-0006", 1)));
		AtomicInteger crashes = new AtomicInteger(1);
		EventPublisher crashingAfterPublish = new EventPublisher() {
			@Override
			public Mono<Void> publish(List<Message> messages) {
				return publisher.publish(messages)
					.then(Mono.defer(() -> crashes.getAndDecrement() > 0
							? Mono.error(new IllegalStateException("killed before the commit")) : Mono.empty()));
			}
		};
		startRelay(crashingAfterPublish);

		List<ConsumerRecord<String, byte[]>> received = read(topic, 4);

		assertThat(received).hasSize(4);
		Map<String, Long> copies = received.stream()
			.collect(Collectors.groupingBy(this::eventId, Collectors.counting()));
		assertThat(copies).hasSize(2).allSatisfy((id, count) -> assertThat(count).isEqualTo(2));
		assertThat(unpublished(topic)).isZero();
	}

	@Test
	void twoRelaysAtOncePublishEveryEventExactlyOnceInOrderPerKey() throws InterruptedException {
		String topic = topic();
		AtomicInteger byFirst = new AtomicInteger();
		AtomicInteger bySecond = new AtomicInteger();
		startRelay(counting(byFirst));
		startRelay(counting(bySecond));
		int keys = 8;
		int perKey = 60;

		// one writer per key (a key's changes are serialized, as an order's are), all
		// writers at once, while both relays run
		Flux.range(0, keys)
			.flatMap(key -> Flux.range(0, perKey)
				.concatMap(seq -> transactions.inTransaction(
						outbox.append(List.of(event(topic, "MER-20261124-01" + key + "0", seq))).thenReturn(seq))),
					keys)
			.then()
			.block(Duration.ofSeconds(120));

		List<ConsumerRecord<String, byte[]>> received = read(topic, keys * perKey);

		Map<String, Long> copies = received.stream()
			.collect(Collectors.groupingBy(this::eventId, Collectors.counting()));
		assertThat(copies).hasSize(keys * perKey);
		assertThat(copies.values()).allMatch(count -> count == 1);
		assertOrderedPerKey(received);
		assertThat(received.stream().map(ConsumerRecord::key).distinct()).hasSize(keys);
		assertThat(unpublished(topic)).isZero();
		assertThat(byFirst.get() + bySecond.get()).isEqualTo(keys * perKey);
	}

	@Test
	void lagPastTheThresholdFailsTheServicesCheckUntilTheEventsArePublished() throws InterruptedException {
		String topic = topic();
		commit(List.of(event(topic, "MER-20261124-0007", 0), event(topic, "MER-20261124-0007", 1)));

		awaitServices("error", Duration.ofSeconds(15));
		web.get()
			.uri("/api/health")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.checks.services.message")
			.value(message -> assertThat(message.toString())
				.matches(".*outbox: 2 event\\(s\\) waiting, oldest \\d+ s.*"));
		assertThat(meters.get("outbox.pending").gauge().value()).isEqualTo(2);
		assertThat(meters.get("outbox.lag").gauge().value()).isGreaterThan(2);
		web.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("outbox_pending ").contains("outbox_lag_seconds "));

		startRelay(publisher);

		awaitServices("ok", Duration.ofSeconds(15));
		assertThat(meters.get("outbox.pending").gauge().value()).isZero();
		assertThat(meters.get("outbox.lag").gauge().value()).isZero();
	}

	@Test
	void thePurgeDeletesOnlyPublishedRowsOlderThanTheRetention() {
		Instant now = clock.instant();
		Instant old = now.minus(properties.retention()).minus(Duration.ofHours(1));
		String topic = topic();
		for (int i = 0; i < 5; i++) {
			insertRow(topic, "old-published", old, old);
		}
		insertRow(topic, "recent-published", now.minus(Duration.ofHours(1)), now.minus(Duration.ofHours(1)));
		// never published: kept whatever its age (marked at the end, so no later test
		// sees its lag)
		insertRow(topic, "old-unpublished", old, null);

		Long deleted = retention.purge().block(Duration.ofSeconds(10));

		assertThat(deleted).as("five rows, two per statement").isEqualTo(5);
		assertThat(db.sql("SELECT type FROM outbox WHERE topic = :topic ORDER BY id")
			.bind("topic", topic)
			.map(row -> row.get("type", String.class))
			.all()
			.collectList()
			.block()).containsExactly("recent-published", "old-unpublished");
		db.sql("UPDATE outbox SET published_at = now() WHERE topic = :topic").bind("topic", topic).then().block();
	}

	private void startRelay(EventPublisher through) {
		OutboxProperties enabled = new OutboxProperties(true, properties.pollInterval(), properties.batchSize(),
				properties.maxBackoff(), properties.retention(), properties.purgeInterval(),
				properties.purgeBatchSize(), properties.monitorInterval(), properties.lagThreshold());
		OutboxRelay relay = new OutboxRelay(db, transactions, through, enabled, clock);
		relays.add(relay);
		relay.start();
	}

	private EventPublisher counting(AtomicInteger published) {
		return new EventPublisher() {
			@Override
			public Mono<Void> publish(List<Message> messages) {
				return publisher.publish(messages).doOnSuccess(done -> published.addAndGet(messages.size()));
			}
		};
	}

	private void commit(List<OutgoingEvent> events) {
		transactions.inTransaction(outbox.append(events).thenReturn(true)).block(Duration.ofSeconds(10));
	}

	private OutgoingEvent event(String topic, String key, int seq) {
		return new OutgoingEvent(topic, key, "TestHappened", 1, clock.instant(), Map.of("seq", seq));
	}

	private void insertRow(String topic, String type, Instant created, Instant published) {
		GenericExecuteSpec insert = db.sql("""
				INSERT INTO outbox (event_id, topic, key, type, payload, created_at, published_at)
				VALUES (:id, :topic, 'k', :type, '\\x7b7d'::bytea, :created, :published)""")
			.bind("id", UUID.randomUUID())
			.bind("topic", topic)
			.bind("type", type)
			.bind("created", created);
		insert = published == null ? insert.bindNull("published", Instant.class) : insert.bind("published", published);
		insert.then().block();
	}

	private long unpublished(String topic) {
		return db.sql("SELECT count(*) FROM outbox WHERE topic = :topic AND published_at IS NULL")
			.bind("topic", topic)
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	private void awaitServices(String status, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		String seen = null;
		while (System.nanoTime() < deadline) {
			seen = web.get()
				.uri("/api/health")
				.exchange()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody()
				.get("checks")
				.get("services")
				.get("status")
				.asString();
			if (status.equals(seen)) {
				return;
			}
			Thread.sleep(200);
		}
		assertThat(seen).as("services check").isEqualTo(status);
	}

	private List<ConsumerRecord<String, byte[]>> read(String topic, int expected) {
		return TopicReader.read(kafka.bootstrapServers(), topic, expected, Duration.ofSeconds(60),
				Duration.ofSeconds(1));
	}

	private void assertOrderedPerKey(List<ConsumerRecord<String, byte[]>> received) {
		Map<String, List<Integer>> sequences = received.stream()
			.collect(Collectors.groupingBy(ConsumerRecord::key, Collectors
				.mapping(record -> envelope(record).get("data").get("seq").asInt(), Collectors.toList())));
		assertThat(sequences).allSatisfy((key, sequence) -> assertThat(sequence).as(key).isSorted());
	}

	private JsonNode envelope(ConsumerRecord<String, byte[]> record) {
		return json.readTree(record.value());
	}

	private String eventId(ConsumerRecord<String, byte[]> record) {
		return envelope(record).get("eventId").asString();
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private static String topic() {
		return "test.outbox." + UUID.randomUUID();
	}

}
