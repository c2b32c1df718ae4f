package ci.monepiceriz.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.shared.cache.ReadThroughCache;
import ci.monepiceriz.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Many line changes on one cart at the same time, from real parallel HTTP clients: every
 * change lands and the line limit holds.
 */
@IntegrationTest
class CartConcurrencyIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@BeforeAll
	static void skus(@Autowired DatabaseClient db, @Autowired ReadThroughCache cache) {
		CartFixtures.ensure(db, cache);
	}

	@Test
	void twentyParallelChangesOnOneCartAllLand() throws Exception {
		String token = newCart();
		List<Integer> statuses = putInParallel(token, 20, 20);
		assertThat(statuses).hasSize(20).containsOnly(200);
		JsonNode cart = cart(token);
		assertThat(cart.get("lines").size()).isEqualTo(20);
		List<String> codes = new ArrayList<>();
		cart.get("lines").forEach(line -> codes.add(line.get("skuCode").asString()));
		List<String> expected = new ArrayList<>();
		for (int n = 1; n <= 20; n++) {
			expected.add(CartFixtures.lot(n));
		}
		assertThat(codes).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(cart.get("subtotal").asLong()).isEqualTo(20 * 100);
		assertThat(CartFixtures.lineCount(db, token)).isEqualTo(20);
	}

	@Test
	void theLineLimitHoldsUnderConcurrency() throws Exception {
		String token = newCart();
		List<Integer> statuses = putInParallel(token, CartFixtures.LOTS, 30);
		Map<Integer, Long> byStatus = statuses.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(200, 50L, 409, 10L));
		assertThat(CartFixtures.lineCount(db, token)).isEqualTo(50);
		assertThat(cart(token).get("lines").size()).isEqualTo(50);
	}

	/**
	 * PUTs {@code ESSAI-LOT-1} to {@code -count} on one cart from {@code threads} threads
	 * released at once; their statuses.
	 */
	private List<Integer> putInParallel(String token, int count, int threads) throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<Integer>> answers = new ArrayList<>();
			for (int n = 1; n <= count; n++) {
				String code = CartFixtures.lot(n);
				answers.add(clients.submit(() -> {
					start.await();
					return put(token, code);
				}));
			}
			start.countDown();
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> answer : answers) {
				statuses.add(answer.get(60, TimeUnit.SECONDS));
			}
			return statuses;
		}
		finally {
			clients.shutdownNow();
		}
	}

	private int put(String token, String code) {
		EntityExchangeResult<byte[]> result = web.put()
			.uri("/api/carts/{token}/lines/{code}", token, code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"quantity\": 1}")
			.exchange()
			.expectBody()
			.returnResult();
		int status = result.getStatus().value();
		if (status == 409) {
			assertThat(json.readTree(result.getResponseBodyContent()).get("code").asString()).isEqualTo("cart-full");
		}
		return status;
	}

	private String newCart() {
		return json
			.readTree(web.post().uri("/api/carts").exchange().expectBody().returnResult().getResponseBodyContent())
			.get("token")
			.asString();
	}

	private JsonNode cart(String token) {
		return json.readTree(web.get()
			.uri("/api/carts/{token}", token)
			.exchange()
			.expectBody()
			.returnResult()
			.getResponseBodyContent());
	}

}
