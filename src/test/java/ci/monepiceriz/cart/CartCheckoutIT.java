package ci.monepiceriz.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.cart.domain.CheckoutCart;
import ci.monepiceriz.shared.cache.ReadThroughCache;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.persistence.Transactions;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** What placing an order gets from the cart module, inside its own transaction. */
@IntegrationTest
class CartCheckoutIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	CartCheckout checkout;

	@Autowired
	Transactions transactions;

	@BeforeAll
	static void skus(@Autowired DatabaseClient db, @Autowired ReadThroughCache cache) {
		CartFixtures.ensure(db, cache);
	}

	@Test
	void checksTheCartOutWithItsLinesInTheOrderTheyWereAdded() {
		String token = newCart();
		put(token, CartFixtures.BY_WEIGHT, "{\"grams\": 1500}");
		put(token, CartFixtures.RICE, "{\"quantity\": 2}");
		put(token, CartFixtures.UNITS, "{\"quantity\": 1}");
		put(token, CartFixtures.BY_WEIGHT, "{\"grams\": 750}");
		CheckoutCart cart = transactions.inTransaction(checkout.checkOut(token)).block(Duration.ofSeconds(10));
		assertThat(cart.ordered()).isFalse();
		assertThat(cart.lines()).extracting(CheckoutCart.Line::skuCode)
			.containsExactly(CartFixtures.BY_WEIGHT, CartFixtures.RICE, CartFixtures.UNITS);
		assertThat(cart.lines().get(0).grams()).isEqualTo(750);
		assertThat(cart.lines().get(0).quantity()).isNull();
		assertThat(cart.lines().get(1).quantity()).isEqualTo(2);
		assertThat(cart.lines().get(1).skuId()).isEqualTo(skuId(CartFixtures.RICE));
	}

	@Test
	void findsNoCartForAnUnknownMalformedOrExpiredToken() {
		assertThat(transactions.inTransaction(checkout.checkOut("A".repeat(43))).blockOptional()).isEmpty();
		assertThat(transactions.inTransaction(checkout.checkOut("not a token")).blockOptional()).isEmpty();
		String token = newCart();
		CartFixtures.expire(db, token);
		assertThat(transactions.inTransaction(checkout.checkOut(token)).blockOptional()).isEmpty();
	}

	@Test
	void aCartIsOrderedOnceAndThenSaysSo() {
		String token = newCart();
		put(token, CartFixtures.RICE, "{\"quantity\": 1}");
		CheckoutCart first = transactions.inTransaction(checkout.checkOut(token)).block(Duration.ofSeconds(10));
		assertThat(first.ordered()).isFalse();

		CheckoutCart second = transactions.inTransaction(checkout.checkOut(token)).block(Duration.ofSeconds(10));

		assertThat(second.ordered()).isTrue();
		assertThat(second.id()).isEqualTo(first.id());
		assertThat(db.sql("SELECT ordered_at IS NOT NULL FROM cart WHERE id = :id")
			.bind("id", first.id())
			.map(row -> row.get(0, Boolean.class))
			.one()
			.block()).isTrue();
	}

	@Test
	void aRolledBackCheckOutLeavesTheCartAsItWas() {
		String token = newCart();
		put(token, CartFixtures.RICE, "{\"quantity\": 1}");
		assertThatThrownBy(() -> transactions
			.inTransaction(checkout.checkOut(token).then(Mono.error(new IllegalStateException("refused"))))
			.block(Duration.ofSeconds(10))).hasMessageContaining("refused");

		CheckoutCart cart = transactions.inTransaction(checkout.checkOut(token)).block(Duration.ofSeconds(10));

		assertThat(cart.ordered()).isFalse();
		assertThat(cart.lines()).extracting(CheckoutCart.Line::skuCode).containsExactly(CartFixtures.RICE);
	}

	/**
	 * The check-out's single statement reads the lines from its snapshot, taken before it
	 * waits for the cart's lock: a change that commits during that wait must still be in
	 * what it answers.
	 */
	@Test
	void aCheckOutThatWaitedForALineChangeSeesIt() throws Exception {
		String token = newCart();
		put(token, CartFixtures.RICE, "{\"quantity\": 1}");
		long id = cartId(token);
		CountDownLatch locked = new CountDownLatch(1);
		CompletableFuture<Long> change = transactions
			.inTransaction(db.sql("SELECT id FROM cart WHERE id = :id FOR UPDATE")
				.bind("id", id)
				.then()
				.thenReturn(id)
				.doOnNext(lockedId -> locked.countDown())
				.delayElement(Duration.ofMillis(800))
				.then(db.sql("""
						INSERT INTO cart_line (cart_id, sku_id, quantity, added_at)
						SELECT :id, s.id, 3, now() FROM sku s WHERE s.code = :code
						""").bind("id", id).bind("code", CartFixtures.UNITS).then())
				.then(db.sql("UPDATE cart SET version = version + 1 WHERE id = :id").bind("id", id).then())
				.thenReturn(id))
			.toFuture();
		assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

		long start = System.nanoTime();
		CheckoutCart cart = transactions.inTransaction(checkout.checkOut(token)).block(Duration.ofSeconds(10));
		long waitedMillis = (System.nanoTime() - start) / 1_000_000;
		change.get(10, TimeUnit.SECONDS);

		assertThat(waitedMillis).as("the check-out waited for the change's lock").isGreaterThan(300);
		assertThat(cart.ordered()).isFalse();
		assertThat(cart.lines()).extracting(CheckoutCart.Line::skuCode)
			.containsExactly(CartFixtures.RICE, CartFixtures.UNITS);
		assertThat(cart.lines().get(1).quantity()).isEqualTo(3);
	}

	@Test
	void aLineChangeWaitsForTheOrderBeingPlacedThenIsRefused() throws Exception {
		String token = newCart();
		put(token, CartFixtures.RICE, "{\"quantity\": 1}");
		CountDownLatch locked = new CountDownLatch(1);
		CompletableFuture<Void> order = transactions
			.inTransaction(checkout.checkOut(token)
				.doOnNext(cart -> locked.countDown())
				.delayElement(Duration.ofMillis(800))
				.then())
			.toFuture();
		assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
		long start = System.nanoTime();
		EntityExchangeResult<byte[]> change = put(token, CartFixtures.UNITS, "{\"quantity\": 1}");
		long waitedMillis = (System.nanoTime() - start) / 1_000_000;
		order.get(10, TimeUnit.SECONDS);
		assertThat(change.getStatus().value()).isEqualTo(409);
		assertThat(json.readTree(change.getResponseBodyContent()).get("code").asString())
			.isEqualTo("cart-already-ordered");
		assertThat(waitedMillis).as("the change waited for the order's lock").isGreaterThan(300);
		assertThat(CartFixtures.lineCount(db, token)).isEqualTo(1);
	}

	private long cartId(String token) {
		return db.sql("SELECT id FROM cart WHERE token_hash = :hash")
			.bind("hash", Tokens.sha256(token))
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	private long skuId(String code) {
		return db.sql("SELECT id FROM sku WHERE code = :code")
			.bind("code", code)
			.map(row -> row.get(0, Long.class))
			.one()
			.block();
	}

	private EntityExchangeResult<byte[]> put(String token, String code, String body) {
		EntityExchangeResult<byte[]> result = web.put()
			.uri("/api/carts/{token}/lines/{code}", token, code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectBody()
			.returnResult();
		return result;
	}

	private String newCart() {
		return json
			.readTree(web.post().uri("/api/carts").exchange().expectBody().returnResult().getResponseBodyContent())
			.get("token")
			.asString();
	}

}
