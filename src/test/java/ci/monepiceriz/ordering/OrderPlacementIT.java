package ci.monepiceriz.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.catalog.Catalog;
import ci.monepiceriz.ordering.OrderingFixtures.Answer;
import ci.monepiceriz.ordering.domain.OrderStatus;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import ci.monepiceriz.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Placing and reading orders through the HTTP API, on the real database. */
@IntegrationTest
class OrderPlacementIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	Catalog catalog;

	@Autowired
	JsonMapper json;

	@Autowired
	OrderingService ordering;

	@LocalServerPort
	int port;

	OrderingFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new OrderingFixtures(db, port);
	}

	private Answer place(Object body, String key) {
		return fixtures.place(body, key).block(Duration.ofSeconds(30));
	}

	@Test
	void placesAnOrderThatReservesStockAndKeepsASnapshotOfItsLines() {
		String rice = fixtures.unitSku(4500, 10);
		String fish = fixtures.weightSku(4000, 20_000);
		String cart = fixtures.cart(Map.of(rice, Map.of("quantity", 3), fish, Map.of("grams", 1500)));

		Answer answer = place(OrderingFixtures.pickup(cart), OrderingFixtures.newKey());

		assertThat(answer.status()).isEqualTo(201);
		JsonNode order = json.readTree(answer.body());
		String number = order.get("number").asString();
		assertThat(number).matches("MER-\\d{8}-\\d{4,}");
		assertThat(answer.headers().getLocation()).hasToString("/api/orders/" + number);
		assertThat(answer.headers().getCacheControl()).isEqualTo("no-store");
		assertThat(order.get("status").asString()).isEqualTo("PENDING");
		assertThat(order.get("statusLabel").asString()).isEqualTo("En attente");
		assertThat(order.get("paymentStatus").asString()).isEqualTo("UNPAID");
		// 3 x 4,500 + round_half_up(1,500 g x 4,000 / 1,000)
		assertThat(order.get("subtotal").asLong()).isEqualTo(13_500 + 6_000);
		assertThat(order.get("deliveryFee").asLong()).isZero();
		assertThat(order.get("total").asLong()).isEqualTo(19_500);
		assertThat(order.get("balance").asLong()).isEqualTo(19_500);
		assertThat(order.get("estimated").asBoolean()).isTrue();
		assertThat(order.get("customer").get("phone").asString()).isEqualTo("+2250707123456");
		assertThat(order.get("lines")).hasSize(2);
		assertThat(fixtures.stock(rice)).isEqualTo(7);
		assertThat(fixtures.stock(fish)).isEqualTo(18_500);
		assertThat(fixtures.count("SELECT count(*) FROM outbox WHERE key = :number AND type = 'OrderPlaced'",
				Map.of("number", number)))
			.isEqualTo(1);
		assertThat(fixtures.count(
				"SELECT count(*) FROM order_transition t JOIN customer_order o ON o.id = t.order_id WHERE o.number = :n AND t.to_status = 'PENDING'",
				Map.of("n", number)))
			.isEqualTo(1);

		// a later price change does not touch the order
		catalog.changePrice(rice, 9999).block(Duration.ofSeconds(10));
		String token = order.get("accessToken").asString();
		web.get()
			.uri("/api/orders/{number}", number)
			.headers(headers -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.number")
			.isEqualTo(number)
			.jsonPath("$.accessToken")
			.doesNotExist()
			.jsonPath("$.lines[?(@.skuCode == '" + rice + "')].unitPrice")
			.isEqualTo(4500)
			.jsonPath("$.subtotal")
			.isEqualTo(19_500);
	}

	@Test
	void anOrderIsHiddenFromAnyoneWithoutItsToken() {
		String rice = fixtures.unitSku(1000, 5);
		Answer answer = place(OrderingFixtures.pickup(fixtures.cart(Map.of(rice, Map.of("quantity", 1)))),
				OrderingFixtures.newKey());
		String number = json.readTree(answer.body()).get("number").asString();

		web.get().uri("/api/orders/{number}", number).exchange().expectStatus().isNotFound();
		web.get()
			.uri("/api/orders/{number}", number)
			.headers(headers -> headers.setBearerAuth("A".repeat(43)))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("order-not-found");
		web.get()
			.uri("/api/orders/MER-19990101-0001?accessToken=" + "B".repeat(43))
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void deliveryAddsTheQuotedFeeAndKeepsTheAddress() {
		String rice = fixtures.unitSku(4500, 10);
		Answer answer = place(OrderingFixtures.delivery(fixtures.cart(Map.of(rice, Map.of("quantity", 1)))),
				OrderingFixtures.newKey());

		assertThat(answer.status()).isEqualTo(201);
		JsonNode order = json.readTree(answer.body());
		assertThat(order.get("deliveryFee").asLong()).isEqualTo(1000);
		assertThat(order.get("total").asLong()).isEqualTo(5500);
		assertThat(order.get("fulfilment").get("type").asString()).isEqualTo("DELIVERY");
		assertThat(order.get("fulfilment").get("phone").asString()).isEqualTo("+2250505123456");
	}

	@Test
	void deliveryBelowTheMinimumIsRefusedWithTheMinimumAndNothingIsWritten() {
		String rice = fixtures.unitSku(2500, 10);
		String cart = fixtures.cart(Map.of(rice, Map.of("quantity", 1)));
		long orders = orderCount();

		Answer answer = place(OrderingFixtures.delivery(cart), OrderingFixtures.newKey());

		assertThat(answer.status()).isEqualTo(422);
		assertThat(answer.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = json.readTree(answer.body());
		assertThat(problem.get("code").asString()).isEqualTo("delivery-minimum-not-reached");
		assertThat(problem.get("detail").asString()).contains("3000 XOF").contains("2500 XOF");
		assertThat(fixtures.stock(rice)).isEqualTo(10);
		assertThat(orderCount()).isEqualTo(orders);
		// the same cart can still be picked up
		assertThat(place(OrderingFixtures.pickup(cart), OrderingFixtures.newKey()).status()).isEqualTo(201);
	}

	@Test
	void refusesAnOrderBeyondStockListingTheLinesAndReservesNothing() {
		String plenty = fixtures.unitSku(1000, 100);
		String scarce = fixtures.unitSku(1000, 2);
		String cart = fixtures.cart(Map.of(plenty, Map.of("quantity", 5), scarce, Map.of("quantity", 2)));
		fixtures.sql("UPDATE sku SET stock = 1 WHERE code = :code", Map.of("code", scarce));
		String key = OrderingFixtures.newKey();

		Answer answer = place(OrderingFixtures.pickup(cart), key);

		assertThat(answer.status()).isEqualTo(409);
		JsonNode problem = json.readTree(answer.body());
		assertThat(problem.get("code").asString()).isEqualTo("lines-unavailable");
		assertThat(problem.get("errors")).hasSize(1);
		assertThat(problem.get("errors").get(0).get("name").asString()).isEqualTo(scarce);
		assertThat(problem.get("errors").get(0).get("detail").asString()).contains("demandé 2")
			.contains("disponible 1");
		assertThat(fixtures.stock(plenty)).isEqualTo(100);
		assertThat(fixtures.stock(scarce)).isEqualTo(1);
		assertThat(fixtures.count("SELECT count(*) FROM idempotency_key WHERE key = :key", Map.of("key", key)))
			.isZero();

		// a refusal is not remembered: once the stock is back, the same key places the
		// order
		fixtures.sql("UPDATE sku SET stock = 2 WHERE code = :code", Map.of("code", scarce));
		assertThat(place(OrderingFixtures.pickup(cart), key).status()).isEqualTo(201);
		assertThat(fixtures.stock(scarce)).isZero();
	}

	@Test
	void theSameKeyWithTheSameRequestReplaysTheFirstAnswer() {
		String rice = fixtures.unitSku(1000, 10);
		String cart = fixtures.cart(Map.of(rice, Map.of("quantity", 2)));
		String key = OrderingFixtures.newKey();

		Answer first = place(OrderingFixtures.pickup(cart), key);
		Answer second = place(OrderingFixtures.pickup(cart), key);

		assertThat(first.status()).isEqualTo(201);
		assertThat(second.status()).isEqualTo(201);
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.headers().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(first.headers().getFirst("Idempotent-Replayed")).isNull();
		assertThat(fixtures.stock(rice)).isEqualTo(8);
	}

	@Test
	void theSameKeyWithAnotherRequestIsRefused() {
		String rice = fixtures.unitSku(1000, 10);
		String cart = fixtures.cart(Map.of(rice, Map.of("quantity", 2)));
		String key = OrderingFixtures.newKey();
		assertThat(place(OrderingFixtures.pickup(cart), key).status()).isEqualTo(201);
		long orders = orderCount();

		Answer reused = place(OrderingFixtures.delivery(cart), key);

		assertThat(reused.status()).isEqualTo(422);
		assertThat(json.readTree(reused.body()).get("code").asString()).isEqualTo("idempotency-key-reused");
		assertThat(orderCount()).isEqualTo(orders);
	}

	@Test
	void aCartGivesOneOrder() {
		String rice = fixtures.unitSku(1000, 10);
		String cart = fixtures.cart(Map.of(rice, Map.of("quantity", 2)));
		assertThat(place(OrderingFixtures.pickup(cart), OrderingFixtures.newKey()).status()).isEqualTo(201);

		Answer again = place(OrderingFixtures.pickup(cart), OrderingFixtures.newKey());

		assertThat(again.status()).isEqualTo(409);
		assertThat(json.readTree(again.body()).get("code").asString()).isEqualTo("cart-already-ordered");
		assertThat(fixtures.stock(rice)).isEqualTo(8);
	}

	@Test
	void unknownEmptyAndExpiredCartsAreRefused() {
		String rice = fixtures.unitSku(1000, 10);
		String expired = fixtures.cart(Map.of(rice, Map.of("quantity", 1)));
		fixtures.sql("UPDATE cart SET expires_at = now() - interval '1 minute', created_at = now() - interval '8 days',"
				+ " updated_at = now() - interval '8 days' WHERE token_hash = sha256(convert_to(:token, 'UTF8'))",
				Map.of("token", expired));
		String empty = fixtures.cart(Map.of());
		long orders = orderCount();

		assertProblem(place(OrderingFixtures.pickup(expired), OrderingFixtures.newKey()), 422, "unknown-cart");
		assertProblem(place(OrderingFixtures.pickup("C".repeat(43)), OrderingFixtures.newKey()), 422, "unknown-cart");
		assertProblem(place(OrderingFixtures.pickup(empty), OrderingFixtures.newKey()), 422, "empty-cart");
		assertThat(orderCount()).isEqualTo(orders);
		assertThat(fixtures.stock(rice)).isEqualTo(10);
	}

	@Test
	void badRequestsNameEveryBadFieldInFrenchOrEnglishAndWriteNothing() {
		long orders = orderCount();
		Map<String, Object> bad = new HashMap<>();
		bad.put("cartToken", "not-a-token");
		bad.put("fulfilment", Map.of("type", "DELIVERY", "address", " ", "latitude", 95.0, "phone", "12345"));
		bad.put("customer", Map.of("name", "", "phone", "+33 6 12 34 56 78", "email", "nope"));

		web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", OrderingFixtures.newKey())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bad)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid-parameters")
			.jsonPath("$.errors[*].name")
			.value(names -> assertThat((List<Object>) names).containsExactlyInAnyOrder("cartToken",
					"fulfilment.address", "fulfilment.latitude", "fulfilment.longitude", "fulfilment.phone",
					"customer.name", "customer.phone", "customer.email"));

		web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", OrderingFixtures.newKey())
			.header("Accept-Language", "en")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("cartToken", "D".repeat(43), "fulfilment", Map.of("type", "BY_DRONE"), "customer",
					Map.of("name", "Awa", "phone", "0707123456")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Invalid parameters")
			.jsonPath("$.errors[0].name")
			.isEqualTo("fulfilment.type")
			.jsonPath("$.errors[0].detail")
			.isEqualTo("must be PICKUP or DELIVERY");

		assertThat(orderCount()).isEqualTo(orders);
	}

	@Test
	void theIdempotencyKeyIsRequiredAndBounded() {
		web.post()
			.uri("/api/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(OrderingFixtures.pickup("E".repeat(43)))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].name")
			.isEqualTo("Idempotency-Key");
		web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", "k".repeat(256))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(OrderingFixtures.pickup("E".repeat(43)))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void unreadableOrOversizedBodiesAreClientErrors() {
		long orders = orderCount();
		web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", OrderingFixtures.newKey())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"cartToken\": ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("malformed-request");
		web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", OrderingFixtures.newKey())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"cartToken\": \"" + "G".repeat(43)
					+ "\", \"fulfilment\": {\"type\": \"DELIVERY\", \"latitude\": {\"north\": 5}}}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid-parameters")
			.jsonPath("$.errors[0].name")
			.isEqualTo("fulfilment.latitude");
		web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", OrderingFixtures.newKey())
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("cartToken=abc")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", OrderingFixtures.newKey())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"cartToken\": \"" + "x".repeat(400_000) + "\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", OrderingFixtures.newKey())
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isBadRequest();
		assertThat(orderCount()).isEqualTo(orders);
	}

	@Test
	void theEventStreamTellsEachStatusThenEndsWithTheOrder() {
		String rice = fixtures.unitSku(1000, 5);
		JsonNode placed = json
			.readTree(place(OrderingFixtures.pickup(fixtures.cart(Map.of(rice, Map.of("quantity", 1)))),
					OrderingFixtures.newKey())
				.body());
		String number = placed.get("number").asString();
		Flux<ServerSentEvent<String>> stream = fixtures.client()
			.get()
			.uri("/api/orders/{number}/events?accessToken={token}", number, placed.get("accessToken").asString())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.filter(event -> event.event() != null);

		StepVerifier.create(stream).assertNext(event -> {
			assertThat(event.event()).isEqualTo("status");
			assertThat(event.id()).isEqualTo("0");
			assertThat(json.readTree(event.data()).get("status").asString()).isEqualTo("PENDING");
		})
			// runs on the client's event loop: subscribe, never block there
			.then(() -> ordering.transition(number, OrderStatus.CANCELLED, "staff:test", "test", Optional.empty())
				.subscribe())
			.assertNext(event -> {
				assertThat(event.id()).isEqualTo("1");
				assertThat(json.readTree(event.data()).get("statusLabel").asString()).isEqualTo("Annulée");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(30));

		web.get()
			.uri("/api/orders/{number}/events?accessToken={token}", number, "F".repeat(43))
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	private void assertProblem(Answer answer, int status, String code) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(status);
		assertThat(json.readTree(answer.body()).get("code").asString()).isEqualTo(code);
	}

	private long orderCount() {
		return fixtures.count("SELECT count(*) FROM customer_order", Map.of());
	}

}
