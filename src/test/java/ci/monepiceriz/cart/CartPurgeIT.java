package ci.monepiceriz.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.cart.persistence.R2dbcCarts;
import ci.monepiceriz.shared.cache.ReadThroughCache;
import ci.monepiceriz.shared.persistence.Transactions;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The purge of expired carts, against a real PostgreSQL. */
@IntegrationTest
class CartPurgeIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	CartPurge purge;

	@Autowired
	Carts carts;

	@Autowired
	R2dbcCarts store;

	@Autowired
	CartCheckout checkout;

	@Autowired
	Transactions transactions;

	@BeforeAll
	static void skus(@Autowired DatabaseClient db, @Autowired ReadThroughCache cache) {
		CartFixtures.ensure(db, cache);
	}

	@Test
	void deletesExpiredCartsOnlyWithTheirLinesAndOrdersKeepTheirs() {
		String live = cartWithALine();
		String expired = cartWithALine();
		String orderedThenExpired = cartWithALine();
		long orderedId = transactions.inTransaction(checkout.checkOut(orderedThenExpired).map(cart -> cart.id()))
			.block();
		long orderId = placeOrderFrom(orderedId);
		CartFixtures.expire(db, expired);
		CartFixtures.expire(db, orderedThenExpired);
		long expiredId = cartId(expired);

		purge.run().block(Duration.ofSeconds(30));

		assertThat(exists(live)).isTrue();
		assertThat(CartFixtures.lineCount(db, live)).isEqualTo(1);
		assertThat(exists(expired)).isFalse();
		assertThat(exists(orderedThenExpired)).isFalse();
		assertThat(count("SELECT count(*) FROM cart_line WHERE cart_id IN (" + expiredId + ", " + orderedId + ")"))
			.as("lines went with their carts")
			.isZero();
		assertThat(count("SELECT count(*) FROM customer_order WHERE id = " + orderId + " AND cart_id IS NULL"))
			.as("the order stays, without its cart")
			.isEqualTo(1);
		assertThat(web.get().uri("/api/carts/{token}", live).exchange().expectBody().returnResult().getStatus().value())
			.isEqualTo(200);
	}

	@Test
	void deletesInBoundedBatchesAndTwoPurgesAtOnceDeleteEachCartOnce() {
		carts.purgeExpired().block(Duration.ofSeconds(30)); // expired carts of other
															// tests
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			String token = cartWithALine();
			CartFixtures.expire(db, token);
			tokens.add(token);
		}
		Instant now = Instant.now();
		assertThat(store.purgeExpired(now, 3).block()).isEqualTo(3);
		assertThat(tokens.stream().filter(this::exists).count()).isEqualTo(4);

		long deletedByBoth = Mono.zip(carts.purgeExpired(), carts.purgeExpired(), Long::sum)
			.block(Duration.ofSeconds(30));
		assertThat(deletedByBoth).isEqualTo(4);
		assertThat(tokens.stream().filter(this::exists).count()).isZero();
		assertThat(carts.purgeExpired().block(Duration.ofSeconds(30))).isZero();
	}

	private String cartWithALine() {
		String token = json
			.readTree(web.post().uri("/api/carts").exchange().expectBody().returnResult().getResponseBodyContent())
			.get("token")
			.asString();
		web.put()
			.uri("/api/carts/{token}/lines/{code}", token, CartFixtures.UNITS)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"quantity\": 1}")
			.exchange()
			.expectStatus()
			.isOk();
		return token;
	}

	/** An order row as the ordering module will write it, pointing at the cart. */
	private long placeOrderFrom(long cartId) {
		return db.sql("""
				INSERT INTO customer_order (number, access_token_hash, status, payment_status, cart_id, fulfilment,
				                            customer_name, customer_phone, subtotal, delivery_fee, total, placed_at,
				                            updated_at)
				VALUES ('MER-20261126-' || lpad(:cart::text, 6, '0'), sha256('order'::bytea), 'PENDING', 'UNPAID',
				        :cart, 'PICKUP', 'Awa Koné', '+2250700000000', 1250, 0, 1250, now(), now())
				RETURNING id
				""").bind("cart", cartId).map(row -> row.get(0, Long.class)).one().block();
	}

	private long cartId(String token) {
		return db.sql("SELECT id FROM cart WHERE token_hash = sha256(convert_to(:t, 'UTF8'))")
			.bind("t", token)
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	private boolean exists(String token) {
		return db.sql("SELECT count(*) FROM cart WHERE token_hash = sha256(convert_to(:t, 'UTF8'))")
			.bind("t", token)
			.map(row -> row.get(0, Long.class))
			.one()
			.block() == 1;
	}

	private long count(String sql) {
		return db.sql(sql).map(row -> row.get(0, Long.class)).one().block();
	}

}
