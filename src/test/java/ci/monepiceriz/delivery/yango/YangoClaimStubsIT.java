package ci.monepiceriz.delivery.yango;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ci.monepiceriz.delivery.Couriers;
import ci.monepiceriz.delivery.yango.YangoFixtures.Placed;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The claim stubs of {@code contracts/yango/mappings/claims-*.json} that
 * {@link YangoClaimsIT} does not use, each played through the booking job or the journal
 * poller: so the contract they describe (contracts/yango/README.md) is checked against
 * the adapter. The properties are {@link YangoClaimsIT}'s, so both share one application
 * context.
 */
@YangoClaimsTest
class YangoClaimStubsIT extends YangoClaimsTestBase {

	/** Calls per idempotent claim method: the first and its retries inside the call. */
	@Autowired
	YangoProperties yangoProperties;

	@Autowired
	JournalTracker tracker;

	@Autowired
	Couriers couriers;

	@Autowired
	MeterRegistry meters;

	@Autowired
	YangoClaimsProperties settings;

	/** The orders a test placed: their bookings are parked after it. */
	final List<String> orders = new ArrayList<>();

	/**
	 * Bookings these stubs keep open forever (503, estimating, info 500) would otherwise
	 * be handled again by every later round, in this class and in others sharing the
	 * context; and the journal gets a cursor the generic stub answers with no event.
	 */
	@AfterEach
	void park() {
		for (String number : orders) {
			db.sql("UPDATE delivery_claim SET next_attempt_at = NULL WHERE order_number = :number")
				.bind("number", number)
				.fetch()
				.rowsUpdated()
				.block(Duration.ofSeconds(10));
		}
		fixtures.freshCursor();
	}

	// --- create

	@Test
	void aCreateAnswering503IsRetriedInsideTheCallWithItsRequestIdThenLater() {
		Placed order = order(-3.955);
		Map<String, Object> requested = fixtures.claimRow(order.number());
		String requestId = (String) requested.get("request_id");
		Instant due = instant(requested.get("next_attempt_at"));

		booking.round().block(Duration.ofSeconds(30));

		Map<String, Object> after = fixtures.claimRow(order.number());
		assertThat(after.get("state")).isEqualTo("BOOKING");
		assertThat(after.get("claim_id")).isNull();
		assertThat(after.get("tries")).isEqualTo(1);
		assertThat(after.get("failures")).isEqualTo(1);
		assertThat((String) after.get("last_error")).contains("503");
		// the backoff (1 ms in these tests), not the round's 1 min lease
		assertThat(instant(after.get("next_attempt_at"))).isAfter(due).isBefore(Instant.now().plusSeconds(30));
		List<LoggedRequest> creates = fixtures.creates(order.number());
		assertThat(creates).hasSize(calls());
		assertThat(creates)
			.allSatisfy(create -> assertThat(create.queryParameter("request_id").firstValue()).isEqualTo(requestId));
	}

	@Test
	void aCreateRefusedForATokenAnAccountOrAHostWaitsAndIsNeverAProblem() {
		// 401 (a rotated token), 403 (the account), 404 (a wrong host): nothing about the
		// order, so every READY order would otherwise be a PROBLEM and an e-mail
		Map<String, String> codes = Map.of(order(-3.971).number(), "401 (unauthorized)", order(-3.972).number(),
				"403 (forbidden)", order(-3.973).number(), "404 (not_found)");
		double unavailable = createsUnavailable();

		for (int round = 1; round <= 2; round++) {
			booking.round().block(Duration.ofSeconds(30));

			for (Map.Entry<String, String> order : codes.entrySet()) {
				Map<String, Object> after = fixtures.claimRow(order.getKey());
				assertThat(after.get("state")).as(order.getValue()).isEqualTo("BOOKING");
				assertThat(after.get("problem")).isNull();
				assertThat(after.get("claim_id")).isNull();
				assertThat(after.get("failures")).isEqualTo(round);
				assertThat((String) after.get("last_error")).isEqualTo("create answered " + order.getValue());
				// not retried inside the call; asked again after the backoff, same
				// request_id
				List<LoggedRequest> creates = fixtures.creates(order.getKey());
				assertThat(creates).hasSize(round);
				assertThat(creates.stream().map(create -> create.queryParameter("request_id").firstValue()).distinct())
					.containsExactly((String) after.get("request_id"));
				assertThat(StaffAlertsIT.staffNotices(db, order.getKey())).isEmpty();
			}
		}
		// each a failure for the circuit breaker (counted with the "unavailable" outcome)
		assertThat(createsUnavailable()).isGreaterThanOrEqualTo(unavailable + 6);
	}

	@Test
	void aCreateRateLimitedWaitsItsRetryAfterAndBooksOneClaim() {
		Placed order = order(-3.956);
		String requestId = (String) fixtures.claimRow(order.number()).get("request_id");

		// one round: the wait happens inside the call
		booking.round().block(Duration.ofSeconds(30));

		List<LoggedRequest> creates = fixtures.creates(order.number());
		assertThat(creates).hasSize(2);
		assertThat(creates)
			.allSatisfy(create -> assertThat(create.queryParameter("request_id").firstValue()).isEqualTo(requestId));
		assertThat(creates.get(1).getLoggedDate().getTime() - creates.get(0).getLoggedDate().getTime())
			.isGreaterThanOrEqualTo(1000);
		assertThat(fixtures.claimRow(order.number()).get("claim_id")).isEqualTo("ok-" + requestId);
		assertThat(fixtures.claimRow(order.number()).get("failures")).isEqualTo(0);

		fixtures.book(booking, order.number());

		Map<String, Object> booked = fixtures.claimRow(order.number());
		assertThat(booked.get("state")).isEqualTo("TRACKING");
		assertThat(booked.get("claim_id")).isEqualTo("ok-" + requestId);
		assertThat(booked.get("tries")).isEqualTo(1);
		assertThat(fixtures.creates(order.number())).hasSize(2);
	}

	// --- info after create

	@Test
	void aClaimStillEstimatingIsAskedAgainAndNeverAccepted() {
		Placed order = order(-3.957);
		String requestId = (String) fixtures.claimRow(order.number()).get("request_id");

		fixtures.book(booking, order.number());

		Map<String, Object> estimating = fixtures.claimRow(order.number());
		String claim = "estimating-" + requestId;
		assertThat(estimating.get("state")).isEqualTo("BOOKING");
		assertThat(estimating.get("claim_id")).isEqualTo(claim);
		assertThat(estimating.get("provider_status")).isEqualTo("estimating");
		assertThat(estimating.get("failures")).isEqualTo(0);
		assertThat(fixtures.claimRequests("info", claim)).hasSizeGreaterThanOrEqualTo(2);
		assertThat(fixtures.claimRequests("accept", claim)).isEmpty();
		assertThat(fixtures.creates(order.number())).hasSize(1);
	}

	@Test
	void aCourierAlreadyFoundIsTrackedWithoutAcceptAndCancelledAtItsPrice() {
		Placed order = order(-3.958);
		String requestId = (String) fixtures.claimRow(order.number()).get("request_id");

		fixtures.book(booking, order.number());

		String claim = "found-" + requestId;
		Map<String, Object> tracked = fixtures.claimRow(order.number());
		assertThat(tracked.get("state")).isEqualTo("TRACKING");
		assertThat(tracked.get("claim_id")).isEqualTo(claim);
		assertThat(tracked.get("tries")).isEqualTo(1);
		assertThat(tracked.get("provider_status")).isEqualTo("performer_found");
		assertThat(tracked.get("courier_name")).isEqualTo("Konan Serge");
		assertThat(tracked.get("courier_vehicle")).isEqualTo("Yamaha Crypton rouge AB 1234 CI");
		assertThat(tracked.get("eta_minutes")).isEqualTo(12);
		// accepted before (a crash between accept and its record): never accepted again
		assertThat(fixtures.claimRequests("accept", claim)).isEmpty();
		assertThat(fixtures.facts(order.number())).contains("CLAIM_CREATED", "ACCEPTED");
		// a courier but no tracking link yet (409 unknown_tracking_links): asked once,
		// none kept, and the booking went on regardless
		assertThat(fixtures.yango.findAll(getRequestedFor(urlPathEqualTo(YangoFixtures.CLAIMS + "tracking-links"))
			.withQueryParam("claim_id", equalTo(claim)))).hasSize(1);
		assertThat(fixtures.claimRow(order.number())).containsEntry("tracking_url", null);

		// cancel-info says paid (a courier is on the way), cancel with that and info's
		// version
		assertThat(couriers.cancel(order.number()).block(Duration.ofSeconds(30)))
			.isEqualTo(new Couriers.Cancelled(order.number(), true, "500.0000", "XOF"));
		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("CANCELLED");
		assertThat(fixtures.claimRow(order.number()).get("cancel_state")).isEqualTo("paid");
		List<LoggedRequest> cancels = fixtures.claimRequests("cancel", claim);
		assertThat(cancels).hasSize(1);
		assertThat(json.readTree(cancels.get(0).getBodyAsString()).path("version").asInt()).isEqualTo(3);
	}

	@Test
	void aCancelYangoFailsIsNotCancellableAndChangesNothing() {
		Placed order = order(-3.958);
		fixtures.book(booking, order.number());
		String claim = (String) fixtures.claimRow(order.number()).get("claim_id");
		stubs.add(fixtures.yango.stubFor(post(urlPathEqualTo(YangoFixtures.CLAIMS + "cancel")).atPriority(0)
			.withQueryParam("claim_id", equalTo(claim))
			.willReturn(aResponse().withStatus(503).withBody("Service Unavailable"))));

		// cancel is never retried blindly: one call, and the caller may ask again
		assertThat(couriers.cancel(order.number()).block(Duration.ofSeconds(30))).isInstanceOfSatisfying(
				Couriers.NotCancellable.class,
				refused -> assertThat(refused.reason()).contains("provider unavailable", "HTTP 503"));
		assertThat(fixtures.claimRequests("cancel", claim)).hasSize(1);
		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("TRACKING");
		assertThat(fixtures.claimRow(order.number()).get("cancel_state")).isNull();
	}

	@Test
	void aClaimAlreadyDeliveredCompletesTheOrder() {
		Placed order = order(-3.959);
		String requestId = (String) fixtures.claimRow(order.number()).get("request_id");

		fixtures.book(booking, order.number());

		Map<String, Object> delivered = fixtures.claimRow(order.number());
		assertThat(delivered.get("state")).isEqualTo("DELIVERED");
		assertThat(delivered.get("provider_status")).isEqualTo("delivered");
		assertThat(orderStatus(order.number())).isEqualTo("COMPLETED");
		assertThat(fixtures.facts(order.number())).containsOnlyOnce("DELIVERED");
		assertThat(fixtures.claimRequests("accept", "delivered-" + requestId)).isEmpty();
		// delivered: not cancellable, and Yango is not even asked (its cancel-info would
		// answer unavailable)
		assertThat(couriers.cancel(order.number()).block(Duration.ofSeconds(30)))
			.isInstanceOf(Couriers.NotCancellable.class);
		assertThat(fixtures.claimRequests("cancel-info", "delivered-" + requestId)).isEmpty();
	}

	@Test
	void aClaimReturnedOrCancelledByTheCourierIsAProblemStaffSee() {
		Placed returned = order(-3.965);
		Placed cancelled = order(-3.966);

		fixtures.book(booking, returned.number());
		fixtures.book(booking, cancelled.number());

		for (Placed order : List.of(returned, cancelled)) {
			Map<String, Object> problem = fixtures.claimRow(order.number());
			assertThat(problem.get("state")).isEqualTo("PROBLEM");
			assertThat(problem.get("tries")).isEqualTo(1);
			assertThat(orderStatus(order.number())).isEqualTo("READY");
			assertThat(fixtures.facts(order.number())).contains("PROBLEM").doesNotContain("ACCEPTED");
			assertThat(fixtures.claimRequests("accept", (String) problem.get("claim_id"))).isEmpty();
		}
		assertThat((String) fixtures.claimRow(returned.number()).get("problem")).contains("returned_finish");
		assertThat((String) fixtures.claimRow(cancelled.number()).get("problem")).contains("cancelled_by_taxi");
	}

	@Test
	void aClaimFailedBeforeAcceptIsReplacedUntilMaxTriesThenAProblem() {
		Placed order = order(-3.967);

		fixtures.book(booking, order.number());

		Map<String, Object> problem = fixtures.claimRow(order.number());
		assertThat(problem.get("state")).isEqualTo("PROBLEM");
		assertThat(problem.get("tries")).isEqualTo(settings.maxTries());
		assertThat((String) problem.get("problem")).contains("failed");
		assertThat(fixtures.creates(order.number())
			.stream()
			.map(create -> create.queryParameter("request_id").firstValue())
			.distinct()).hasSize(settings.maxTries());
		assertThat(fixtures.facts(order.number()).stream().filter("CLAIM_REPLACED"::equals))
			.hasSize(settings.maxTries() - 1);
	}

	@Test
	void anEstimationThatFailsIsReplacedAndTheProblemSaysYangosReason() {
		Placed order = order(-3.968);

		fixtures.book(booking, order.number());

		// estimating_failed with error_messages inside the 200: never accepted, a new
		// claim
		// each time, then a problem that names Yango's reason (staff see why)
		Map<String, Object> problem = fixtures.claimRow(order.number());
		assertThat(problem.get("state")).isEqualTo("PROBLEM");
		assertThat(problem.get("tries")).isEqualTo(settings.maxTries());
		assertThat((String) problem.get("problem")).contains("yango:estimating_failed")
			.contains("estimating.cant_construct_route");
		assertThat(fixtures.yango.findAll(postRequestedFor(urlPathEqualTo(YangoFixtures.CLAIMS + "accept"))
			.withQueryParam("claim_id", matching("estfail-.+")))).isEmpty();
		assertThat(fixtures.facts(order.number()).stream().filter("CLAIM_REPLACED"::equals))
			.hasSize(settings.maxTries() - 1);
	}

	@Test
	void acceptAnsweringOldVersionReadsInfoAgainAndAcceptsItsVersionWithoutANewClaim() {
		Placed order = order(-3.962);
		String requestId = (String) fixtures.claimRow(order.number()).get("request_id");

		fixtures.book(booking, order.number());

		String claim = "stale-" + requestId;
		Map<String, Object> booked = fixtures.claimRow(order.number());
		assertThat(booked.get("state")).isEqualTo("TRACKING");
		assertThat(booked.get("claim_id")).isEqualTo(claim);
		assertThat(booked.get("tries")).isEqualTo(1);
		assertThat(fixtures.creates(order.number())).hasSize(1);
		assertThat(fixtures.claimRequests("info", claim)).hasSize(2);
		assertThat(fixtures.claimRequests("accept", claim)
			.stream()
			.map(accept -> json.readTree(accept.getBodyAsString()).path("version").asInt())).containsExactly(2, 3);
		assertThat(fixtures.facts(order.number())).contains("ACCEPTED").doesNotContain("CLAIM_REPLACED");
	}

	@Test
	void aClaimYangoNoLongerKnowsIsReplacedByANewOne() {
		Placed order = order(-3.963);
		String first = (String) fixtures.claimRow(order.number()).get("request_id");

		fixtures.book(booking, order.number());

		Map<String, Object> booked = fixtures.claimRow(order.number());
		String second = (String) booked.get("request_id");
		assertThat(second).isNotEqualTo(first);
		assertThat(booked.get("state")).isEqualTo("TRACKING");
		assertThat(booked.get("tries")).isEqualTo(2);
		assertThat(booked.get("claim_id")).isEqualTo("ok-" + second);
		// a 404 is an answer, not a failure: not retried
		assertThat(fixtures.claimRequests("info", "gone-" + first)).hasSize(1);
		assertThat(fixtures.creates(order.number())
			.stream()
			.map(create -> create.queryParameter("request_id").firstValue())).containsExactly(first, second);
		assertThat(fixtures.facts(order.number())).contains("CLAIM_REPLACED");
	}

	@Test
	void infoFailingLeavesTheBookingAsItWasAndIsAskedAgainLater() {
		Placed order = order(-3.964);
		String requestId = (String) fixtures.claimRow(order.number()).get("request_id");
		String claim = "down-" + requestId;
		booking.round().block(Duration.ofSeconds(30));
		Map<String, Object> created = fixtures.claimRow(order.number());
		assertThat(created.get("claim_id")).isEqualTo(claim);

		booking.round().block(Duration.ofSeconds(30));

		Map<String, Object> after = fixtures.claimRow(order.number());
		assertThat(after.get("state")).isEqualTo("BOOKING");
		assertThat(after.get("claim_id")).isEqualTo(claim);
		assertThat(after.get("request_id")).isEqualTo(requestId);
		assertThat(after.get("tries")).isEqualTo(1);
		assertThat(after.get("provider_status")).isNull();
		assertThat(after.get("failures")).isEqualTo(1);
		assertThat((String) after.get("last_error")).contains("500");
		assertThat(instant(after.get("next_attempt_at"))).isAfter(instant(created.get("next_attempt_at")))
			.isBefore(Instant.now().plusSeconds(30));
		assertThat(fixtures.claimRequests("info", claim)).hasSize(calls());
		assertThat(fixtures.claimRequests("accept", claim)).isEmpty();

		booking.round().block(Duration.ofSeconds(30));

		assertThat(fixtures.claimRequests("info", claim)).hasSize(2 * calls());
		assertThat(fixtures.claimRow(order.number()).get("failures")).isEqualTo(2);
		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("BOOKING");
		assertThat(fixtures.creates(order.number())).hasSize(1);
	}

	// --- journal

	@Test
	void theContractJournalPageAboutAClaimNotOursAppliesNothingAndMovesTheCursor() {
		long outbox = deliveryEvents();
		double ignored = journalEvents("ignored");
		double applied = journalEvents("applied");
		fixtures.setCursor("contract-page-1");

		assertThat(tracker.poll().block(Duration.ofSeconds(30))).isZero();

		assertThat(fixtures.cursor()).isEqualTo("contract-page-2");
		// page 1, then page 2 (no event, the same cursor: the round ends)
		assertThat(journalRequests("contract-page-1")).hasSize(1);
		assertThat(journalRequests("contract-page-2")).hasSize(1);
		assertThat(journalRequests("contract-page-1").get(0).queryParameter("limit").firstValue()).isEqualTo("10");
		// both status events read (and ignored: not ours), the price_changed one skipped
		assertThat(journalEvents("ignored") - ignored).isEqualTo(2.0);
		assertThat(journalEvents("applied") - applied).isZero();
		assertThat(deliveryEvents()).isEqualTo(outbox);
	}

	@Test
	void theFirstPollWithoutACursorTakesYangosFirstCursor() {
		fixtures.setCursor(null);

		assertThat(tracker.poll().block(Duration.ofSeconds(30))).isZero();

		assertThat(fixtures.cursor()).isEqualTo("start");
		List<LoggedRequest> first = fixtures.yango
			.findAll(postRequestedFor(urlPathEqualTo(YangoFixtures.CLAIMS + "journal")));
		// one page: an empty one ends the round, the next round starts from "start"
		assertThat(first).hasSize(1);
		// no cursor sent at all (not a null one): the stub for "no cursor yet" answered
		assertThat(json.readTree(first.get(0).getBodyAsString()).has("cursor")).isFalse();
	}

	@Test
	void aJournalAnswering503IsRetriedInsideThePollThenLeftWhereItWas() {
		fixtures.setCursor("contract-down");

		assertThatThrownBy(() -> tracker.poll().block(Duration.ofSeconds(30)))
			.isInstanceOf(YangoClaims.Unavailable.class);

		assertThat(fixtures.cursor()).isEqualTo("contract-down");
		assertThat(journalRequests("contract-down")).hasSize(calls());
		assertThat(leaseHeld()).isFalse();
		// the scheduled round swallows the failure: the next one resumes from the cursor
		tracker.run().block(Duration.ofSeconds(30));
		assertThat(journalRequests("contract-down")).hasSize(2 * calls());
		assertThat(fixtures.cursor()).isEqualTo("contract-down");
	}

	@Test
	void aJournalRateLimitedForLongerThanMaxRetryAfterIsNotWaitedFor() {
		fixtures.setCursor("contract-busy");
		long started = System.nanoTime();

		assertThatThrownBy(() -> tracker.poll().block(Duration.ofSeconds(30)))
			.isInstanceOf(YangoClaims.Unavailable.class);

		// Retry-After 120 s > max-retry-after (2 s): no retry, no wait
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(journalRequests("contract-busy")).hasSize(1);
		assertThat(fixtures.cursor()).isEqualTo("contract-busy");
		assertThat(leaseHeld()).isFalse();
	}

	// --- helpers

	private Placed order(double longitude) {
		Placed order = fixtures.readyOrder(ordering, longitude);
		orders.add(order.number());
		return order;
	}

	private String orderStatus(String number) {
		return db.sql("SELECT status FROM customer_order WHERE number = :number")
			.bind("number", number)
			.map(row -> row.get("status", String.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private List<LoggedRequest> journalRequests(String cursor) {
		return fixtures.yango.findAll(postRequestedFor(urlPathEqualTo(YangoFixtures.CLAIMS + "journal"))
			.withRequestBody(matchingJsonPath("$.cursor", equalTo(cursor))));
	}

	private long deliveryEvents() {
		return fixtures.count("SELECT count(*) FROM outbox WHERE type = 'DeliveryStatusChanged'");
	}

	private double journalEvents(String outcome) {
		return meters.counter(JournalTracker.EVENTS, "outcome", outcome).count();
	}

	/** Whether a poller still holds the journal's lease (released: the next takes it). */
	private boolean leaseHeld() {
		return db.sql("SELECT lease_until IS NOT NULL AS held FROM yango_journal WHERE id = 1")
			.map(row -> row.get("held", Boolean.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private static Instant instant(Object value) {
		return value instanceof OffsetDateTime time ? time.toInstant() : (Instant) value;
	}

	/** One call to an idempotent method: the first attempt and its retries. */
	private double createsUnavailable() {
		var timer = meters.find(YangoQuotes.TIMER).tags("operation", "create", "outcome", "unavailable").timer();
		return timer == null ? 0 : timer.count();
	}

	private int calls() {
		return 1 + yangoProperties.retries();
	}

}
