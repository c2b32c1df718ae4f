package ci.monepiceriz.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;

import ci.monepiceriz.ordering.OrderingFixtures.Answer;
import ci.monepiceriz.ordering.domain.OrderNumber;
import ci.monepiceriz.support.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/** Order numbers from the per-day sequences, on the real database. */
@IntegrationTest
class OrderNumberingIT {

	private static final ZoneId SHOP = ZoneId.of("Africa/Abidjan");

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	OrderingService ordering;

	@Autowired
	OrderNumbering numbering;

	@LocalServerPort
	int port;

	OrderingFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new OrderingFixtures(db, port);
	}

	private String placeOne() {
		String rice = fixtures.unitSku(4000, 5);
		Answer answer = fixtures
			.place(OrderingFixtures.pickup(fixtures.cart(Map.of(rice, Map.of("quantity", 1)))),
					OrderingFixtures.newKey())
			.block(Duration.ofSeconds(30));
		assertThat(answer.status()).isEqualTo(201);
		return json.readTree(answer.body()).get("number").asString();
	}

	private static long sequenceOf(String number) {
		return Long.parseLong(number.substring(number.lastIndexOf('-') + 1));
	}

	private boolean exists(String sequence) {
		return Boolean.TRUE.equals(db.sql("SELECT to_regclass(:name) IS NOT NULL AS present")
			.bind("name", sequence)
			.map(row -> row.get("present", Boolean.class))
			.one()
			.block(Duration.ofSeconds(10)));
	}

	private void sql(String statement) {
		db.sql(statement).then().block(Duration.ofSeconds(10));
	}

	private static String sequence(LocalDate day) {
		return "order_number_" + day.toString().replace("-", "");
	}

	@Test
	void numbersFollowEachOtherThroughTheShopDay() {
		LocalDate today = LocalDate.now(SHOP);
		String first = placeOne();
		String second = placeOne();

		assertThat(first).startsWith(OrderNumber.prefix(today)).matches("MER-\\d{8}-\\d{4,}");
		assertThat(sequenceOf(second)).isEqualTo(sequenceOf(first) + 1);
	}

	@Test
	void aDayPastNineThousandNineHundredNinetyNineOrdersGetsAFifthDigit() {
		LocalDate today = LocalDate.now(SHOP);
		placeOne();
		sql("SELECT setval('" + sequence(today) + "', greatest(12344, (SELECT last_value FROM " + sequence(today)
				+ ")))");

		String number = placeOne();

		assertThat(number).matches("MER-\\d{8}-\\d{5,}");
		assertThat(sequenceOf(number)).isGreaterThanOrEqualTo(12_345);
		assertThat(number).isEqualTo(OrderNumber.of(today, sequenceOf(number)));
	}

	@Test
	void theFirstOrderOfADayWithoutASequenceCreatesItAfterTheDaysHighestNumber() {
		LocalDate today = LocalDate.now(SHOP);
		long before = sequenceOf(placeOne());
		sql("DROP SEQUENCE " + sequence(today));
		assertThat(exists(sequence(today))).isFalse();

		String number = placeOne();

		assertThat(exists(sequence(today))).isTrue();
		// the day carries on after its highest number: no number given twice
		assertThat(sequenceOf(number)).isEqualTo(before + 1);
	}

	@Test
	void theJobPreparesTodayAndTomorrowAndDropsDaysLongGone() {
		LocalDate today = LocalDate.now(SHOP);
		LocalDate longAgo = today.minusDays(OrderNumbering.DAYS_KEPT + 1);
		LocalDate kept = today.minusDays(OrderNumbering.DAYS_KEPT);
		sql("CREATE SEQUENCE IF NOT EXISTS " + sequence(longAgo));
		sql("CREATE SEQUENCE IF NOT EXISTS " + sequence(kept));
		sql("DROP SEQUENCE IF EXISTS " + sequence(today.plusDays(1)));

		numbering.run().block(Duration.ofSeconds(30));

		assertThat(exists(sequence(today))).isTrue();
		assertThat(exists(sequence(today.plusDays(1)))).isTrue();
		assertThat(exists(sequence(kept))).isTrue();
		assertThat(exists(sequence(longAgo))).isFalse();
		sql("DROP SEQUENCE " + sequence(kept));
	}

	@Test
	void severalInstancesMayCreateADaysSequenceAtOnce() {
		LocalDate later = LocalDate.now(SHOP).plusDays(30);
		sql("DROP SEQUENCE IF EXISTS " + sequence(later));

		List<Throwable> failures = Flux.fromStream(IntStream.range(0, 8).boxed())
			.parallel(8)
			.runOn(Schedulers.boundedElastic())
			.flatMap(i -> ordering.createNumbers(later)
				.then(Mono.<Throwable>empty())
				.onErrorResume(error -> Mono.just(error)))
			.sequential()
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(failures).isEmpty();
		// a day to come starts at 1
		assertThat(db.sql("SELECT nextval('" + sequence(later) + "') AS v")
			.map(row -> row.get("v", Long.class))
			.one()
			.block(Duration.ofSeconds(10))).isEqualTo(1L);
		sql("DROP SEQUENCE " + sequence(later));
	}

}
