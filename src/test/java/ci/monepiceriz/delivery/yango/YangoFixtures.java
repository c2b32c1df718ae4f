package ci.monepiceriz.delivery.yango;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.TransitionOutcome;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.support.TestServices;
import ci.monepiceriz.support.TestServicesInitializer;
import ci.monepiceriz.support.YangoStub;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Yango ITs share: carts, quotes and orders through the API, the stub's journal
 * for one destination longitude, and a clean quote cache; for the claim ITs, READY
 * delivery orders, booking rounds, the {@code delivery_claim} row, its outbox facts, the
 * creates Yango received and the journal's cursor.
 */
final class YangoFixtures {

	static final String CHECK_PRICE = "/b2b/cargo/integration/v2/check-price";

	static final String CLAIMS = "/b2b/cargo/integration/v2/claims/";

	record Answer(int status, HttpHeaders headers, JsonNode body) {
	}

	/** An order placed through the API: its number and the customer's access token. */
	record Placed(String number, String token) {
	}

	private static boolean warm;

	private final WebTestClient web;

	private final DatabaseClient db;

	private final JsonMapper json;

	final WireMockServer yango = YangoStub.server();

	YangoFixtures(WebTestClient web, DatabaseClient db, JsonMapper json) {
		this.web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
		this.db = db;
		this.json = json;
	}

	/** Before each test: no cached quote, no scenario state, an empty journal. */
	void reset() {
		RedisClient client = RedisClient.create(TestServices.redis().uri(TestServicesInitializer.REDIS_DATABASE));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<String> keys = connection.sync().keys("shop:delivery:yango-quote:*");
			if (!keys.isEmpty()) {
				connection.sync().del(keys.toArray(String[]::new));
			}
		}
		finally {
			client.shutdown();
		}
		warmUp(yango);
		yango.resetScenarios();
		yango.resetRequests();
	}

	/** A new cart with one new UNIT SKU line worth {@code amount} XOF. */
	String cartWorth(long amount) {
		String sku = "YQ"
				+ Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).toUpperCase(Locale.ROOT);
		db.sql("""
				WITH p AS (
				    INSERT INTO product (slug, name, category_id, sale_type)
				    VALUES (lower(:code), 'Produit de test ' || :code, (SELECT min(id) FROM category), 'UNIT')
				    RETURNING id
				)
				INSERT INTO sku (product_id, sale_type, code, label, unit_price, stock)
				SELECT p.id, 'UNIT', :code, 'Pièce', :price, 100 FROM p
				""").bind("code", sku).bind("price", amount).fetch().rowsUpdated().block(Duration.ofSeconds(10));
		String location = web.post()
			.uri("/api/carts")
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(String.class)
			.getResponseHeaders()
			.getLocation()
			.getPath();
		String token = location.substring("/api/carts/".length());
		web.put()
			.uri("/api/carts/{token}/lines/{sku}", token, sku)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("quantity", 1))
			.exchange()
			.expectStatus()
			.isOk();
		return token;
	}

	Answer quote(String token, double latitude, double longitude) {
		return quote(token, latitude, longitude, "fr");
	}

	Answer quote(String token, double latitude, double longitude, String language) {
		return answer(web.post()
			.uri("/api/carts/{token}/delivery-quote", token)
			.header(HttpHeaders.ACCEPT_LANGUAGE, language)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("address", "Cocody, Abidjan", "latitude", latitude, "longitude", longitude))
			.exchange()
			.expectBody(String.class)
			.returnResult());
	}

	Answer placeDelivery(String token, double latitude, double longitude) {
		return answer(web.post()
			.uri("/api/orders")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("cartToken", token, "fulfilment",
					Map.of("type", "DELIVERY", "address", "Cocody, Abidjan", "latitude", latitude, "longitude",
							longitude, "phone", "+225 05 05 12 34 56"),
					"customer", Map.of("name", "Koffi Yao", "phone", "0101020304")))
			.exchange()
			.expectBody(String.class)
			.returnResult());
	}

	private Answer answer(EntityExchangeResult<String> result) {
		String body = result.getResponseBody();
		return new Answer(result.getStatus().value(), result.getResponseHeaders(),
				body == null || body.isEmpty() ? null : json.readTree(body));
	}

	/** The check-price requests Yango received for this destination longitude. */
	List<LoggedRequest> requestsFor(double longitude) {
		return yango.findAll(postRequestedFor(urlPathEqualTo(CHECK_PRICE))
			.withRequestBody(matchingJsonPath("$.route_points[1].coordinates[0]",
					com.github.tomakehurst.wiremock.client.WireMock.equalTo(Double.toString(longitude)))));
	}

	long count(String sql) {
		return db.sql(sql).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
	}

	/** The quotes kept for this cart (0 or 1). */
	long keptQuotes(String token) {
		return db.sql("""
				SELECT count(*) FROM cart_delivery_quote q JOIN cart c ON c.id = q.cart_id
				 WHERE c.token_hash = sha256(convert_to(:token, 'UTF8'))
				""").bind("token", token).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
	}

	// --- claims

	/** A DELIVERY order placed through the API and moved to READY by staff. */
	Placed readyOrder(OrderingService ordering, double longitude) {
		String cart = cartWorth(5000);
		Answer placed = placeDelivery(cart, 5.35, longitude);
		assertThat(placed.status()).isEqualTo(201);
		String number = placed.body().path("number").asString();
		for (OrderStatus to : List.of(OrderStatus.CONFIRMED, OrderStatus.PREPARING, OrderStatus.READY)) {
			assertThat(
					ordering.transition(number, to, "staff:test", null, Optional.empty()).block(Duration.ofSeconds(10)))
				.isInstanceOf(TransitionOutcome.Moved.class);
		}
		return new Placed(number, placed.body().path("accessToken").asString());
	}

	/** Runs booking rounds until this order's booking leaves BOOKING (at most 8). */
	void book(ClaimBooking booking, String number) {
		for (int round = 0; round < 8 && "BOOKING".equals(claimRow(number).get("state")); round++) {
			booking.round().block(Duration.ofSeconds(30));
		}
	}

	/** The order's {@code delivery_claim} row (empty if none). */
	Map<String, Object> claimRow(String number) {
		return db.sql("""
				SELECT state, request_id, claim_id, tries, provider_status, problem, cancel_state, cancel_price,
				       courier_name, courier_vehicle, eta_minutes, tracking_url, failures, last_error, next_attempt_at
				  FROM delivery_claim WHERE order_number = :number
				""").bind("number", number).fetch().one().defaultIfEmpty(Map.of()).block(Duration.ofSeconds(10));
	}

	/** The facts of the order's DeliveryStatusChanged events in the outbox, in order. */
	List<String> facts(String number) {
		return db.sql("""
				SELECT convert_from(payload, 'UTF8')::jsonb -> 'data' ->> 'fact' AS fact FROM outbox
				 WHERE key = :number AND type = 'DeliveryStatusChanged' ORDER BY id
				""").bind("number", number).map(row -> row.get("fact", String.class)).all().collectList().block();
	}

	/** The order's DeliveryStatusChanged events in the outbox, oldest first. */
	List<JsonNode> deliveryEvents(String number) {
		return db.sql("""
				SELECT convert_from(payload, 'UTF8') AS payload FROM outbox
				 WHERE key = :number AND type = 'DeliveryStatusChanged' ORDER BY id
				""")
			.bind("number", number)
			.map(row -> json.readTree(row.get("payload", String.class)))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	/** Those of one fact. */
	List<JsonNode> deliveryEvents(String number, String fact) {
		return deliveryEvents(number).stream().filter(event -> fact.equals(event.at("/data/fact").asString())).toList();
	}

	/** The claims/create requests Yango received for this order. */
	List<LoggedRequest> creates(String number) {
		return yango.findAll(postRequestedFor(urlPathEqualTo(CLAIMS + "create"))
			.withRequestBody(matchingJsonPath("$.route_points[1].external_order_id", equalTo(number))));
	}

	/** The claims/{method} requests Yango received about this claim. */
	List<LoggedRequest> claimRequests(String method, String claimId) {
		return yango
			.findAll(postRequestedFor(urlPathEqualTo(CLAIMS + method)).withQueryParam("claim_id", equalTo(claimId)));
	}

	/** A cursor no other test uses, set as the journal's. */
	String freshCursor() {
		String cursor = "t-" + UUID.randomUUID();
		setCursor(cursor);
		return cursor;
	}

	/** Sets the journal's cursor (null: none yet), its lease free. */
	void setCursor(String cursor) {
		var update = db
			.sql("UPDATE yango_journal SET cursor = :cursor, lease_owner = NULL, lease_until = NULL WHERE id = 1");
		(cursor == null ? update.bindNull("cursor", String.class) : update.bind("cursor", cursor)).fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
	}

	String cursor() {
		return db.sql("SELECT cursor FROM yango_journal WHERE id = 1")
			.map(row -> row.get("cursor", String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	/**
	 * One request straight to the stub, once per JVM: WireMock's first match (JSONPath,
	 * Jetty threads) can take longer than the application's 1 s response timeout on a
	 * busy machine, and a timed-out first attempt would be retried, which tests counting
	 * requests must not see.
	 */
	private static synchronized void warmUp(WireMockServer yango) {
		if (warm) {
			return;
		}
		String body = "{\"route_points\":[{\"id\":1,\"coordinates\":[-4.01,5.3]},"
				+ "{\"id\":2,\"coordinates\":[-4.999,5.3]}],\"requirements\":{\"taxi_class\":\"courier\"}}";
		HttpRequest request = HttpRequest.newBuilder(URI.create(yango.baseUrl() + CHECK_PRICE))
			.header("Authorization", "Bearer warm-up")
			.header("Accept-Language", "fr")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException("Yango stub unreachable", ex);
		}
		warm = true;
	}

}
