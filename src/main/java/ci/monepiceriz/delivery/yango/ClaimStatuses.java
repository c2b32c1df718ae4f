package ci.monepiceriz.delivery.yango;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ci.monepiceriz.delivery.DeliveredOrders;
import ci.monepiceriz.delivery.DeliveryStatusChanged;
import ci.monepiceriz.delivery.StaffAlerts;
import ci.monepiceriz.delivery.persistence.R2dbcClaims;
import ci.monepiceriz.delivery.persistence.R2dbcClaims.Applied;
import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import ci.monepiceriz.shared.Tokens;
import reactor.core.publisher.Mono;

/**
 * Applies Yango's claim statuses (yango.md §2.7), from the journal or from
 * {@code claims/info}, inside the caller's transaction: a status is written only when its
 * {@code updated_ts} is newer than the last applied (so replays and late callbacks change
 * nothing, and a delivery never goes back), then its consequence:
 * <ul>
 * <li>{@code delivered}, {@code delivered_finish}: DELIVERED, the order COMPLETED (once:
 * only a READY order moves);
 * <li>{@code performer_not_found}, and {@code estimating_failed}/{@code failed} before
 * acceptance: the claim is replaced by a new one (new {@code request_id}) up to
 * {@code max-tries}, then PROBLEM;
 * <li>the return leg, {@code failed} after acceptance and every cancellation not ours:
 * PROBLEM, which staff see on the order and are told of ({@link StaffAlerts}: an e-mail,
 * once per booking);
 * <li>a courier found, at the store, with the goods, at the door: the booking job reads
 * {@code claims/info} for the courier's name, vehicle and ETA;
 * <li>{@code ready_for_approval} while booking, from the journal: the booking job looks
 * now and accepts (from the booking job's own look, nothing: it accepts in the same look,
 * and waking its own row would end its lease while the accept is in flight).
 * </ul>
 * Each applied status, and each consequence, is a {@link DeliveryStatusChanged} in the
 * outbox.
 */
class ClaimStatuses {

	private static final Logger log = LoggerFactory.getLogger(ClaimStatuses.class);

	static final Set<String> DELIVERED = Set.of("delivered", "delivered_finish");

	static final Set<String> REPLACED = Set.of("performer_not_found", "estimating_failed");

	static final Set<String> PROBLEMS = Set.of("returning", "return_arrived", "ready_for_return_confirmation",
			"returned", "returned_finish", "cancelled", "cancelled_with_payment", "cancelled_by_taxi",
			"cancelled_with_items_on_hands");

	static final Set<String> DETAILS = Set.of("performer_found", "pickup_arrived", "ready_for_pickup_confirmation",
			"pickuped", "delivery_arrived", "ready_for_delivery_confirmation");

	static final Set<String> ESTIMATING = Set.of("new", "estimating");

	private final R2dbcClaims claims;

	private final DeliveredOrders orders;

	private final StaffAlerts staff;

	private final Outbox outbox;

	private final EventsProperties events;

	private final YangoClaimsProperties properties;

	private final Clock clock;

	ClaimStatuses(R2dbcClaims claims, DeliveredOrders orders, StaffAlerts staff, Outbox outbox, EventsProperties events,
			YangoClaimsProperties properties, Clock clock) {
		this.claims = claims;
		this.orders = orders;
		this.staff = staff;
		this.outbox = outbox;
		this.events = events;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Applies one status (inside the caller's transaction); true when it was new: newer
	 * than the last one applied and another status. The same status again at a later time
	 * tells nothing (no event, no consequence) but, from the journal about a delivery
	 * under way, that the courier's details may have changed. {@code withDetails}: the
	 * caller is the booking job reading claims/info, which brings the courier's details
	 * itself and decides what comes next (no look asked).
	 */
	Mono<Boolean> apply(String claimId, String status, Instant updatedAt, boolean withDetails) {
		return apply(claimId, status, updatedAt, withDetails, null);
	}

	/**
	 * The same, with Yango's {@code error_messages} of the claim ({@code errors}, may be
	 * null): a replacement or a problem says them, so staff see why (an estimation that
	 * failed on the address, say).
	 */
	Mono<Boolean> apply(String claimId, String status, Instant updatedAt, boolean withDetails, String errors) {
		Instant now = clock.instant();
		String why = "yango:" + status + (errors == null ? "" : " (" + errors + ")");
		return claims.applyStatus(claimId, status, updatedAt, now).flatMap(write -> {
			Applied applied = write.booking();
			if (!write.changed()) {
				// a courier's details are read by the booking job (never woken
				// mid-booking)
				boolean details = !withDetails && R2dbcClaims.TRACKING.equals(applied.state())
						&& DETAILS.contains(status);
				return (details ? claims.lookNow(applied.claimId(), now).then() : Mono.<Void>empty()).thenReturn(false);
			}
			return event(applied, "STATUS", applied.state(), status, null, updatedAt)
				.then(consequence(applied, status, why, updatedAt, withDetails, now))
				.thenReturn(true);
		}).defaultIfEmpty(false);
	}

	private Mono<Void> consequence(Applied applied, String status, String why, Instant at, boolean withDetails,
			Instant now) {
		boolean open = R2dbcClaims.BOOKING.equals(applied.state()) || R2dbcClaims.TRACKING.equals(applied.state());
		if (!open) {
			// delivered, cancelled by us or already a problem: recorded, nothing more
			return Mono.empty();
		}
		if (DELIVERED.contains(status)) {
			return claims.settle(applied.id(), applied.requestId(), R2dbcClaims.DELIVERED, null, now)
				.filter(Boolean::booleanValue)
				.flatMap(settled -> orders.delivered(applied.orderNumber(), status, at))
				.flatMap(completed -> event(applied, "DELIVERED", R2dbcClaims.DELIVERED, status, null, at));
		}
		boolean booking = R2dbcClaims.BOOKING.equals(applied.state());
		if (REPLACED.contains(status) || booking && "failed".equals(status)) {
			return replace(applied, why, at, now);
		}
		if (PROBLEMS.contains(status) || "failed".equals(status)) {
			return problem(applied, why, at, now);
		}
		// never from the booking job's own look: lookNow would end the lease it holds
		// while
		// its accept is in flight, and another instance would accept (or replace) again
		if (!withDetails && (DETAILS.contains(status) || booking && "ready_for_approval".equals(status))) {
			return claims.lookNow(applied.claimId(), now).then();
		}
		return Mono.empty();
	}

	/** A new claim for the same delivery, or PROBLEM when out of tries. */
	Mono<Void> replace(Applied applied, String why, Instant at, Instant now) {
		return replace(applied, null, why, at, now);
	}

	/**
	 * The same, decided by the booking job on the claim it is booking: only while the
	 * booking is still BOOKING with that claim, so that a claim another instance accepted
	 * (and recorded) meanwhile is never replaced, which would book a second courier.
	 */
	Mono<Void> replaceWhileBooking(Applied applied, String why, Instant at, Instant now) {
		return replace(applied, applied.claimId(), why, at, now);
	}

	private Mono<Void> replace(Applied applied, String bookingClaim, String why, Instant at, Instant now) {
		if (applied.tries() >= properties.maxTries()) {
			return problem(applied, bookingClaim, why + " (" + applied.tries() + " claims tried)", at, now);
		}
		String requestId = newRequestId();
		return claims.recreate(applied.id(), applied.requestId(), bookingClaim, requestId, why, now).flatMap(tries -> {
			log.info("Delivery of {}: claim {} replaced ({}), try {}", applied.orderNumber(), applied.claimId(), why,
					tries);
			return event(new Applied(applied.id(), applied.orderNumber(), R2dbcClaims.BOOKING, requestId, null, tries),
					"CLAIM_REPLACED", R2dbcClaims.BOOKING, null, why, at);
		});
	}

	/**
	 * PROBLEM, final for the booking: only the settle that moved it (from BOOKING or
	 * TRACKING, with this {@code request_id}) logs, appends the event and asks for the
	 * staff alert, all in the caller's transaction; a replay or a later status finds it
	 * settled and does nothing.
	 */
	Mono<Void> problem(Applied applied, String why, Instant at, Instant now) {
		return problem(applied, null, why, at, now);
	}

	private Mono<Void> problem(Applied applied, String bookingClaim, String why, Instant at, Instant now) {
		return claims.settle(applied.id(), applied.requestId(), bookingClaim, R2dbcClaims.PROBLEM, why, now)
			.filter(Boolean::booleanValue)
			.flatMap(settled -> {
				log.warn("Delivery of {} needs staff: {}", applied.orderNumber(), why);
				return event(applied, "PROBLEM", R2dbcClaims.PROBLEM, null, why, at)
					.then(staff.deliveryProblem(applied.orderNumber(), why, at));
			});
	}

	Mono<Void> event(Applied applied, String fact, String state, String status, String problem, Instant at) {
		return append(new DeliveryStatusChanged(applied.orderNumber(), fact, state, applied.claimId(), status,
				applied.tries(), problem, null, null, null, null, null, at));
	}

	/** COURIER: who comes, in what, and where the shopper follows them. */
	Mono<Void> courier(R2dbcClaims.CourierChange change, String status, Instant at) {
		Applied booking = change.booking();
		return append(new DeliveryStatusChanged(booking.orderNumber(), "COURIER", booking.state(), booking.claimId(),
				status, booking.tries(), null, change.courierName(), change.vehicle(), change.etaMinutes(),
				change.trackingUrl(), null, at));
	}

	private Mono<Void> append(DeliveryStatusChanged event) {
		return outbox.append(List.of(new OutgoingEvent(events.ordersTopic(), event.orderNumber(),
				DeliveryStatusChanged.TYPE, DeliveryStatusChanged.VERSION, event.at(), event)));
	}

	/**
	 * A new {@code request_id}: 43 random base64url characters (Yango takes 1–128), from
	 * the shared DRBG ({@code Tokens}: {@code UUID.randomUUID} would read /dev/urandom on
	 * an event-loop thread).
	 */
	static String newRequestId() {
		return Tokens.random();
	}

}
