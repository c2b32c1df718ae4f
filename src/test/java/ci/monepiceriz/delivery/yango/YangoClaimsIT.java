package ci.monepiceriz.delivery.yango;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ci.monepiceriz.contract.AsyncApiSchemas;
import ci.monepiceriz.delivery.Couriers;
import ci.monepiceriz.delivery.persistence.R2dbcClaims;
import ci.monepiceriz.notification.NoticeDispatcher;
import ci.monepiceriz.delivery.yango.YangoFixtures.Placed;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.shared.persistence.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Booking couriers, tracking them and cancelling them with Yango enabled, against the
 * stubs of {@code contracts/yango} (claims-*.json) and, for the journal pages and the
 * answers about one claim, stubs each test adds and removes. The booking job and the
 * journal poller run when a test calls them ({@code round()}, {@code poll()}).
 */
@YangoClaimsTest
class YangoClaimsIT extends YangoClaimsTestBase {

	private static final String CLAIMS = YangoFixtures.CLAIMS;

	@Autowired
	JournalTracker tracker;

	@Autowired
	YangoClaims yangoClaims;

	@Autowired
	R2dbcClaims claims;

	@Autowired
	ClaimStatuses statuses;

	@Autowired
	Transactions transactions;

	@Autowired
	YangoClaimsProperties settings;

	@Autowired
	YangoProperties yangoProperties;

	@Autowired
	Couriers couriers;

	@Autowired
	MeterRegistry meters;

	@Autowired
	DeliveryMonitor monitor;

	@Autowired
	NoticeDispatcher dispatcher;

	@Autowired
	java.time.Clock clock;

	// --- booking

	@Test
	void booksOneCourierWhenADeliveryOrderBecomesReady() {
		Placed order = fixtures.readyOrder(ordering, -3.9401);
		Map<String, Object> requested = fixtures.claimRow(order.number());
		assertThat(requested.get("state")).isEqualTo("BOOKING");
		assertThat(requested.get("claim_id")).isNull();
		String requestId = (String) requested.get("request_id");

		fixtures.book(booking, order.number());

		Map<String, Object> booked = fixtures.claimRow(order.number());
		assertThat(booked.get("state")).isEqualTo("TRACKING");
		assertThat(booked.get("claim_id")).isEqualTo("ok-" + requestId);
		List<LoggedRequest> creates = fixtures.creates(order.number());
		assertThat(creates).hasSize(1);
		assertThat(creates.get(0).queryParameter("request_id").firstValue()).isEqualTo(requestId);
		JsonNode body = json.readTree(creates.get(0).getBodyAsString());
		assertThat(body.at("/route_points/1/address/coordinates/0").asDouble()).isEqualTo(-3.9401);
		assertThat(body.at("/route_points/1/address/coordinates/1").asDouble()).isEqualTo(5.35);
		assertThat(body.at("/route_points/1/contact/phone").asString()).isEqualTo("+2250505123456");
		assertThat(body.at("/route_points/0/contact/phone").asString()).startsWith("+225");
		assertThat(body.at("/route_points/0/contact/email").asString()).isNotBlank();
		assertThat(body.at("/route_points/1/external_order_id").asString()).isEqualTo(order.number());
		assertThat(body.at("/items/0/quantity").asInt()).isEqualTo(1);
		assertThat(body.at("/items/0/cost_value").asString()).isEqualTo("5000");
		assertThat(body.at("/items/0/cost_currency").asString()).isEqualTo("XOF");
		List<LoggedRequest> accepts = fixtures.yango.findAll(postRequestedFor(urlPathEqualTo(CLAIMS + "accept"))
			.withQueryParam("claim_id", equalTo("ok-" + requestId)));
		assertThat(accepts).hasSize(1);
		assertThat(json.readTree(accepts.get(0).getBodyAsString()).path("version").asInt()).isEqualTo(2);
		assertThat(fixtures.facts(order.number())).contains("BOOKING_REQUESTED", "CLAIM_CREATED", "ACCEPTED");
		JsonNode shown = show(order);
		assertThat(shown.at("/delivery/state").asString()).isEqualTo("TRACKING");
		assertThat(shown.at("/delivery/providerStatus").asString()).isEqualTo("ready_for_approval");
	}

	@Test
	void twoInstancesBookingAtOnceBookEachCourierOnce() {
		List<Placed> orders = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			orders.add(fixtures.readyOrder(ordering, -3.9420 - i * 0.0001));
		}
		ClaimBooking other = new ClaimBooking(yangoClaims, claims, statuses, transactions, yangoProperties, settings,
				json, clock);

		// Yango slow (200 ms a call): one instance is mid-call when the other's round
		// starts, 50 ms later, and finds nothing due
		fixtures.yango.setGlobalFixedDelay(200);
		try {
			for (int round = 0; round < 8 && orders.stream()
				.anyMatch(order -> "BOOKING".equals(fixtures.claimRow(order.number()).get("state"))); round++) {
				Mono.zip(booking.round().subscribeOn(Schedulers.parallel()),
						other.round().delaySubscription(Duration.ofMillis(50)))
					.block(Duration.ofSeconds(60));
			}
		}
		finally {
			fixtures.yango.setGlobalFixedDelay(0);
		}

		// each row is taken by one instance at a time (SKIP LOCKED and the lease): one
		// create, one accept, one claim per order
		for (Placed order : orders) {
			Map<String, Object> row = fixtures.claimRow(order.number());
			assertThat(row.get("state")).as(order.number()).isEqualTo("TRACKING");
			assertThat(row.get("tries")).isEqualTo(1);
			assertThat(fixtures.creates(order.number())).hasSize(1);
			assertThat(fixtures.claimRequests("accept", (String) row.get("claim_id"))).hasSize(1);
			assertThat(fixtures.facts(order.number())).containsExactly("BOOKING_REQUESTED", "CLAIM_CREATED", "STATUS",
					"ACCEPTED");
		}
	}

	@Test
	void aRoundOfAnotherInstanceWhileAnAcceptIsInFlightNeitherAcceptsNorBooksAgain() {
		Placed order = fixtures.readyOrder(ordering, -3.9430);
		booking.round().block(Duration.ofSeconds(30));
		String claim = (String) fixtures.claimRow(order.number()).get("claim_id");
		assertThat(claim).isNotNull();
		// Yango takes 500 ms to accept (and would accept again: the generic stub)
		stub(claimCall("accept", claim).willReturn(accepted(claim).withFixedDelay(500)));
		ClaimBooking other = new ClaimBooking(yangoClaims, claims, statuses, transactions, yangoProperties, settings,
				json, clock);

		// the other instance's round starts while the first one's accept is in flight:
		// the row is still under the first one's lease (its own look applying
		// ready_for_approval no longer wakes it)
		Mono.zip(booking.round().subscribeOn(Schedulers.parallel()),
				other.round().delaySubscription(Duration.ofMillis(250)))
			.block(Duration.ofSeconds(30));

		Map<String, Object> row = fixtures.claimRow(order.number());
		assertThat(row.get("state")).isEqualTo("TRACKING");
		assertThat(row.get("claim_id")).isEqualTo(claim);
		assertThat(row.get("tries")).isEqualTo(1);
		assertThat(fixtures.claimRequests("accept", claim)).hasSize(1);
		assertThat(fixtures.creates(order.number())).hasSize(1);
		assertThat(fixtures.facts(order.number())).containsExactly("BOOKING_REQUESTED", "CLAIM_CREATED", "STATUS",
				"ACCEPTED");
	}

	@Test
	void aCallbackWhileAnAcceptIsInFlightWakesTheBookingWithoutEndingItsLease() {
		Placed order = fixtures.readyOrder(ordering, -3.9428);
		booking.round().block(Duration.ofSeconds(30));
		String claim = (String) fixtures.claimRow(order.number()).get("claim_id");
		stub(claimCall("accept", claim).willReturn(accepted(claim).withFixedDelay(800)));
		ClaimBooking other = new ClaimBooking(yangoClaims, claims, statuses, transactions, yangoProperties, settings,
				json, clock);

		// Yango's callback arrives mid-accept, then the other instance's round starts
		Mono.zip(booking.round().subscribeOn(Schedulers.parallel()), Mono.fromRunnable(
				() -> web.post().uri("/api/webhooks/yango?claim_id={claim}", claim).exchange().expectStatus().isOk())
			.subscribeOn(Schedulers.boundedElastic())
			.delaySubscription(Duration.ofMillis(250))
			.then(other.round().delaySubscription(Duration.ofMillis(150)))).block(Duration.ofSeconds(30));

		assertThat(fixtures.claimRequests("accept", claim)).as("one accept").hasSize(1);
		Map<String, Object> row = fixtures.claimRow(order.number());
		assertThat(row.get("state")).isEqualTo("TRACKING");
		assertThat(row.get("claim_id")).isEqualTo(claim);
		// the wake-up is kept: the booking is looked at again at once, not after the
		// re-check
		assertThat((java.time.OffsetDateTime) row.get("next_attempt_at"))
			.isBefore(java.time.OffsetDateTime.now().plusSeconds(5));
	}

	@Test
	void offerAlreadyUsedWhileAnotherInstanceAcceptsReadsInfoAgainAndNeverReplacesTheClaim() {
		// the second accept's 409 arrives while the first is still in flight: the booking
		// is BOOKING with that claim, and only reading info again tells it was ours
		acceptedByTwoInstances(-3.9431, "offer_already_used", 0);
	}

	@Test
	void offerExpiredAnsweredAfterAnotherInstanceRecordedItsAcceptNeverReplacesTheClaim() {
		// the second accept's 409 arrives after the first was recorded: a replace decided
		// on the accept path holds only while the booking is BOOKING with that claim
		acceptedByTwoInstances(-3.9432, "offer_expired", 700);
	}

	@Test
	void onlyTheMoveToReadyRecordsABookingAndOnlyOnce() {
		Placed order = fixtures.readyOrder(ordering, -3.9402);
		assertThat(fixtures.claimRow(order.number())).isNotEmpty();
		// moving READY again is refused and records nothing more
		assertThat(ordering.transition(order.number(), OrderStatus.READY, "staff:test", null, Optional.empty())
			.block(Duration.ofSeconds(10))).isInstanceOf(ci.monepiceriz.ordering.TransitionOutcome.Illegal.class);
		assertThat(fixtures.count("SELECT count(*) FROM delivery_claim WHERE order_number = '" + order.number() + "'"))
			.isEqualTo(1);
	}

	@Test
	void aCreateThatTimedOutIsRetriedWithTheSameRequestIdAndBooksOneClaim() {
		Placed order = fixtures.readyOrder(ordering, -3.951);
		String requestId = (String) fixtures.claimRow(order.number()).get("request_id");

		fixtures.book(booking, order.number());

		List<LoggedRequest> creates = fixtures.creates(order.number());
		assertThat(creates).hasSizeGreaterThanOrEqualTo(2);
		assertThat(creates)
			.allSatisfy(create -> assertThat(create.queryParameter("request_id").firstValue()).isEqualTo(requestId));
		Map<String, Object> booked = fixtures.claimRow(order.number());
		assertThat(booked.get("state")).isEqualTo("TRACKING");
		assertThat(booked.get("claim_id")).isEqualTo("ok-" + requestId);
		assertThat(booked.get("tries")).isEqualTo(1);
	}

	@Test
	void anOfferExpiredBeforeAcceptIsReplacedByANewClaim() {
		Placed order = fixtures.readyOrder(ordering, -3.952);
		String first = (String) fixtures.claimRow(order.number()).get("request_id");

		fixtures.book(booking, order.number());

		Map<String, Object> booked = fixtures.claimRow(order.number());
		assertThat(booked.get("state")).isEqualTo("TRACKING");
		assertThat(booked.get("tries")).isEqualTo(2);
		assertThat(booked.get("request_id")).isNotEqualTo(first);
		assertThat((String) booked.get("claim_id")).startsWith("ok-");
		// the expired offer was never accepted
		assertThat(fixtures.yango.findAll(postRequestedFor(urlPathEqualTo(CLAIMS + "accept")).withQueryParam("claim_id",
				equalTo("expired-" + first))))
			.isEmpty();
		assertThat(fixtures.facts(order.number())).contains("CLAIM_REPLACED");
	}

	@Test
	void acceptAnsweringOfferExpiredBooksANewClaim() {
		Placed order = fixtures.readyOrder(ordering, -3.953);
		String first = (String) fixtures.claimRow(order.number()).get("request_id");

		fixtures.book(booking, order.number());

		Map<String, Object> booked = fixtures.claimRow(order.number());
		assertThat(booked.get("state")).isEqualTo("TRACKING");
		assertThat(booked.get("tries")).isEqualTo(2);
		assertThat(booked.get("claim_id")).isEqualTo("ok-" + booked.get("request_id"));
		assertThat(fixtures.yango.findAll(postRequestedFor(urlPathEqualTo(CLAIMS + "accept")).withQueryParam("claim_id",
				equalTo("acceptexp-" + first))))
			.hasSize(1);
	}

	@Test
	void noCourierAfterMaxTriesIsAProblemStaffSee() {
		Placed order = fixtures.readyOrder(ordering, -3.961);
		monitor.refresh().block(Duration.ofSeconds(10));
		double problemsBefore = meters.get("delivery.problems.open").gauge().value();
		double waiting = meters.get("delivery.bookings.waiting").gauge().value();
		assertThat(waiting).isGreaterThanOrEqualTo(1);
		assertThat(meters.get("delivery.bookings.oldest").gauge().value()).isPositive();

		fixtures.book(booking, order.number());

		Map<String, Object> booked = fixtures.claimRow(order.number());
		assertThat(booked.get("state")).isEqualTo("PROBLEM");
		assertThat(booked.get("tries")).isEqualTo(settings.maxTries());
		assertThat((String) booked.get("problem")).contains("performer_not_found");
		assertThat(show(order).at("/delivery/problem").asString()).contains("performer_not_found");
		assertThat(show(order).path("status").asString()).isEqualTo("READY");
		// the alert's gauges: one more problem open, one booking less waiting
		monitor.refresh().block(Duration.ofSeconds(10));
		assertThat(meters.get("delivery.problems.open").gauge().value()).isEqualTo(problemsBefore + 1);
		assertThat(meters.get("delivery.bookings.waiting").gauge().value()).isEqualTo(waiting - 1);
		// staff hand the order over themselves: no longer a problem to act on
		assertThat(ordering.transition(order.number(), OrderStatus.COMPLETED, "staff:test", null, Optional.empty())
			.block(Duration.ofSeconds(10))).isInstanceOf(ci.monepiceriz.ordering.TransitionOutcome.Moved.class);
		monitor.refresh().block(Duration.ofSeconds(10));
		assertThat(meters.get("delivery.problems.open").gauge().value()).isEqualTo(problemsBefore);
		// under the names the chart's PrometheusRule watches
		String scraped = web.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scraped).containsPattern("(?m)^delivery_problems_open(\\{[^}]*})? ")
			.containsPattern("(?m)^delivery_bookings_oldest_seconds(\\{[^}]*})? ")
			.containsPattern("(?m)^delivery_bookings_waiting(\\{[^}]*})? ")
			.containsPattern("(?m)^delivery_tracking_silent_seconds(\\{[^}]*})? ")
			.containsPattern("(?m)^delivery_journal_age_seconds(\\{[^}]*})? ")
			.containsPattern("(?m)^outbox_lag_seconds(\\{[^}]*})? ");
	}

	@Test
	void anOrderStaffCompletedBeforeACourierWasBookedGetsNone() {
		Placed order = fixtures.readyOrder(ordering, -3.9426);
		monitor.refresh().block(Duration.ofSeconds(10));
		double waiting = meters.get("delivery.bookings.waiting").gauge().value();
		// Yango was down, staff delivered by other means
		assertThat(ordering.transition(order.number(), OrderStatus.COMPLETED, "staff:test", null, Optional.empty())
			.block(Duration.ofSeconds(10))).isInstanceOf(ci.monepiceriz.ordering.TransitionOutcome.Moved.class);

		// another instance holds the booking (an accept in flight, maybe): left to it
		sql("UPDATE delivery_claim SET leased_until = now() + interval '1 minute' WHERE order_number = '"
				+ order.number() + "'");
		booking.round().block(Duration.ofSeconds(30));
		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("BOOKING");
		// handed over: no longer a booking staff wait for
		monitor.refresh().block(Duration.ofSeconds(10));
		assertThat(meters.get("delivery.bookings.waiting").gauge().value()).isEqualTo(waiting - 1);
		// its lease over
		sql("UPDATE delivery_claim SET leased_until = now() - interval '1 second' WHERE order_number = '"
				+ order.number() + "'");
		booking.round().block(Duration.ofSeconds(30));
		booking.round().block(Duration.ofSeconds(30));

		assertThat(fixtures.creates(order.number())).isEmpty();
		Map<String, Object> row = fixtures.claimRow(order.number());
		assertThat(row.get("state")).isEqualTo("CANCELLED");
		assertThat(row.get("next_attempt_at")).isNull();
		assertThat(show(order).at("/delivery/problem").asString()).contains("COMPLETED");
		assertThat(fixtures.facts(order.number())).containsExactly("BOOKING_REQUESTED", "CANCELLED");
	}

	@Test
	void aDeliveryUnderWayIsWatchedUntilStaffHandItsOrderOverThenItsCourierIsAProblemStaffSee() {
		Placed order = fixtures.readyOrder(ordering, -3.9427);
		String claim = booked(order);
		// the gauge is the quietest delivery's: the other tests' deliveries (stubbed
		// statuses dated months ago) made news now, this one three hours ago
		sql("UPDATE delivery_claim SET status_updated_at = now() WHERE state = 'TRACKING'");
		sql("UPDATE delivery_claim SET status_updated_at = now() - interval '3 hours' WHERE claim_id = '" + claim
				+ "'");
		monitor.refresh().block(Duration.ofSeconds(10));
		assertThat(meters.get("delivery.tracking.silent").gauge().value()).isGreaterThanOrEqualTo(3 * 3600);

		assertThat(ordering.transition(order.number(), OrderStatus.COMPLETED, "staff:test", null, Optional.empty())
			.block(Duration.ofSeconds(10))).isInstanceOf(ci.monepiceriz.ordering.TransitionOutcome.Moved.class);
		monitor.refresh().block(Duration.ofSeconds(10));

		assertThat(meters.get("delivery.tracking.silent").gauge().value()).isLessThan(3 * 3600);
		// a courier is still coming for it: staff are told to cancel it, once
		booking.round().block(Duration.ofSeconds(30));
		booking.round().block(Duration.ofSeconds(30));
		Map<String, Object> row = fixtures.claimRow(order.number());
		assertThat(row.get("state")).isEqualTo("PROBLEM");
		assertThat((String) row.get("problem")).contains("COMPLETED while a courier is booked");
		assertThat(fixtures.facts(order.number())).endsWith("PROBLEM").containsOnlyOnce("PROBLEM");
		assertThat(StaffAlertsIT.staffNotices(db, order.number())).containsExactly("STAFF PENDING 0");
	}

	@Test
	void anAddressYangoRefusesIsAProblemAtOnce() {
		Placed order = fixtures.readyOrder(ordering, -3.954);

		fixtures.book(booking, order.number());

		Map<String, Object> booked = fixtures.claimRow(order.number());
		assertThat(booked.get("state")).isEqualTo("PROBLEM");
		assertThat((String) booked.get("problem")).contains("address_not_found");
		assertThat(fixtures.creates(order.number())).hasSize(1);
		// staff are told by e-mail (StaffAlertsIT); without shop.notification.staff-email
		// (these settings) the notice is written, then SKIPPED saying why, and nothing
		// sent
		assertThat(StaffAlertsIT.staffNotices(db, order.number())).containsExactly("STAFF PENDING 0");
		dispatcher.round().block(Duration.ofSeconds(30));
		assertThat(StaffAlertsIT.staffNotices(db, order.number())).containsExactly("STAFF SKIPPED 1");
		assertThat(fixtures.count("SELECT count(*) FROM order_notice WHERE order_number = '" + order.number()
				+ "' AND outcome = 'CHANNEL_OFF: no staff address (shop.notification.staff-email)'"))
			.isEqualTo(1);
		assertThat(StaffAlertsIT.staffMailsOf(order.number())).isEmpty();
	}

	// --- tracking

	@Test
	void journalReplaysAndOutOfOrderEventsApplyEachStatusOnceAndNeverGoBack() {
		Placed order = fixtures.readyOrder(ordering, -3.9403);
		String claim = booked(order);
		Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String cursor = fixtures.freshCursor();
		journalPage(cursor, cursor + "-2",
				List.of(event(claim, "pickuped", t.plusSeconds(3)), event(claim, "performer_found", t.plusSeconds(2))));
		journalPage(cursor + "-2", cursor + "-3", List.of(event(claim, "performer_found", t.plusSeconds(2)),
				event(claim, "performer_found", t.plusSeconds(1)), event(claim, "delivery_arrived", t.plusSeconds(4))));

		assertThat(tracker.poll().block(Duration.ofSeconds(30))).isEqualTo(3);

		Map<String, Object> tracked = fixtures.claimRow(order.number());
		assertThat(tracked.get("provider_status")).isEqualTo("delivery_arrived");
		assertThat(statusFacts(order.number())).containsExactly("ready_for_approval", "performer_found", "pickuped",
				"delivery_arrived");
		assertThat(fixtures.cursor()).isEqualTo(cursor + "-3");

		// the same pages again: nothing changes
		fixtures.setCursor(cursor);
		assertThat(tracker.poll().block(Duration.ofSeconds(30))).isZero();
		assertThat(fixtures.claimRow(order.number()).get("provider_status")).isEqualTo("delivery_arrived");
		assertThat(statusFacts(order.number())).hasSize(4);
	}

	@Test
	void theSameStatusLaterIsToldOnceAndPagesOfPriceChangesDoNotStopTheJournal() {
		Placed order = fixtures.readyOrder(ordering, -3.9425);
		String claim = booked(order);
		Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String cursor = fixtures.freshCursor();
		// a page of price changes only, then statuses: one poll reads through
		journalPage(cursor, cursor + "-2",
				List.of(priceChanged(claim, t.plusSeconds(1)), priceChanged(claim, t.plusSeconds(2))));
		journalPage(cursor + "-2", cursor + "-3", List.of(event(claim, "performer_found", t.plusSeconds(3))));
		// the same status again, later (Yango filled in the courier): no second STATUS
		journalPage(cursor + "-3", cursor + "-4",
				List.of(event(claim, "performer_found", t.plusSeconds(4)), event(claim, "pickuped", t.plusSeconds(5))));

		assertThat(tracker.poll().block(Duration.ofSeconds(30))).isEqualTo(2);

		assertThat(fixtures.cursor()).isEqualTo(cursor + "-4");
		assertThat(statusFacts(order.number())).containsExactly("ready_for_approval", "performer_found", "pickuped");
		assertThat(fixtures.claimRow(order.number()).get("provider_status")).isEqualTo("pickuped");
	}

	@Test
	void anAcceptedClaimIsReadAgainAfterTrackingRecheckWhenTheJournalSaysNothing() {
		Placed order = fixtures.readyOrder(ordering, -3.9433);
		String claim = booked(order);
		Instant acceptedAt = Instant.now();
		// due again after tracking-recheck, journal or not
		Object next = fixtures.claimRow(order.number()).get("next_attempt_at");
		assertThat(next).isNotNull();
		Instant due = next instanceof java.time.OffsetDateTime time ? time.toInstant() : (Instant) next;
		assertThat(due).isBetween(acceptedAt.plus(settings.trackingRecheck()).minusSeconds(60),
				acceptedAt.plus(settings.trackingRecheck()));
		fixtures.freshCursor();
		infoSays(claim, "delivered", Instant.now().truncatedTo(ChronoUnit.SECONDS), "Konan Serge");
		tracker.poll().block(Duration.ofSeconds(30));
		booking.round().block(Duration.ofSeconds(30));
		assertThat(show(order).path("status").asString()).isEqualTo("READY");

		// tracking-recheck later (the journal still silent)
		db.sql("UPDATE delivery_claim SET next_attempt_at = now() - interval '1 second' WHERE order_number = :number")
			.bind("number", order.number())
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		tracker.poll().block(Duration.ofSeconds(30));
		booking.round().block(Duration.ofSeconds(30));

		assertThat(show(order).path("status").asString()).isEqualTo("COMPLETED");
		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("DELIVERED");
	}

	@Test
	void aClaimUnknownToYangoOnceAcceptedIsNeverRebookedButAProblemStaffSee() {
		Placed order = fixtures.readyOrder(ordering, -3.9434);
		String claim = booked(order);
		// a token or host of another account: Yango knows none of our claims
		stub(claimCall("info", claim)
			.willReturn(jsonAnswer(404).withBody("{\"code\":\"not_found\",\"message\":\"Claim not found\"}")));
		// Yango was down twice before: those are not looks at an unknown claim
		sql("UPDATE delivery_claim SET failures = 2, last_error = 'info failed: HTTP 503' WHERE claim_id = '" + claim
				+ "'");
		web.post().uri("/api/webhooks/yango?claim_id={claim}", claim).exchange().expectStatus().isOk();

		booking.round().block(Duration.ofSeconds(30));
		Map<String, Object> once = fixtures.claimRow(order.number());
		assertThat(once.get("state")).isEqualTo("TRACKING");
		assertThat(once.get("claim_id")).isEqualTo(claim);
		assertThat(once.get("failures")).isEqualTo(1);
		for (int round = 0; round < 5 && "TRACKING".equals(fixtures.claimRow(order.number()).get("state")); round++) {
			booking.round().block(Duration.ofSeconds(30));
		}

		Map<String, Object> row = fixtures.claimRow(order.number());
		assertThat(row.get("state")).isEqualTo("PROBLEM");
		assertThat(row.get("claim_id")).isEqualTo(claim);
		assertThat(row.get("tries")).isEqualTo(1);
		assertThat((String) row.get("problem")).contains("claim unknown to Yango");
		// one look while booking, then max-tries looks answered 404
		assertThat(fixtures.claimRequests("info", claim)).hasSize(1 + settings.maxTries());
		assertThat(fixtures.creates(order.number())).hasSize(1);
		assertThat(fixtures.facts(order.number())).doesNotContain("CLAIM_REPLACED").endsWith("PROBLEM");
		assertThat(StaffAlertsIT.staffNotices(db, order.number())).containsExactly("STAFF PENDING 0");
	}

	@Test
	void deliveredCompletesTheOrderOnce() {
		Placed order = fixtures.readyOrder(ordering, -3.9404);
		String claim = booked(order);
		Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String cursor = fixtures.freshCursor();
		journalPage(cursor, cursor + "-2", List.of(event(claim, "delivered", t.plusSeconds(5)),
				event(claim, "delivered_finish", t.plusSeconds(6))));

		tracker.poll().block(Duration.ofSeconds(30));
		fixtures.setCursor(cursor);
		tracker.poll().block(Duration.ofSeconds(30));

		assertThat(show(order).path("status").asString()).isEqualTo("COMPLETED");
		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("DELIVERED");
		assertThat(fixtures.count("SELECT count(*) FROM order_transition t JOIN customer_order o ON o.id = t.order_id"
				+ " WHERE o.number = '" + order.number() + "' AND t.to_status = 'COMPLETED'"))
			.isEqualTo(1);
		assertThat(fixtures.count("SELECT count(*) FROM outbox WHERE key = '" + order.number()
				+ "' AND type = 'OrderStatusChanged' AND convert_from(payload, 'UTF8')::jsonb -> 'data' ->> 'to' = 'COMPLETED'"))
			.isEqualTo(1);
		assertThat(fixtures.facts(order.number()).stream().filter("DELIVERED"::equals)).hasSize(1);
	}

	@Test
	void returnedAndCancelledClaimsAreProblemsNeverAStuckOrder() {
		Placed returned = fixtures.readyOrder(ordering, -3.9405);
		Placed cancelled = fixtures.readyOrder(ordering, -3.9406);
		String returnedClaim = booked(returned);
		String cancelledClaim = booked(cancelled);
		Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String cursor = fixtures.freshCursor();
		journalPage(cursor, cursor + "-2",
				List.of(event(returnedClaim, "returning", t.plusSeconds(1)),
						event(returnedClaim, "returned_finish", t.plusSeconds(2)),
						event(cancelledClaim, "cancelled_by_taxi", t.plusSeconds(1))));

		tracker.poll().block(Duration.ofSeconds(30));

		assertThat(fixtures.claimRow(returned.number()).get("state")).isEqualTo("PROBLEM");
		assertThat((String) fixtures.claimRow(returned.number()).get("problem")).contains("returning");
		assertThat(fixtures.claimRow(cancelled.number()).get("state")).isEqualTo("PROBLEM");
		assertThat(show(cancelled).at("/delivery/problem").asString()).contains("cancelled_by_taxi");
		assertThat(fixtures.facts(cancelled.number())).contains("PROBLEM");
	}

	@Test
	void twoPollersApplyEachJournalEventOnce() {
		Placed order = fixtures.readyOrder(ordering, -3.9407);
		String claim = booked(order);
		Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String cursor = fixtures.freshCursor();
		String[] statuses = { "performer_found", "pickup_arrived", "pickuped", "delivery_arrived" };
		int pages = 6;
		for (int page = 0; page < pages; page++) {
			List<Map<String, Object>> events = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				int n = page * 5 + i;
				events.add(event(claim, statuses[n % statuses.length], t.plusSeconds(n + 1)));
			}
			// slow pages: both pollers are surely at work at the same time
			journalPage(page == 0 ? cursor : cursor + "-" + page, cursor + "-" + (page + 1), events, 200);
		}
		JournalTracker other = new JournalTracker(yangoClaims, claims, this.statuses, transactions, settings, meters,
				clock);

		List<Long> applied = Mono
			.zip(tracker.poll().subscribeOn(Schedulers.parallel()), other.poll().subscribeOn(Schedulers.parallel()),
					(a, b) -> List.of(a, b))
			.block(Duration.ofSeconds(60));
		// whoever got the lease second (or found it held) polls again until done
		long more = 0;
		for (int round = 0; round < 3; round++) {
			more += Mono.zip(tracker.poll(), other.poll(), Long::sum).block(Duration.ofSeconds(60));
		}

		assertThat(applied.get(0) + applied.get(1) + more).isEqualTo(pages * 5);
		assertThat(statusFacts(order.number())).hasSize(1 + pages * 5);
		assertThat(fixtures.cursor()).isEqualTo(cursor + "-" + pages);
		// the lease: one poller at a time, so each page was fetched once (without it both
		// pollers fetch the same pages and one of them rolls back)
		for (int page = 0; page < pages; page++) {
			assertThat(fixtures.yango.findAll(postRequestedFor(urlPathEqualTo(CLAIMS + "journal"))
				.withRequestBody(matchingJsonPath("$.cursor", equalTo(page == 0 ? cursor : cursor + "-" + page)))))
				.as("page %d", page)
				.hasSize(1);
		}
	}

	@Test
	void theWebhookOnlyTriggersAReadOfTheClaim() {
		Placed order = fixtures.readyOrder(ordering, -3.9408);
		String claim = booked(order);
		Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
		infoSays(claim, "performer_found", t, "Konan Serge");

		// the callback's own claims are never applied: only what claims/info says
		web.post()
			.uri("/api/webhooks/yango?updated_ts=2099-01-01T00:00:00Z&claim_id={claim}", claim)
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(fixtures.claimRow(order.number()).get("provider_status")).isEqualTo("ready_for_approval");
		booking.round().block(Duration.ofSeconds(30));

		JsonNode shown = show(order);
		assertThat(shown.at("/delivery/providerStatus").asString()).isEqualTo("performer_found");
		assertThat(shown.at("/delivery/courierName").asString()).isEqualTo("Konan Serge");
		assertThat(shown.at("/delivery/vehicle").asString()).isEqualTo("Yamaha Crypton AB 1234 CI");
		assertThat(shown.at("/delivery/etaMinutes").asInt()).isEqualTo(12);
		// a courier is assigned: the recipient's link (the destination's sharing_link)
		assertThat(shown.at("/delivery/trackingUrl").asString()).isEqualTo("https://yango.delivery/route/" + claim);

		// another callback, another look: the link is known, not asked for again
		web.post().uri("/api/webhooks/yango?claim_id={claim}", claim).exchange().expectStatus().isOk();
		booking.round().block(Duration.ofSeconds(30));
		assertThat(fixtures.yango.findAll(
				getRequestedFor(urlPathEqualTo(CLAIMS + "tracking-links")).withQueryParam("claim_id", equalTo(claim))))
			.hasSize(1);
		assertThat(fixtures.yango
			.findAll(postRequestedFor(urlPathEqualTo(CLAIMS + "info")).withQueryParam("claim_id", equalTo(claim))))
			.hasSizeGreaterThanOrEqualTo(2);
	}

	@Test
	void aLateCallbackReadingAnOlderStateNeverGoesBack() {
		Placed order = fixtures.readyOrder(ordering, -3.9414);
		String claim = booked(order);
		Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String cursor = fixtures.freshCursor();
		journalPage(cursor, cursor + "-2", List.of(event(claim, "pickuped", t.plusSeconds(3))));
		tracker.poll().block(Duration.ofSeconds(30));
		List<String> before = statusFacts(order.number());
		assertThat(before).endsWith("pickuped");

		// Yango's callback for an earlier change arrives late, and claims/info lags
		// behind
		// (yango.md §2.6: stale reads): it says performer_found as of t+1
		infoSays(claim, "performer_found", t.plusSeconds(1), "Ancien Coursier");
		web.post().uri("/api/webhooks/yango?claim_id={claim}", claim).exchange().expectStatus().isOk();
		booking.round().block(Duration.ofSeconds(30));

		Map<String, Object> row = fixtures.claimRow(order.number());
		assertThat(row.get("provider_status")).isEqualTo("pickuped");
		assertThat(row.get("courier_name")).isNotEqualTo("Ancien Coursier");
		assertThat(statusFacts(order.number())).isEqualTo(before);
		assertThat(fixtures.yango
			.findAll(postRequestedFor(urlPathEqualTo(CLAIMS + "info")).withQueryParam("claim_id", equalTo(claim))))
			.isNotEmpty();
	}

	@Test
	void everyDeliveryFactMatchesTheEventContract() {
		// a courier found (with its link), then delivered
		Placed delivered = fixtures.readyOrder(ordering, -3.9415);
		String claim = booked(delivered);
		Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String cursor = fixtures.freshCursor();
		journalPage(cursor, cursor + "-2", List.of(event(claim, "performer_found", t.plusSeconds(1))));
		infoSays(claim, "performer_found", t.plusSeconds(1), "Konan Serge");
		tracker.poll().block(Duration.ofSeconds(30));
		booking.round().block(Duration.ofSeconds(30));
		// told once: the same courier read again is no news
		web.post().uri("/api/webhooks/yango?claim_id={claim}", claim).exchange().expectStatus().isOk();
		booking.round().block(Duration.ofSeconds(30));
		journalPage(cursor + "-2", cursor + "-3", List.of(event(claim, "delivered", t.plusSeconds(5))));
		tracker.poll().block(Duration.ofSeconds(30));
		// no courier after every try; a free cancellation
		Placed problem = fixtures.readyOrder(ordering, -3.961);
		fixtures.book(booking, problem.number());
		Placed cancelled = fixtures.readyOrder(ordering, -3.9416);
		booked(cancelled);
		assertThat(couriers.cancel(cancelled.number()).block(Duration.ofSeconds(30)))
			.isInstanceOf(Couriers.Cancelled.class);

		JsonNode spec = new YAMLMapper().readTree(Path.of("contracts", "asyncapi.yaml").toFile());
		AsyncApiSchemas schemas = new AsyncApiSchemas(spec, json);
		Set<String> facts = new TreeSet<>();
		for (Placed order : List.of(delivered, problem, cancelled)) {
			for (JsonNode event : fixtures.deliveryEvents(order.number())) {
				assertThat(schemas.errors("/components/messages/DeliveryStatusChanged/payload", event))
					.as(event.toString())
					.isEmpty();
				facts.add(event.at("/data/fact").asString());
			}
		}
		Set<String> contract = new TreeSet<>();
		spec.at("/components/schemas/DeliveryStatusChangedV1/properties/fact/enum")
			.forEach(fact -> contract.add(fact.asString()));
		assertThat(facts).isEqualTo(contract);
		List<JsonNode> courier = fixtures.deliveryEvents(delivered.number(), "COURIER");
		assertThat(courier).hasSize(1);
		assertThat(courier.get(0).at("/data/courierName").asString()).isEqualTo("Konan Serge");
		assertThat(courier.get(0).at("/data/vehicle").asString()).isEqualTo("Yamaha Crypton AB 1234 CI");
		assertThat(courier.get(0).at("/data/etaMinutes").asInt()).isEqualTo(12);
		assertThat(courier.get(0).at("/data/trackingUrl").asString())
			.isEqualTo("https://yango.delivery/route/" + claim);
	}

	@Test
	void theWebhookRefusesClaimsNotOursAndChangesNothing() {
		web.post()
			.uri("/api/webhooks/yango?updated_ts=x&claim_id=not-ours-{id}", UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unknown-claim");
		web.post()
			.uri("/api/webhooks/yango?updated_ts=x")
			.header(HttpHeaders.ACCEPT_LANGUAGE, "en")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].name")
			.isEqualTo("claim_id");
	}

	@Test
	void yangoDownForMinutesLeavesOrdersAsTheyAreAndTheyCatchUpAfter() {
		Placed tracked = fixtures.readyOrder(ordering, -3.9409);
		String claim = booked(tracked);
		Placed waiting = fixtures.readyOrder(ordering, -3.9411);
		Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String cursor = fixtures.freshCursor();
		journalPage(cursor, cursor + "-2", List.of(event(claim, "delivered", t.plusSeconds(5))));
		// the last good journal round an hour ago, the delivery's last news two hours ago
		sql("UPDATE yango_journal SET polled_at = now() - interval '1 hour'");
		sql("UPDATE delivery_claim SET status_updated_at = now() - interval '2 hours' WHERE order_number = '"
				+ tracked.number() + "'");
		StubMapping down = fixtures.yango.stubFor(post(urlPathMatching(CLAIMS + ".*")).atPriority(0)
			.willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));
		stubs.add(down);

		for (int round = 0; round < 3; round++) {
			tracker.run().block(Duration.ofSeconds(30));
			booking.round().block(Duration.ofSeconds(30));
			web.post().uri("/api/webhooks/yango?claim_id={claim}", claim).exchange().expectStatus().isOk();
		}

		assertThat(fixtures.cursor()).isEqualTo(cursor);
		assertThat(show(tracked).path("status").asString()).isEqualTo("READY");
		assertThat(fixtures.claimRow(tracked.number()).get("state")).isEqualTo("TRACKING");
		assertThat(fixtures.claimRow(waiting.number()).get("state")).isEqualTo("BOOKING");
		assertThat(fixtures.claimRow(waiting.number()).get("claim_id")).isNull();
		// what the chart's alerts watch: failed rounds are no news
		monitor.refresh().block(Duration.ofSeconds(10));
		assertThat(meters.get("delivery.journal.age").gauge().value()).isGreaterThanOrEqualTo(3600);
		assertThat(meters.get("delivery.tracking.silent").gauge().value()).isGreaterThanOrEqualTo(7200);

		fixtures.yango.removeStub(down);
		stubs.remove(down);
		tracker.poll().block(Duration.ofSeconds(30));
		monitor.refresh().block(Duration.ofSeconds(10));
		assertThat(meters.get("delivery.journal.age").gauge().value()).isLessThan(60);
		fixtures.book(booking, waiting.number());

		assertThat(show(tracked).path("status").asString()).isEqualTo("COMPLETED");
		assertThat(fixtures.claimRow(waiting.number()).get("state")).isEqualTo("TRACKING");
		assertThat(fixtures.creates(waiting.number())
			.stream()
			.map(create -> create.queryParameter("request_id").firstValue())
			.collect(Collectors.toSet())).hasSize(1);
	}

	// --- cancelling

	@Test
	void cancelsAFreeClaimAndRecordsAPaidCancellationWithItsPrice() {
		Placed free = fixtures.readyOrder(ordering, -3.9412);
		booked(free);
		Placed paid = fixtures.readyOrder(ordering, -3.9413);
		String paidClaim = booked(paid);
		stub(claimCall("cancel-info", paidClaim).willReturn(
				jsonAnswer(200).withBody("{\"cancel_state\":\"paid\",\"price\":\"500.0000\",\"currency\":\"XOF\"}")));
		stub(claimCall("cancel", paidClaim).withRequestBody(matchingJsonPath("$.cancel_state", equalTo("paid")))
			.withRequestBody(matchingJsonPath("$.version", equalTo("2")))
			.willReturn(jsonAnswer(200)
				.withBody("{\"id\":\"" + paidClaim + "\",\"status\":\"cancelled_with_payment\",\"version\":3}")));

		assertThat(couriers.cancel(free.number()).block(Duration.ofSeconds(30)))
			.isEqualTo(new Couriers.Cancelled(free.number(), false, null, null));
		assertThat(couriers.cancel(paid.number()).block(Duration.ofSeconds(30)))
			.isEqualTo(new Couriers.Cancelled(paid.number(), true, "500.0000", "XOF"));

		assertThat(fixtures.claimRow(free.number()).get("state")).isEqualTo("CANCELLED");
		assertThat(fixtures.claimRow(paid.number()).get("cancel_state")).isEqualTo("paid");
		assertThat(fixtures.claimRow(paid.number()).get("cancel_price")).isEqualTo("500.0000");
		assertThat(fixtures.facts(paid.number())).contains("CANCELLED");
		// a cancelled delivery is final: asked again, nothing is sent
		assertThat(couriers.cancel(paid.number()).block(Duration.ofSeconds(30)))
			.isInstanceOf(Couriers.NotCancellable.class);
		assertThat(couriers.cancel("MER-19990101-0001").block(Duration.ofSeconds(30)))
			.isInstanceOf(Couriers.NoBooking.class);
	}

	// --- helpers

	/**
	 * Two instances accept the same claim: the first, its lease short (100 ms) and Yango
	 * slow to accept (500 ms), then the second once that lease lapsed, whose accept Yango
	 * answers {@code 409 code} after {@code delayMillis}. One claim, accepted and
	 * tracked, whatever the second instance learns.
	 */
	private void acceptedByTwoInstances(double longitude, String code, int delayMillis) {
		Placed order = fixtures.readyOrder(ordering, longitude);
		booking.round().block(Duration.ofSeconds(30));
		String claim = (String) fixtures.claimRow(order.number()).get("claim_id");
		String scenario = "accept-race-" + claim;
		stub(claimCall("accept", claim).inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("accepted")
			.willReturn(accepted(claim).withFixedDelay(500)));
		stub(claimCall("accept", claim).inScenario(scenario)
			.whenScenarioStateIs("accepted")
			.willReturn(jsonAnswer(409).withFixedDelay(delayMillis)
				.withBody("{\"code\":\"" + code + "\",\"message\":\"…\"}")));
		ClaimBooking shortLease = new ClaimBooking(yangoClaims, claims, statuses, transactions, yangoProperties,
				new YangoClaimsProperties(settings.maxTries(), settings.bookingInterval(), settings.journalInterval(),
						settings.estimationPoll(), Duration.ofMillis(100), settings.retryBackoff(),
						settings.retryMaxBackoff(), settings.batch(), settings.callTimeout(), settings.offerMargin(),
						settings.callbackUrl(), settings.monitorInterval(), settings.trackingRecheck()),
				json, clock);

		Mono.zip(shortLease.round().subscribeOn(Schedulers.parallel()),
				booking.round().delaySubscription(Duration.ofMillis(250)))
			.block(Duration.ofSeconds(30));
		// and whatever either instance asked for next
		booking.round().block(Duration.ofSeconds(30));

		Map<String, Object> row = fixtures.claimRow(order.number());
		assertThat(row.get("state")).isEqualTo("TRACKING");
		assertThat(row.get("claim_id")).isEqualTo(claim);
		assertThat(row.get("tries")).isEqualTo(1);
		assertThat(fixtures.claimRequests("accept", claim)).hasSize(2);
		assertThat(fixtures.creates(order.number())).hasSize(1);
		assertThat(fixtures.facts(order.number())).doesNotContain("CLAIM_REPLACED").contains("ACCEPTED");
	}

	private static ResponseDefinitionBuilder accepted(String claim) {
		return jsonAnswer(200).withBody("{\"id\":\"" + claim + "\",\"status\":\"accepted\",\"version\":2}");
	}

	/** Books the order's courier; its claim id. */
	private String booked(Placed order) {
		fixtures.book(booking, order.number());
		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("TRACKING");
		return (String) fixtures.claimRow(order.number()).get("claim_id");
	}

	private List<String> statusFacts(String number) {
		return db.sql("""
				SELECT convert_from(payload, 'UTF8')::jsonb -> 'data' ->> 'providerStatus' AS status FROM outbox
				 WHERE key = :number AND type = 'DeliveryStatusChanged'
				   AND convert_from(payload, 'UTF8')::jsonb -> 'data' ->> 'fact' = 'STATUS' ORDER BY id
				""").bind("number", number).map(row -> row.get("status", String.class)).all().collectList().block();
	}

	private JsonNode show(Placed order) {
		return json.readTree(web.get()
			.uri("/api/orders/{number}", order.number())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + order.token())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	/** A claims/{method} call about {@code claim}, above the contract's stubs. */
	private static MappingBuilder claimCall(String method, String claim) {
		return post(urlPathEqualTo(CLAIMS + method)).atPriority(0).withQueryParam("claim_id", equalTo(claim));
	}

	private static ResponseDefinitionBuilder jsonAnswer(int status) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json");
	}

	/** A stub for this test only (removed after it). */
	private void stub(MappingBuilder mapping) {
		stubs.add(fixtures.yango.stubFor(mapping));
	}

	private void sql(String statement) {
		db.sql(statement).fetch().rowsUpdated().block(Duration.ofSeconds(10));
	}

	private static Map<String, Object> priceChanged(String claim, Instant at) {
		return Map.of("operation_id", at.toEpochMilli(), "claim_id", claim, "change_type", "price_changed",
				"updated_ts", at.toString(), "new_price", "1600.0000", "new_currency", "XOF", "revision", 4);
	}

	private static Map<String, Object> event(String claim, String status, Instant at) {
		return Map.of("operation_id", at.toEpochMilli(), "claim_id", claim, "change_type", "status_changed",
				"updated_ts", at.toString(), "new_status", status, "revision", 3);
	}

	/**
	 * From now on, claims/info about {@code claim} says this status, as of {@code at}.
	 */
	private void infoSays(String claim, String status, Instant at, String courierName) {
		stub(claimCall("info", claim).willReturn(jsonAnswer(200).withBody("""
				{"id":"%s","status":"%s","version":3,"revision":3,"items":[],"route_points":[],
				 "performer_info":{"courier_name":"%s","car_model":"Yamaha Crypton","car_number":"AB 1234 CI"},
				 "eta":12,"created_ts":"2026-01-01T00:00:00+00:00","updated_ts":"%s"}
				""".formatted(claim, status, courierName, at))));
	}

	/** The journal's page after {@code cursor}: these events, then {@code next}. */
	private void journalPage(String cursor, String next, List<Map<String, Object>> events) {
		journalPage(cursor, next, events, 0);
	}

	/** The same, answered after {@code delayMillis}. */
	private void journalPage(String cursor, String next, List<Map<String, Object>> events, int delayMillis) {
		stub(post(urlPathEqualTo(CLAIMS + "journal")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.cursor", equalTo(cursor)))
			.willReturn(jsonAnswer(200).withFixedDelay(delayMillis)
				.withBody(json.writeValueAsString(Map.of("cursor", next, "events", events)))));
	}

}
