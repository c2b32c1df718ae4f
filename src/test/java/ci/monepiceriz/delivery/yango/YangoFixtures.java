package ci.monepiceriz.delivery.yango;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ci.monepiceriz.support.TestServices;
import ci.monepiceriz.support.TestServicesInitializer;
import ci.monepiceriz.support.YangoStub;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Yango ITs share: carts, quotes and orders through the API, the stub's journal
 * for one destination longitude, and a clean quote cache.
 */
final class YangoFixtures {

	static final String CHECK_PRICE = "/b2b/cargo/integration/v2/check-price";

	record Answer(int status, HttpHeaders headers, JsonNode body) {
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
