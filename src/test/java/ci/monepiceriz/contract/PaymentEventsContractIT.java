package ci.monepiceriz.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.kafka.KafkaProperties;
import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.payment.domain.XToken;
import ci.monepiceriz.payment.RefundPayouts;
import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.IntegrationTest;
import ci.monepiceriz.support.TestServices;
import ci.monepiceriz.support.TestServicesInitializer;
import ci.monepiceriz.support.TopicReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The payment events of the contract ({@code contracts/asyncapi.yaml}) against events the
 * service really published, as {@link AsyncApiContractIT} does for order events: one
 * order is paid through the webhook ({@code PaymentSettled}), another is paid after it
 * expired ({@code PaymentRefundRequired}); every event of both goes through the outbox
 * and the relay to a topic of this run's own and is validated against its message.
 */
@IntegrationTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentEventsContractIT {

	static final Path SPEC = Path.of("contracts", "asyncapi.yaml");

	static final String TOPIC = "test.contract.payments." + UUID.randomUUID();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		String database = TestServicesInitializer.DATABASE + "_payevents";
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

	@Autowired
	RefundPayouts refunds;

	private final List<StubMapping> stubs = new ArrayList<>();

	private JsonNode spec;

	private AsyncApiSchemas schemas;

	private List<ConsumerRecord<String, byte[]>> published;

	@BeforeAll
	void payTwoOrders() {
		spec = new YAMLMapper().readTree(SPEC.toFile());
		schemas = new AsyncApiSchemas(spec, json);
		String[] paid = placeAndStart();
		acceptedByCinetPay(paid[1], 5000);
		notify(paid[1]);

		String[] late = placeAndStart();
		db.sql("UPDATE customer_order SET payment_deadline = now() - interval '1 second' WHERE number = :n")
			.bind("n", late[0])
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		assertThat(ordering.expireOverdue().block(Duration.ofSeconds(10))).isEqualTo(1L);
		acceptedByCinetPay(late[1], 5000);
		notify(late[1]);

		// the paid order cancelled: its refund recorded, sent, then paid out
		ordering.transition(paid[0], OrderStatus.CANCELLED, "staff:contract-test", "test", Optional.empty())
			.block(Duration.ofSeconds(10));
		refunds.round().block(Duration.ofSeconds(30));
		String payoutId = db.sql("SELECT client_transaction_id FROM payment_refund WHERE order_number = :n")
			.bind("n", paid[0])
			.map(row -> row.get(0, String.class))
			.one()
			.block(Duration.ofSeconds(10));
		stubs.add(CinetPayStub.server()
			.stubFor(get(urlPathEqualTo("/v1/transfer/check/money")).atPriority(1)
				.withQueryParam("client_transaction_id", equalTo(payoutId))
				.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
						{"code":0,"message":"OPERATION_SUCCES","data":[{"client_transaction_id":"%s",
						 "treatment_status":"VAL","transaction_id":"TRF-1"}]}
						""".formatted(payoutId)))));
		db.sql("UPDATE payment_refund SET next_attempt_at = now() - interval '1 second' WHERE order_number = :n")
			.bind("n", paid[0])
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		refunds.round().block(Duration.ofSeconds(30));

		// paid: placed, confirmed, settled, cancelled, refund required, refunded;
		// late: placed, expired, cancelled, refund required
		published = TopicReader.read(kafka.bootstrapServers(), topics.ordersTopic(), 10, Duration.ofSeconds(60),
				Duration.ofMillis(500));
	}

	@AfterAll
	void removeStubs() {
		stubs.forEach(CinetPayStub.server()::removeStub);
	}

	@Test
	void publishedPaymentEventsMatchTheirMessagesInTheContract() {
		assertThat(published).extracting(AsyncApiSchemas::type)
			.contains("PaymentSettled", "PaymentRefundRequired", "PaymentRefunded")
			.filteredOn(type -> type.equals("PaymentSettled"))
			.hasSize(1);
		for (ConsumerRecord<String, byte[]> record : published) {
			String type = AsyncApiSchemas.type(record);
			JsonNode value = json.readTree(record.value());
			assertThat(schemas.errors("/components/messages/" + type + "/payload", value)).as(type + " value")
				.isEmpty();
			assertThat(schemas.errors("/components/messages/" + type + "/headers", schemas.headers(record)))
				.as(type + " headers")
				.isEmpty();
			assertThat(record.key()).isEqualTo(value.get("data").get("number").asString());
		}
	}

	@Test
	void aSettlementWithoutItsAmountOrWithAnUnknownFieldIsRefused() {
		ObjectNode settled = (ObjectNode) json.readTree(published.stream()
			.filter(record -> AsyncApiSchemas.type(record).equals("PaymentSettled"))
			.findFirst()
			.orElseThrow()
			.value());
		String payload = "/components/messages/PaymentSettled/payload";
		assertThat(schemas.errors(payload, settled)).isEmpty();
		assertThat(settled.get("data").get("amount").asLong()).isEqualTo(5000);
		ObjectNode withoutAmount = settled.deepCopy();
		((ObjectNode) withoutAmount.get("data")).remove("amount");
		assertThat(schemas.errors(payload, withoutAmount)).isNotEmpty();
		ObjectNode withPhone = settled.deepCopy();
		((ObjectNode) withPhone.get("data")).put("phone", "+2250700000000");
		assertThat(schemas.errors(payload, withPhone)).isNotEmpty();
	}

	/**
	 * An order of one 5,000 XOF UNIT SKU and its payment started: number, transaction.
	 */
	private String[] placeAndStart() {
		String cart = web.post()
			.uri("/api/carts")
			.exchange()
			.returnResult(String.class)
			.getResponseHeaders()
			.getLocation()
			.getPath()
			.substring("/api/carts/".length());
		String sku = "T-PE-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		db.sql("""
				WITH p AS (
				    INSERT INTO product (slug, name, category_id, sale_type)
				    VALUES (lower(:code), 'Produit de test ' || :code, (SELECT min(id) FROM category), 'UNIT')
				    RETURNING id
				)
				INSERT INTO sku (product_id, sale_type, code, label, unit_price, stock)
				SELECT p.id, 'UNIT', :code, 'Pièce', 5000, 100 FROM p
				""").bind("code", sku).fetch().rowsUpdated().block(Duration.ofSeconds(10));
		web.put()
			.uri("/api/carts/{token}/lines/{sku}", cart, sku)
			.bodyValue(Map.of("quantity", 1))
			.exchange()
			.expectStatus()
			.isOk();
		JsonNode placed = json.readTree(web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.bodyValue(Map.of("cartToken", cart, "fulfilment", Map.of("type", "PICKUP"), "customer",
					Map.of("name", "Awa Koné", "phone", "0707123456")))
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(String.class)
			.getResponseBody()
			.blockFirst(Duration.ofSeconds(10)));
		String number = placed.get("number").asString();
		JsonNode started = startPayment(number, placed.get("accessToken").asString());
		return new String[] { number, started.get("transactionId").asString() };
	}

	/**
	 * Starts the order's payment, retrying (with a new key, as the contract tells
	 * clients) while the answer is 503: the first calls of a cold JVM to the CinetPay
	 * stub can pass the tests' 1 s response timeout on a busy machine.
	 */
	private JsonNode startPayment(String number, String accessToken) {
		for (int attempt = 1;; attempt++) {
			var result = web.post()
				.uri("/api/orders/{number}/payments", number)
				.header("Idempotency-Key", UUID.randomUUID().toString())
				.header("Authorization", "Bearer " + accessToken)
				.exchange()
				.returnResult(String.class);
			String body = result.getResponseBody().blockFirst(Duration.ofSeconds(10));
			if (result.getStatus().value() != 503 || attempt == 3) {
				assertThat(result.getStatus().value()).as("payment start: %s", body).isEqualTo(201);
				return json.readTree(body);
			}
		}
	}

	private void acceptedByCinetPay(String transactionId, long amount) {
		stubs.add(CinetPayStub.server()
			.stubFor(post(urlPathEqualTo("/v2/payment/check")).atPriority(1)
				.withRequestBody(matchingJsonPath("$.transaction_id", equalTo(transactionId)))
				.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
						{"code":"00","message":"SUCCES","data":{"amount":"%d","currency":"XOF","status":"ACCEPTED",
						 "payment_method":"OM","description":"Commande","metadata":"M","operator_id":"MP1",
						 "payment_date":"2026-01-01 10:00:00","fund_availability_date":" "},"api_response_id":"1"}
						""".formatted(amount)))));
	}

	private void notify(String transactionId) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("cpm_site_id", CinetPayStub.SITE_ID);
		form.put("cpm_trans_id", transactionId);
		form.put("cpm_amount", "5000");
		form.put("cpm_currency", "XOF");
		MultiValueMap<String, String> body = new LinkedMultiValueMap<>();
		form.forEach(body::add);
		web.post()
			.uri("/api/webhooks/cinetpay")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header("x-token", XToken.of("it-secret-key", form))
			.body(BodyInserters.fromFormData(body))
			.exchange()
			.expectStatus()
			.isOk();
	}

}
