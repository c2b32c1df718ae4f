package ci.monepiceriz.delivery.yango;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.support.IntegrationTest;
import tools.jackson.databind.json.JsonMapper;

/**
 * How many journal events per second the tracker applies (README, Load tests and
 * benchmarks): {@code CLAIMS} tracked claims, {@code PAGES} journal pages of
 * {@code PER_PAGE} status events each (a courier's usual statuses, each newer than the
 * last) served by WireMock, one {@code poll()} timed; printed as {@code journal-apply}.
 * Off unless {@code -Dbench.journal=true}; run only on a quiet machine.
 */
@IntegrationTest
@EnabledIfSystemProperty(named = "bench.journal", matches = "true")
@TestPropertySource(properties = { "shop.delivery.yango.enabled=true", "shop.delivery.yango.claims.batch=100" })
class JournalApplyBenchmarkIT {

	static final int CLAIMS = 20;

	static final int PAGES = 20;

	static final int PER_PAGE = 100;

	static final String[] STATUSES = { "performer_lookup", "performer_draft", "performer_found", "pickup_arrived",
			"pickuped", "delivery_arrived" };

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	OrderingService ordering;

	@Autowired
	JournalTracker tracker;

	final List<StubMapping> stubs = new ArrayList<>();

	@AfterEach
	void removeStubs() {
		YangoFixtures fixtures = new YangoFixtures(web, db, json);
		stubs.forEach(fixtures.yango::removeStub);
	}

	@Test
	void appliesJournalEvents() {
		YangoFixtures fixtures = new YangoFixtures(web, db, json);
		fixtures.reset();
		List<String> claims = new ArrayList<>();
		for (int i = 0; i < CLAIMS; i++) {
			claims.add(trackedClaim(fixtures));
		}
		for (int run = 1; run <= 2; run++) {
			String cursor = "bench-" + UUID.randomUUID();
			Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(run * 100_000L);
			int n = 0;
			for (int page = 0; page < PAGES; page++) {
				List<Map<String, Object>> events = new ArrayList<>();
				for (int i = 0; i < PER_PAGE; i++, n++) {
					String claim = claims.get(n % CLAIMS);
					events.add(Map.of("operation_id", n, "claim_id", claim, "change_type", "status_changed",
							"updated_ts", start.plusMillis(n).toString(), "new_status",
							STATUSES[(n / CLAIMS) % STATUSES.length]));
				}
				stubs.add(fixtures.yango.stubFor(post(urlPathEqualTo(YangoClaims.BASE + "journal")).atPriority(1)
					.withRequestBody(matchingJsonPath("$.cursor", equalTo(cursor + "-" + page)))
					.willReturn(aResponse().withStatus(200)
						.withHeader("Content-Type", "application/json")
						.withBody(json
							.writeValueAsString(Map.of("cursor", cursor + "-" + (page + 1), "events", events))))));
			}
			db.sql("UPDATE yango_journal SET cursor = :cursor, lease_owner = NULL, lease_until = NULL WHERE id = 1")
				.bind("cursor", cursor + "-0")
				.fetch()
				.rowsUpdated()
				.block(Duration.ofSeconds(10));
			long began = System.nanoTime();
			Long applied = tracker.poll().block(Duration.ofMinutes(5));
			double seconds = (System.nanoTime() - began) / 1e9;
			System.out.printf(
					"journal-apply run %d: %d events (%d pages of %d, %d claims) applied in %.2f s: %.0f events/s%n",
					run, applied, PAGES, PER_PAGE, CLAIMS, seconds, applied / seconds);
			assertThat(applied).isEqualTo((long) PAGES * PER_PAGE);
		}
	}

	/** A DELIVERY order made READY and its booking marked tracked with a claim id. */
	private String trackedClaim(YangoFixtures fixtures) {
		String cart = fixtures.cartWorth(5000);
		String number = fixtures.placeDelivery(cart, 5.35, -3.9901).body().path("number").asString();
		for (OrderStatus to : List.of(OrderStatus.CONFIRMED, OrderStatus.PREPARING, OrderStatus.READY)) {
			ordering.transition(number, to, "staff:bench", null, Optional.empty()).block(Duration.ofSeconds(10));
		}
		String claim = "bench-" + UUID.randomUUID();
		db.sql("""
				UPDATE delivery_claim SET claim_id = :claim, state = 'TRACKING', next_attempt_at = NULL
				 WHERE order_number = :number
				""").bind("claim", claim).bind("number", number).fetch().rowsUpdated().block(Duration.ofSeconds(10));
		return claim;
	}

}
