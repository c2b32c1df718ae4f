package ci.monepiceriz.delivery.yango;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ci.monepiceriz.delivery.DeliveryQuotes;
import ci.monepiceriz.delivery.yango.YangoFixtures.Answer;
import ci.monepiceriz.shared.CircuitBreaker;
import ci.monepiceriz.support.IntegrationTest;
import ci.monepiceriz.support.YangoStub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivery quotes through the API with Yango enabled (fallback {@code FLAT_FEE}), against
 * the stubs of {@code contracts/yango} ({@link YangoStub}): the price, the request sent,
 * the cache, retries, {@code Retry-After}, the fallbacks, and the fee an order is
 * charged. Each test uses its own destination cells and starts with an empty cache.
 */
@IntegrationTest
@TestPropertySource(properties = { "shop.delivery.yango.enabled=true", "shop.delivery.yango.retries=2",
		"shop.delivery.yango.retry-backoff=20ms", "shop.delivery.yango.retry-max-backoff=50ms",
		"shop.delivery.yango.max-retry-after=2s", "shop.delivery.yango.quote-timeout=5s",
		// the tests' outages must not open the circuit for the next test
		"shop.delivery.yango.breaker-failure-threshold=1000" })
class YangoQuoteIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	MeterRegistry meters;

	@Autowired
	DeliveryQuotes quotes;

	YangoFixtures fixtures;

	StubMapping extraStub;

	@BeforeEach
	void setUp() {
		fixtures = new YangoFixtures(web, db, json);
		fixtures.reset();
	}

	@AfterEach
	void removeStub() {
		// a test's 429 pause must not reach the next test
		((YangoQuotes) quotes).breaker().reset();
		if (extraStub != null) {
			fixtures.yango.removeStub(extraStub);
		}
	}

	@Test
	void quotesYangosPriceRoundedUpToTheFrancWithItsTime() {
		String cart = fixtures.cartWorth(5000);
		double before = quotedCount();

		Answer answer = fixtures.quote(cart, 5.3601, -3.9112);

		assertThat(answer.status()).isEqualTo(200);
		JsonNode quote = answer.body();
		// "1234.5600" -> 1235: rounded up, never down
		assertThat(quote.get("fee").asLong()).isEqualTo(1235);
		assertThat(quote.get("etaMinutes").asLong()).isEqualTo(42);
		assertThat(quote.get("source").asString()).isEqualTo("YANGO");
		assertThat(quote.get("deliveryAvailable").asBoolean()).isTrue();
		assertThat(Instant.parse(quote.get("validUntil").asString())).isAfter(Instant.now().plusSeconds(25 * 60));
		assertThat(quotedCount()).isEqualTo(before + 1);
		assertThat(fixtures.keptQuotes(cart)).isEqualTo(1);
	}

	@Test
	void sendsTheBearerTokenTheLanguageAndBothPointsAsLongitudeThenLatitude() {
		fixtures.quote(fixtures.cartWorth(5000), 5.3601, -3.9112);

		List<LoggedRequest> requests = fixtures.requestsFor(-3.911);
		assertThat(requests).hasSize(1);
		LoggedRequest request = requests.get(0);
		assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + YangoStub.TOKEN);
		assertThat(request.getHeader("Accept-Language")).isEqualTo("fr");
		JsonNode body = json.readTree(request.getBodyAsString());
		JsonNode store = body.get("route_points").get(0);
		JsonNode destination = body.get("route_points").get(1);
		assertThat(store.get("id").asInt()).isEqualTo(1);
		assertThat(store.get("coordinates").get(0).asDouble()).isEqualTo(YangoStub.STORE_LONGITUDE);
		assertThat(store.get("coordinates").get(1).asDouble()).isEqualTo(YangoStub.STORE_LATITUDE);
		// the centre of the destination's cell, longitude first
		assertThat(destination.get("id").asInt()).isEqualTo(2);
		assertThat(destination.get("coordinates").get(0).asDouble()).isEqualTo(-3.911);
		assertThat(destination.get("coordinates").get(1).asDouble()).isEqualTo(5.36);
		assertThat(body.get("requirements").get("taxi_class").asString()).isEqualTo("courier");
	}

	@Test
	void aSecondQuoteInTheSameCellComesFromTheCacheWithoutCallingYango() {
		Answer first = fixtures.quote(fixtures.cartWorth(5000), 5.3701, -4.0501);
		// 40 m away, same 0.001° cell
		Answer second = fixtures.quote(fixtures.cartWorth(5000), 5.3704, -4.0498);

		assertThat(first.body().get("fee").asLong()).isEqualTo(1500);
		assertThat(second.body().get("fee").asLong()).isEqualTo(1500);
		assertThat(second.body().get("source").asString()).isEqualTo("YANGO");
		assertThat(fixtures.requestsFor(-4.05)).hasSize(1);
		// another cell is another call
		fixtures.quote(fixtures.cartWorth(5000), 5.3701, -4.0521);
		assertThat(fixtures.requestsFor(-4.052)).hasSize(1);
	}

	@Test
	void aServerErrorIsRetriedThenTheFlatFeeAnswers() {
		Answer answer = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.912);

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body().get("fee").asLong()).isEqualTo(1000);
		assertThat(answer.body().get("source").asString()).isEqualTo("FLAT");
		assertThat(fixtures.requestsFor(-3.912)).hasSize(3);
	}

	@Test
	void aFallbackIsNotCached() {
		fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.912);
		fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.912);

		assertThat(fixtures.requestsFor(-3.912)).hasSize(6);
	}

	@Test
	void aServerErrorOnceIsRetriedAndYangoQuotes() {
		Answer answer = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.913);

		assertThat(answer.body().get("fee").asLong()).isEqualTo(1800);
		assertThat(answer.body().get("source").asString()).isEqualTo("YANGO");
		assertThat(fixtures.requestsFor(-3.913)).hasSize(2);
	}

	@Test
	void aRateLimitIsRetriedAfterItsRetryAfter() {
		Answer answer = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.914);

		assertThat(answer.body().get("fee").asLong()).isEqualTo(2100);
		List<LoggedRequest> requests = fixtures.requestsFor(-3.914);
		assertThat(requests).hasSize(2);
		// Retry-After: 1, not the 20 ms backoff
		long waited = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
		assertThat(waited).isGreaterThanOrEqualTo(950);
	}

	@Test
	void aRetryAfterLongerThanAllowedIsNotWaitedForAndNoQuoteAsksYangoBeforeThen() {
		Answer answer = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.915);

		assertThat(answer.body().get("source").asString()).isEqualTo("FLAT");
		assertThat(fixtures.requestsFor(-3.915)).hasSize(1);
		// Yango said 120 s: another place, not cached, is not asked either
		Answer elsewhere = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.927);
		assertThat(elsewhere.body().get("source").asString()).isEqualTo("FLAT");
		assertThat(fixtures.requestsFor(-3.927)).isEmpty();
		assertThat(((YangoQuotes) quotes).breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void anEstimationErrorInsideA200IsNotRetriedAndTheFlatFeeAnswers() {
		Answer answer = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.916);

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body().get("fee").asLong()).isEqualTo(1000);
		assertThat(answer.body().get("source").asString()).isEqualTo("FLAT");
		assertThat(fixtures.requestsFor(-3.916)).hasSize(1);

		// Yango's "not served" is remembered for the cell (not-served-ttl): asking again,
		// from another cart, costs no call and answers the same
		Answer again = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.916);
		assertThat(again.body().get("source").asString()).isEqualTo("FLAT");
		assertThat(fixtures.requestsFor(-3.916)).hasSize(1);
	}

	@Test
	void aSlowYangoTimesOutIsRetriedAndTheFlatFeeAnswers() {
		Answer answer = fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.917);

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body().get("source").asString()).isEqualTo("FLAT");
		assertThat(fixtures.requestsFor(-3.917)).hasSize(3);
	}

	@Test
	void aBodyThatStallsOrBreaksOffIsRetriedThenTheFlatFeeAnswers() {
		// the headers came, then the body stopped (a read timeout) or broke off: a
		// provider failure like any other, never a 500
		for (double longitude : new double[] { -3.922, -3.923 }) {
			Answer answer = fixtures.quote(fixtures.cartWorth(5000), 5.36, longitude);

			assertThat(answer.status()).as("%s", longitude).isEqualTo(200);
			assertThat(answer.body().get("source").asString()).isEqualTo("FLAT");
			assertThat(fixtures.requestsFor(longitude)).as("%s", longitude).hasSize(3);
		}
	}

	@Test
	void aPriceInAnotherCurrencyOrARefusedTokenIsNotUsed() {
		assertThat(fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.919).body().get("source").asString())
			.isEqualTo("FLAT");
		assertThat(fixtures.quote(fixtures.cartWorth(5000), 5.36, -3.921).body().get("source").asString())
			.isEqualTo("FLAT");
		assertThat(fixtures.requestsFor(-3.921)).hasSize(1);
	}

	@Test
	void anOrderIsChargedTheFeeItsCartWasQuotedEvenIfYangoSaysOtherwiseByThen() {
		String quoted = fixtures.cartWorth(5000);
		assertThat(fixtures.quote(quoted, 5.3801, -4.0601).body().get("fee").asLong()).isEqualTo(1500);
		// Yango's price changes and the cache forgets
		extraStub = fixtures.yango.stubFor(post(urlPathEqualTo(YangoFixtures.CHECK_PRICE)).atPriority(1)
			.withRequestBody(matchingJsonPath("$.route_points[1].coordinates[0]", equalTo("-4.06")))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"price\":\"2600.0000\",\"currency_rules\":{\"code\":\"XOF\"},\"eta\":50}")));
		fixtures.reset();

		// a few metres away from the quoted point: the same cell
		Answer placed = fixtures.placeDelivery(quoted, 5.3803, -4.0599);
		assertThat(placed.status()).isEqualTo(201);
		assertThat(placed.body().get("deliveryFee").asLong()).isEqualTo(1500);
		assertThat(placed.body().get("total").asLong()).isEqualTo(6500);
		assertThat(fixtures.requestsFor(-4.06)).isEmpty();

		// a cart never quoted is charged a fresh quote
		Answer fresh = fixtures.placeDelivery(fixtures.cartWorth(5000), 5.3801, -4.0601);
		assertThat(fresh.body().get("deliveryFee").asLong()).isEqualTo(2600);

		// a cart quoted for another place is charged a fresh quote for where it goes
		String elsewhere = fixtures.cartWorth(5000);
		fixtures.quote(elsewhere, 5.3901, -4.0701);
		Answer moved = fixtures.placeDelivery(elsewhere, 5.3801, -4.0601);
		assertThat(moved.body().get("deliveryFee").asLong()).isEqualTo(2600);
	}

	@Test
	void aQuoteWhoseValidityEndedIsNotCharged() {
		String cart = fixtures.cartWorth(5000);
		fixtures.quote(cart, 5.3811, -4.0611);
		db.sql("UPDATE cart_delivery_quote SET fee = 999, quoted_at = quoted_at - interval '2 hours',"
				+ " valid_until = now() - interval '1 second' WHERE fee = 1500 AND cell_lon_e3 = -4061")
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));

		Answer placed = fixtures.placeDelivery(cart, 5.3811, -4.0611);

		// quoted again (from the cache: Yango's 1500), not the expired 999
		assertThat(placed.body().get("deliveryFee").asLong()).isEqualTo(1500);
	}

	private double quotedCount() {
		Timer timer = meters.find(YangoQuotes.TIMER)
			.tags("provider", "yango", "operation", "check-price", "outcome", "quoted")
			.timer();
		return timer == null ? 0 : timer.count();
	}

}
