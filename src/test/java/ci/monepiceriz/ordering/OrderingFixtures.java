package ci.monepiceriz.ordering;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * Test data for ordering: products and SKUs of their own (so no other test's stock moves
 * them), carts filled through the cart API, and order requests.
 */
final class OrderingFixtures {

	private final DatabaseClient db;

	private final WebClient client;

	OrderingFixtures(DatabaseClient db, int port) {
		this.db = db;
		ConnectionProvider connections = ConnectionProvider.builder("ordering-tests")
			.maxConnections(250)
			.pendingAcquireMaxCount(-1)
			.build();
		this.client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
			.build();
	}

	WebClient client() {
		return client;
	}

	/** A new UNIT SKU (and its product) with this price and stock; answers its code. */
	String unitSku(long unitPrice, long stock) {
		String code = "T-UNIT-" + suffix();
		long product = product("UNIT");
		db.sql("""
				INSERT INTO sku (product_id, sale_type, code, label, unit_price, stock)
				VALUES (:product, 'UNIT', :code, 'Pièce', :price, :stock)
				""")
			.bind("product", product)
			.bind("code", code)
			.bind("price", unitPrice)
			.bind("stock", stock)
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		return code;
	}

	/**
	 * A new WEIGHT SKU sold by steps of 250 g from 500 g to 5,000 g, with stock in grams.
	 */
	String weightSku(long pricePerKg, long stockGrams) {
		String code = "T-WEIGHT-" + suffix();
		long product = product("WEIGHT");
		db.sql("""
				INSERT INTO sku (product_id, sale_type, code, label, price_per_kg, step_grams, min_grams, max_grams,
				                 stock)
				VALUES (:product, 'WEIGHT', :code, 'Au poids', :price, 250, 500, 5000, :stock)
				""")
			.bind("product", product)
			.bind("code", code)
			.bind("price", pricePerKg)
			.bind("stock", stockGrams)
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		return code;
	}

	private long product(String saleType) {
		String slug = "produit-test-" + suffix().toLowerCase();
		return db.sql("""
				INSERT INTO product (slug, name, category_id, sale_type)
				VALUES (:slug, :name, (SELECT min(id) FROM category), :saleType)
				RETURNING id
				""")
			.bind("slug", slug)
			.bind("name", "Produit de test " + slug)
			.bind("saleType", saleType)
			.map(row -> row.get("id", Long.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private static String suffix() {
		return Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).toUpperCase();
	}

	long stock(String skuCode) {
		return db.sql("SELECT stock FROM sku WHERE code = :code")
			.bind("code", skuCode)
			.map(row -> row.get("stock", Long.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	long count(String sql, Map<String, Object> binds) {
		DatabaseClient.GenericExecuteSpec spec = db.sql(sql);
		for (Map.Entry<String, Object> bind : binds.entrySet()) {
			spec = spec.bind(bind.getKey(), bind.getValue());
		}
		return spec.map(row -> ((Number) row.get(0)).longValue()).one().block(Duration.ofSeconds(10));
	}

	void sql(String sql, Map<String, Object> binds) {
		DatabaseClient.GenericExecuteSpec spec = db.sql(sql);
		for (Map.Entry<String, Object> bind : binds.entrySet()) {
			spec = spec.bind(bind.getKey(), bind.getValue());
		}
		spec.fetch().rowsUpdated().block(Duration.ofSeconds(10));
	}

	/** A new cart holding these lines (sku code → {"quantity": n} or {"grams": n}). */
	String cart(Map<String, Map<String, Object>> lines) {
		return cartAsync(lines).block(Duration.ofSeconds(30));
	}

	Mono<String> cartAsync(Map<String, Map<String, Object>> lines) {
		return client.post()
			.uri("/api/carts")
			.retrieve()
			.toEntity(Map.class)
			.map(created -> created.getHeaders().getLocation().getPath().substring("/api/carts/".length()))
			.flatMap(token -> reactor.core.publisher.Flux.fromIterable(lines.entrySet())
				.concatMap(line -> client.put()
					.uri("/api/carts/{token}/lines/{sku}", token, line.getKey())
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(line.getValue())
					.retrieve()
					.toBodilessEntity())
				.then(Mono.just(token)));
	}

	static Map<String, Object> pickup(String cartToken) {
		return Map.of("cartToken", cartToken, "fulfilment", Map.of("type", "PICKUP"), "customer",
				Map.of("name", "Awa Koné", "phone", "07 07 12 34 56", "email", "awa@example.ci"));
	}

	static Map<String, Object> delivery(String cartToken) {
		return Map.of("cartToken", cartToken, "fulfilment",
				Map.of("type", "DELIVERY", "address", "Cocody Riviera 3, rue des Jardins", "latitude", 5.3599,
						"longitude", -3.9660, "phone", "+225 05 05 12 34 56", "instructions", "Portail bleu"),
				"customer", Map.of("name", "Koffi Yao", "phone", "0101020304"));
	}

	/** An order request's answer: status, headers and body as text. */
	record Answer(int status, HttpHeaders headers, String body) {
	}

	Mono<Answer> place(Object body, String idempotencyKey) {
		return client.post()
			.uri("/api/orders")
			.header("Idempotency-Key", idempotencyKey)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono(response -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map(text -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), text)));
	}

	/**
	 * A fresh idempotency key; not {@code UUID.randomUUID()}, whose reads of
	 * {@code /dev/urandom} BlockHound rejects when a key is made on an event loop.
	 */
	static String newKey() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

	static List<String> codes(List<Answer> answers) {
		return answers.stream().map(Answer::body).toList();
	}

}
