package ci.monepiceriz.delivery.yango;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.delivery.yango.YangoFixtures.Answer;
import ci.monepiceriz.support.IntegrationTest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Yango enabled with fallback {@code UNAVAILABLE}: when Yango cannot quote, the shopper
 * gets a problem (French, or English on {@code Accept-Language: en}) instead of the flat
 * fee, and an order is refused with nothing written.
 */
@IntegrationTest
@TestPropertySource(properties = { "shop.delivery.yango.enabled=true", "shop.delivery.yango.fallback=UNAVAILABLE",
		"shop.delivery.yango.retry-backoff=20ms", "shop.delivery.yango.retry-max-backoff=50ms",
		"shop.delivery.yango.breaker-failure-threshold=1000" })
class YangoUnavailableIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	YangoFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new YangoFixtures(web, db, json);
		fixtures.reset();
	}

	@Test
	void anEstimationErrorInsideA200IsADeliveryUnavailableProblemInFrenchOrEnglish() {
		String cart = fixtures.cartWorth(5000);

		Answer french = fixtures.quote(cart, 5.36, -3.916);
		Answer english = fixtures.quote(cart, 5.36, -3.916, "en");

		assertThat(french.status()).isEqualTo(422);
		assertThat(french.headers().getContentType()).hasToString("application/problem+json");
		assertThat(french.body().get("code").asString()).isEqualTo("delivery-unavailable");
		assertThat(french.body().get("title").asString()).isEqualTo("Livraison indisponible ici");
		assertThat(english.status()).isEqualTo(422);
		assertThat(english.body().get("title").asString()).isEqualTo("Delivery unavailable here");
		assertThat(english.body().get("detail").asString()).contains("We cannot deliver to this address");
		assertThat(fixtures.keptQuotes(cart)).isZero();
	}

	@Test
	void aPlaceWithoutDeliveryForgetsTheCartsEarlierQuote() {
		String cart = fixtures.cartWorth(5000);
		assertThat(fixtures.quote(cart, 5.36, -3.911).status()).isEqualTo(200);
		assertThat(fixtures.keptQuotes(cart)).isOne();
		// Yango down for now (503 after the retries): the quote the shopper saw stays
		assertThat(fixtures.quote(cart, 5.36, -3.912).status()).isEqualTo(503);
		assertThat(fixtures.keptQuotes(cart)).isOne();

		assertThat(fixtures.quote(cart, 5.36, -3.916).status()).isEqualTo(422);

		assertThat(fixtures.keptQuotes(cart)).isZero();
		String shown = web.get()
			.uri("/api/carts/{token}", cart)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(json.readTree(shown).has("deliveryQuote")).isFalse();
	}

	@Test
	void noRouteIsADeliveryUnavailableProblem() {
		Answer answer = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.918);

		assertThat(answer.status()).isEqualTo(422);
		assertThat(answer.body().get("code").asString()).isEqualTo("delivery-unavailable");
		assertThat(fixtures.requestsFor(-3.918)).hasSize(1);
		// remembered for the cell: the same problem again, without asking Yango
		Answer again = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.918, "en");
		assertThat(again.status()).isEqualTo(422);
		assertThat(again.body().get("code").asString()).isEqualTo("delivery-unavailable");
		assertThat(fixtures.requestsFor(-3.918)).hasSize(1);
	}

	@Test
	void yangoDownIsATemporaryProblemAfterTheRetries() {
		Answer answer = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.912);

		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.body().get("code").asString()).isEqualTo("delivery-quote-unavailable");
		assertThat(answer.body().get("title").asString()).isEqualTo("Livraison momentanément indisponible");
		assertThat(fixtures.requestsFor(-3.912)).hasSize(3);
	}

	@Test
	void anOrderDeliveredWhereYangoCannotGoIsRefusedAndNothingIsWritten() {
		String cart = fixtures.cartWorth(5000);
		long orders = fixtures.count("SELECT count(*) FROM customer_order");
		long stock = fixtures.count("SELECT sum(stock) FROM sku");

		Answer answer = fixtures.placeDelivery(cart, 5.36, -3.916);

		assertThat(answer.status()).isEqualTo(422);
		assertThat(answer.body().get("code").asString()).isEqualTo("delivery-unavailable");
		assertThat(answer.body().get("detail").asString()).contains("rien n'a été réservé");
		assertThat(fixtures.count("SELECT count(*) FROM customer_order")).isEqualTo(orders);
		assertThat(fixtures.count("SELECT sum(stock) FROM sku")).isEqualTo(stock);
	}

}
