package ci.monepiceriz.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import ci.monepiceriz.events.kafka.KafkaProperties;
import ci.monepiceriz.shared.persistence.Transactions;
import ci.monepiceriz.support.IntegrationTest;
import ci.monepiceriz.support.TopicReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The event contract ({@code contracts/asyncapi.yaml}) against events the service really
 * published: each order event is appended to the outbox, published by the application's
 * relay to the orders topic, consumed from the broker, and its value, headers and key are
 * validated against the schemas of its message. The schemas are strict enough to refuse
 * an event that lacks a required field or carries an unknown one.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncApiContractIT {

	static final Path SPEC = Path.of("contracts", "asyncapi.yaml");

	// a topic of this run's own, so that only the events published here are read
	static final String TOPIC = "test.contract.orders." + UUID.randomUUID();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("shop.outbox.relay-enabled", () -> "true");
		registry.add("shop.events.orders-topic", () -> TOPIC);
	}

	@Autowired
	Outbox outbox;

	@Autowired
	Transactions transactions;

	@Autowired
	EventsProperties topics;

	@Autowired
	KafkaProperties kafka;

	@Autowired
	Clock clock;

	@Autowired
	JsonMapper json;

	private JsonNode spec;

	private List<ConsumerRecord<String, byte[]>> published;

	@BeforeAll
	void publishOrderEvents() {
		spec = new YAMLMapper().readTree(SPEC.toFile());
		Instant placedAt = clock.instant();
		String number = "MER-20261124-0042";
		List<OutgoingEvent> events = List.of(
				event(number, "OrderPlaced", placedAt,
						new OrderPlaced(number, "PENDING", "UNPAID", "DELIVERY", 8350, 1500, 9850, true, placedAt,
								placedAt.plus(30, ChronoUnit.MINUTES),
								List.of(new Line("RIZ-PARF-5KG", "Riz parfumé", "Sac de 5 kg", "UNIT", 1, null, 6500L,
										null, 6500, false),
										new Line("CAPITAINE-KG", "Poisson capitaine", "Au poids", "WEIGHT", null, 500,
												null, 3700L, 1850, true)))),
				event(number, "OrderStatusChanged", placedAt.plusSeconds(1800),
						new OrderStatusChanged(number, "PENDING", "CANCELLED", "PAYMENT_EXPIRED", "system", 1,
								placedAt.plusSeconds(1800))),
				event(number, "OrderReservationExpired", placedAt.plusSeconds(1800), new OrderReservationExpired(number,
						List.of(new Released("RIZ-PARF-5KG", 1), new Released("CAPITAINE-KG", 500)))));
		transactions.inTransaction(outbox.append(events).thenReturn(true)).block(Duration.ofSeconds(10));
		published = TopicReader.read(kafka.bootstrapServers(), topics.ordersTopic(), 3, Duration.ofSeconds(60),
				Duration.ofMillis(500));
	}

	@Test
	void publishedOrderEventsMatchTheirMessagesInTheContract() {
		assertThat(published).extracting(this::type)
			.containsExactly("OrderPlaced", "OrderStatusChanged", "OrderReservationExpired");
		for (ConsumerRecord<String, byte[]> record : published) {
			String type = type(record);
			JsonNode message = spec.at("/components/messages/" + type);
			assertThat(message.isMissingNode()).as("message " + type + " in the contract").isFalse();
			JsonNode value = json.readTree(record.value());
			assertThat(errors("/components/messages/" + type + "/payload", value)).as(type + " value").isEmpty();
			assertThat(errors("/components/messages/" + type + "/headers", headers(record))).as(type + " headers")
				.isEmpty();
			assertThat(errors("/components/messages/" + type + "/bindings/kafka/key", json.valueToTree(record.key())))
				.as(type + " key")
				.isEmpty();
			assertThat(record.key()).isEqualTo(value.get("data").get("number").asString());
			assertThat(headers(record).get("eventId").asString()).isEqualTo(value.get("eventId").asString());
		}
	}

	@Test
	void anEventWithoutARequiredFieldOrWithAnUnknownOneIsRefused() {
		ObjectNode placed = (ObjectNode) json.readTree(published.get(0).value());
		String payload = "/components/messages/OrderPlaced/payload";
		assertThat(errors(payload, placed)).isEmpty();

		ObjectNode withoutTotal = placed.deepCopy();
		((ObjectNode) withoutTotal.get("data")).remove("total");
		assertThat(messages(payload, withoutTotal)).anyMatch(message -> message.contains("total"));

		ObjectNode withoutEventId = placed.deepCopy();
		withoutEventId.remove("eventId");
		assertThat(messages(payload, withoutEventId)).anyMatch(message -> message.contains("eventId"));

		ObjectNode withPersonalData = placed.deepCopy();
		((ObjectNode) withPersonalData.get("data")).put("customerPhone", "+2250700000000");
		assertThat(messages(payload, withPersonalData)).anyMatch(message -> message.contains("customerPhone"));

		ObjectNode unitLineWithoutQuantity = placed.deepCopy();
		((ObjectNode) ((ArrayNode) unitLineWithoutQuantity.get("data").get("lines")).get(0)).putNull("quantity");
		assertThat(errors(payload, unitLineWithoutQuantity)).isNotEmpty();

		ObjectNode changed = (ObjectNode) json.readTree(published.get(1).value());
		((ObjectNode) changed.get("data")).put("to", "SHIPPED");
		assertThat(errors("/components/messages/OrderStatusChanged/payload", changed)).isNotEmpty();
	}

	@Test
	void theContractsExamplesMatchTheirSchemas() {
		List<String> checked = new ArrayList<>();
		spec.get("components").get("messages").properties().forEach(message -> {
			for (JsonNode example : message.getValue().get("examples")) {
				String base = "/components/messages/" + message.getKey();
				assertThat(errors(base + "/payload", example.get("payload"))).as(message.getKey()).isEmpty();
				assertThat(errors(base + "/headers", example.get("headers"))).as(message.getKey()).isEmpty();
				checked.add(message.getKey());
			}
		});
		assertThat(checked).contains("OrderPlaced", "OrderStatusChanged", "OrderReservationExpired");
	}

	/** The schema at {@code pointer} in the contract, with the contract's components. */
	private List<Error> errors(String pointer, JsonNode instance) {
		ObjectNode root = json.createObjectNode();
		root.put("$ref", "#" + pointer);
		root.set("components", spec.get("components"));
		Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(root);
		return schema.validate(instance,
				context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
	}

	private List<String> messages(String pointer, JsonNode instance) {
		return errors(pointer, instance).stream().map(Error::toString).collect(Collectors.toList());
	}

	private ObjectNode headers(ConsumerRecord<String, byte[]> record) {
		ObjectNode headers = json.createObjectNode();
		for (Header header : record.headers()) {
			headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
		}
		return headers;
	}

	private String type(ConsumerRecord<String, byte[]> record) {
		return new String(record.headers().lastHeader("type").value(), StandardCharsets.UTF_8);
	}

	private OutgoingEvent event(String number, String type, Instant at, Object data) {
		return new OutgoingEvent(topics.ordersTopic(), number, type, 1, at, data);
	}

	// the data of the three order events, as the ordering module publishes them

	record OrderPlaced(String number, String status, String paymentStatus, String fulfilment, long subtotal,
			long deliveryFee, long total, boolean estimated, Instant placedAt, Instant paymentDeadline,
			List<Line> lines) {
	}

	record Line(String skuCode, String productName, String label, String saleType, Integer quantity, Integer grams,
			Long unitPrice, Long pricePerKg, long amount, boolean estimated) {
	}

	record OrderStatusChanged(String number, String from, String to, String reason, String actor, int version,
			Instant at) {
	}

	record OrderReservationExpired(String number, List<Released> lines) {
	}

	record Released(String skuCode, long released) {
	}

}
