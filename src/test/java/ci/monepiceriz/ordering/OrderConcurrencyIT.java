package ci.monepiceriz.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;

import ci.monepiceriz.ordering.OrderingFixtures.Answer;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Many requests at once against one stock, one key, one order: the invariants hold
 * whatever the interleaving.
 */
@IntegrationTest
class OrderConcurrencyIT {

	@Autowired
	DatabaseClient db;

	@Autowired
	OrderingService ordering;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	OrderingFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new OrderingFixtures(db, port);
	}

	@Test
	void twoHundredConcurrentOrdersForFiftyUnitsSellExactlyFifty() {
		String sku = fixtures.unitSku(1500, 200);
		List<String> carts = carts(sku, Map.of("quantity", 1), 200);
		fixtures.sql("UPDATE sku SET stock = 50 WHERE code = :code", Map.of("code", sku));

		List<Answer> answers = placeAllAtOnce(carts);

		assertOversellInvariants(sku, answers, 50);
	}

	@Test
	void twoHundredConcurrentOrdersForFiftyPortionsByWeightSellExactlyFifty() {
		String sku = fixtures.weightSku(4000, 200 * 500);
		List<String> carts = carts(sku, Map.of("grams", 500), 200);
		fixtures.sql("UPDATE sku SET stock = 50 * 500 WHERE code = :code", Map.of("code", sku));

		List<Answer> answers = placeAllAtOnce(carts);

		assertOversellInvariants(sku, answers, 50);
	}

	private void assertOversellInvariants(String sku, List<Answer> answers, int expectedOrders) {
		Map<Integer, Long> byStatus = answers.stream()
			.collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
		assertThat(byStatus).as(byStatus.toString()).containsOnlyKeys(201, 409);
		assertThat(byStatus.get(201)).isEqualTo(expectedOrders);
		assertThat(answers.stream().filter(answer -> answer.status() == 409))
			.allSatisfy(answer -> assertThat(json.readTree(answer.body()).get("code").asString())
				.isEqualTo("lines-unavailable"));
		assertThat(fixtures.stock(sku)).isZero();
		assertThat(fixtures.count("SELECT count(*) FROM order_line WHERE sku_code = :code", Map.of("code", sku)))
			.isEqualTo(expectedOrders);
		List<String> numbers = answers.stream()
			.filter(answer -> answer.status() == 201)
			.map(answer -> json.readTree(answer.body()).get("number").asString())
			.toList();
		assertThat(numbers).doesNotHaveDuplicates();
	}

	@Test
	void theSameKeySentFiftyTimesAtOnceGivesOneOrder() {
		String sku = fixtures.unitSku(1000, 100);
		String cart = fixtures.cart(Map.of(sku, Map.of("quantity", 3)));
		String key = OrderingFixtures.newKey();

		List<Answer> answers = Flux.range(0, 50)
			.flatMap(i -> fixtures.place(OrderingFixtures.pickup(cart), key), 50)
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.body()).isEqualTo(201));
		assertThat(answers.stream().map(Answer::body).distinct()).hasSize(1);
		assertThat(answers.stream().filter(answer -> answer.headers().getFirst("Idempotent-Replayed") == null))
			.hasSize(1);
		assertThat(fixtures.count("SELECT count(*) FROM order_line WHERE sku_code = :code", Map.of("code", sku)))
			.isEqualTo(1);
		assertThat(fixtures.stock(sku)).isEqualTo(97);
	}

	@Test
	void ofTwoConcurrentMovesOfOneOrderOneWinsAndTheOtherChangesNothing() {
		String number = placeOne(fixtures.unitSku(1000, 10), 2);

		List<TransitionOutcome> outcomes = Flux.just(OrderStatus.CONFIRMED, OrderStatus.CANCELLED)
			.flatMap(to -> Mono.defer(() -> ordering.transition(number, to, "staff:test", null, Optional.of(0)))
				.subscribeOn(Schedulers.parallel()))
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(outcomes).hasSize(2);
		assertThat(outcomes).filteredOn(TransitionOutcome.Moved.class::isInstance).hasSize(1);
		assertThat(outcomes).filteredOn(TransitionOutcome.Conflict.class::isInstance).hasSize(1);
		assertThat(fixtures.count(
				"SELECT count(*) FROM order_transition t JOIN customer_order o ON o.id = t.order_id WHERE o.number = :n",
				Map.of("n", number)))
			.isEqualTo(2);
		assertThat(fixtures.count("SELECT version FROM customer_order WHERE number = :n", Map.of("n", number)))
			.isEqualTo(1);
		assertThat(fixtures.count("SELECT count(*) FROM outbox WHERE key = :n AND type = 'OrderStatusChanged'",
				Map.of("n", number)))
			.isEqualTo(1);
	}

	@Test
	void manyConcurrentMovesWithoutAVersionStillChangeTheOrderOnce() {
		String sku = fixtures.unitSku(1000, 10);
		String number = placeOne(sku, 4);

		List<TransitionOutcome> outcomes = Flux.range(0, 20)
			.flatMap(i -> Mono
				.defer(() -> ordering.transition(number, OrderStatus.CANCELLED, "staff:test", "customer called",
						Optional.empty()))
				.subscribeOn(Schedulers.parallel()))
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(outcomes).filteredOn(TransitionOutcome.Moved.class::isInstance).hasSize(1);
		assertThat(outcomes).filteredOn(outcome -> !(outcome instanceof TransitionOutcome.Moved))
			.allMatch(outcome -> outcome instanceof TransitionOutcome.Conflict
					|| outcome instanceof TransitionOutcome.Illegal);
		// the cancellation gave the 4 units back once
		assertThat(fixtures.stock(sku)).isEqualTo(10);
	}

	@Test
	void illegalMovesAreRefusedAndChangeNothing() {
		String number = placeOne(fixtures.unitSku(1000, 10), 1);

		TransitionOutcome outcome = ordering
			.transition(number, OrderStatus.COMPLETED, "staff:test", null, Optional.empty())
			.block(Duration.ofSeconds(10));

		assertThat(outcome).isEqualTo(new TransitionOutcome.Illegal(OrderStatus.PENDING, OrderStatus.COMPLETED));
		assertThat(fixtures.count("SELECT version FROM customer_order WHERE number = :n", Map.of("n", number)))
			.isZero();
		assertThat(ordering.transition("MER-19990101-0001", OrderStatus.CONFIRMED, "staff:test", null, Optional.empty())
			.block(Duration.ofSeconds(10))).isInstanceOf(TransitionOutcome.NotFound.class);
	}

	@Test
	void expiredOrdersGiveTheirStockBackExactlyOnceWhateverTheNumberOfRunners() {
		String unit = fixtures.unitSku(1000, 100);
		String weight = fixtures.weightSku(3000, 100_000);
		List<String> carts = Flux.range(0, 30)
			.flatMap(i -> fixtures.cartAsync(Map.of(unit, Map.of("quantity", 2), weight, Map.of("grams", 750))), 8)
			.collectList()
			.block(Duration.ofSeconds(60));
		List<Answer> placed = placeAllAtOnce(carts);
		assertThat(placed).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(201));
		assertThat(fixtures.stock(unit)).isEqualTo(40);
		assertThat(fixtures.stock(weight)).isEqualTo(100_000 - 30 * 750);
		List<String> numbers = placed.stream()
			.map(answer -> json.readTree(answer.body()).get("number").asString())
			.toList();
		fixtures.sql("UPDATE customer_order SET payment_deadline = now() - interval '1 second' WHERE number = ANY(:n)",
				Map.of("n", numbers.toArray(String[]::new)));

		// four runners at once, as four instances would: each its own transactions and
		// connections
		List<Long> cancelled = Flux.range(0, 4)
			.flatMap(i -> Mono.defer(ordering::expireOverdue).subscribeOn(Schedulers.parallel()))
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(cancelled.stream().mapToLong(Long::longValue).sum()).as("each order cancelled by exactly one runner")
			.isEqualTo(30);
		assertThat(fixtures.stock(unit)).isEqualTo(100);
		assertThat(fixtures.stock(weight)).isEqualTo(100_000);
		String[] ids = numbers.toArray(String[]::new);
		assertThat(fixtures.count(
				"SELECT count(*) FROM customer_order WHERE number = ANY(:n) AND status = 'CANCELLED' AND cancel_reason = 'PAYMENT_EXPIRED' AND version = 1",
				Map.of("n", ids)))
			.isEqualTo(30);
		assertThat(fixtures.count(
				"SELECT count(*) FROM order_transition t JOIN customer_order o ON o.id = t.order_id WHERE o.number = ANY(:n) AND t.to_status = 'CANCELLED'",
				Map.of("n", ids)))
			.isEqualTo(30);
		assertThat(
				fixtures.count("SELECT count(*) FROM outbox WHERE key = ANY(:n) AND type = 'OrderReservationExpired'",
						Map.of("n", ids)))
			.isEqualTo(30);
		// a second round finds nothing more to do
		assertThat(ordering.expireOverdue().block(Duration.ofSeconds(30))).isZero();
		assertThat(fixtures.stock(unit)).isEqualTo(100);
	}

	private String placeOne(String sku, int quantity) {
		Answer answer = fixtures
			.place(OrderingFixtures.pickup(fixtures.cart(Map.of(sku, Map.of("quantity", quantity)))),
					OrderingFixtures.newKey())
			.block(Duration.ofSeconds(30));
		assertThat(answer.status()).isEqualTo(201);
		return json.readTree(answer.body()).get("number").asString();
	}

	private List<String> carts(String sku, Map<String, Object> line, int count) {
		return Flux.range(0, count)
			.flatMap(i -> fixtures.cartAsync(Map.of(sku, line)), 16)
			.collectList()
			.block(Duration.ofSeconds(120));
	}

	private List<Answer> placeAllAtOnce(List<String> carts) {
		return Flux.fromIterable(carts)
			.flatMap(cart -> fixtures.place(OrderingFixtures.pickup(cart), OrderingFixtures.newKey()), carts.size())
			.collectList()
			.block(Duration.ofSeconds(120));
	}

}
