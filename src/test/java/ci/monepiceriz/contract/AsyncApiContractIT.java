package ci.monepiceriz.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.annotation.DirtiesContext;

import com.networknt.schema.Error;

import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.kafka.KafkaProperties;
import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.support.IntegrationTest;
import ci.monepiceriz.support.TestServices;
import ci.monepiceriz.support.TestServicesInitializer;
import ci.monepiceriz.support.TopicReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The event contract ({@code contracts/asyncapi.yaml}) against events the service really
 * published: an order is placed through the API and expires unpaid, its three events go
 * through the outbox and the application's relay to the orders topic, are consumed from
 * the broker, and their value, headers and key are validated against the schemas of their
 * message. The context has a database of its own, so its relay publishes only these. The
 * schemas are strict enough to refuse an event that lacks a required field or carries an
 * unknown one.
 */
@IntegrationTest
// a context of its own, used by no other class: closed after it, pool and all
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncApiContractIT {

	static final Path SPEC = Path.of("contracts", "asyncapi.yaml");

	// a topic of this run's own, so that only the events published here are read
	static final String TOPIC = "test.contract.orders." + UUID.randomUUID();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		String database = TestServicesInitializer.DATABASE + "_asyncapi";
		TestServices.recreateDatabase(database);
		registry.add("spring.r2dbc.url", () -> TestServices.postgres().r2dbcUrl(database));
		registry.add("spring.flyway.url", () -> TestServices.postgres().jdbcUrl(database));
		registry.add("shop.outbox.relay-enabled", () -> "true");
		registry.add("shop.events.orders-topic", () -> TOPIC);
	}

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	OrderingService ordering;

	@Autowired
	EventsProperties topics;

	@Autowired
	KafkaProperties kafka;

	@Autowired
	JsonMapper json;

	private JsonNode spec;

	private AsyncApiSchemas schemas;

	private List<ConsumerRecord<String, byte[]>> published;

	@BeforeAll
	void publishOrderEvents() {
		spec = new YAMLMapper().readTree(SPEC.toFile());
		schemas = new AsyncApiSchemas(spec, json);
		String cart = web.post()
			.uri("/api/carts")
			.exchange()
			.returnResult(String.class)
			.getResponseHeaders()
			.getLocation()
			.getPath()
			.substring("/api/carts/".length());
		setLine(cart, "RIZ-PARF-5KG", Map.of("quantity", 1));
		setLine(cart, "POISSON-CAPITAINE-KG", Map.of("grams", 1500));
		String number = json.readTree(web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.bodyValue(Map.of("cartToken", cart, "fulfilment",
					Map.of("type", "DELIVERY", "address", "Cocody Riviera 3", "latitude", 5.36, "longitude", -3.97,
							"phone", "0505123456"),
					"customer", Map.of("name", "Awa Koné", "phone", "0707123456")))
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(String.class)
			.getResponseBody()
			.blockFirst(Duration.ofSeconds(10))).get("number").asString();
		db.sql("UPDATE customer_order SET payment_deadline = now() - interval '1 second' WHERE number = :n")
			.bind("n", number)
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		assertThat(ordering.expireOverdue().block(Duration.ofSeconds(10))).isEqualTo(1L);
		published = TopicReader.read(kafka.bootstrapServers(), topics.ordersTopic(), 3, Duration.ofSeconds(60),
				Duration.ofMillis(500));
	}

	private void setLine(String cart, String sku, Map<String, Object> amount) {
		web.put().uri("/api/carts/{token}/lines/{sku}", cart, sku).bodyValue(amount).exchange().expectStatus().isOk();
	}

	@Test
	void publishedOrderEventsMatchTheirMessagesInTheContract() {
		assertThat(published).extracting(AsyncApiSchemas::type)
			.containsExactly("OrderPlaced", "OrderReservationExpired", "OrderStatusChanged");
		for (ConsumerRecord<String, byte[]> record : published) {
			String type = AsyncApiSchemas.type(record);
			JsonNode message = spec.at("/components/messages/" + type);
			assertThat(message.isMissingNode()).as("message " + type + " in the contract").isFalse();
			JsonNode value = json.readTree(record.value());
			assertThat(schemas.errors("/components/messages/" + type + "/payload", value)).as(type + " value")
				.isEmpty();
			assertThat(schemas.errors("/components/messages/" + type + "/headers", schemas.headers(record)))
				.as(type + " headers")
				.isEmpty();
			assertThat(schemas.errors("/components/messages/" + type + "/bindings/kafka/key",
					json.valueToTree(record.key())))
				.as(type + " key")
				.isEmpty();
			assertThat(record.key()).isEqualTo(value.get("data").get("number").asString());
			assertThat(schemas.headers(record).get("eventId").asString()).isEqualTo(value.get("eventId").asString());
		}
	}

	@Test
	void anEventWithoutARequiredFieldOrWithAnUnknownOneIsRefused() {
		ObjectNode placed = (ObjectNode) json.readTree(published.get(0).value());
		String payload = "/components/messages/OrderPlaced/payload";
		assertThat(schemas.errors(payload, placed)).isEmpty();

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
		assertThat(schemas.errors(payload, unitLineWithoutQuantity)).isNotEmpty();

		ObjectNode changed = (ObjectNode) json.readTree(published.get(1).value());
		((ObjectNode) changed.get("data")).put("to", "SHIPPED");
		assertThat(schemas.errors("/components/messages/OrderStatusChanged/payload", changed)).isNotEmpty();
	}

	@Test
	void theContractsExamplesMatchTheirSchemas() {
		List<String> checked = new ArrayList<>();
		spec.get("components").get("messages").properties().forEach(message -> {
			for (JsonNode example : message.getValue().get("examples")) {
				String base = "/components/messages/" + message.getKey();
				assertThat(schemas.errors(base + "/payload", example.get("payload"))).as(message.getKey()).isEmpty();
				assertThat(schemas.errors(base + "/headers", example.get("headers"))).as(message.getKey()).isEmpty();
				checked.add(message.getKey());
			}
		});
		assertThat(checked).contains("OrderPlaced", "OrderStatusChanged", "OrderReservationExpired", "PaymentSettled",
				"PaymentRefundRequired");
	}

	private List<String> messages(String pointer, JsonNode instance) {
		return schemas.errors(pointer, instance).stream().map(Error::toString).collect(Collectors.toList());
	}

}
