package ci.monepiceriz.delivery.yango;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import ci.monepiceriz.delivery.Couriers.BookingRequest;
import ci.monepiceriz.delivery.persistence.R2dbcClaims;
import ci.monepiceriz.delivery.persistence.R2dbcClaims.Applied;
import ci.monepiceriz.delivery.persistence.R2dbcClaims.ClaimRow;
import ci.monepiceriz.shared.Rounds;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The booking job, on every instance: takes due bookings (SKIP LOCKED, a lease pushed
 * forward in the same statement), calls Yango outside any transaction, then records what
 * it learnt with updates conditional on the {@code request_id} it read.
 * <ul>
 * <li>No claim yet: {@code claims/create} with the stored {@code request_id} (a retry
 * after a timeout or a crash gets the same claim, never a second courier).
 * <li>A claim being booked: {@code claims/info}; while {@code new}/{@code estimating},
 * again after {@code estimation-poll}; at {@code ready_for_approval},
 * {@code claims/accept} with the version just read if the offer is still valid for
 * {@code offer-margin}, else (or on {@code offer_expired}) a new claim, only while the
 * booking is still being booked with that claim; any other 409 (a stale version, an offer
 * already used) reads info again first. Failed claims are replaced by
 * {@link ClaimStatuses}. A claim Yango does not know (info 404) is replaced.
 * <li>A claim being tracked, flagged (a callback, a courier found) or due for its
 * periodic re-check ({@code tracking-recheck}): {@code claims/info} for the status, the
 * courier's name and vehicle and the ETA, and once a courier is assigned
 * {@code claims/tracking-links} for the recipient's link. Info 404 here is never a new
 * claim (a wrong token or host would rebook every accepted delivery): looked at again
 * after the backoff, then PROBLEM after {@code max-tries} such looks.
 * </ul>
 * Yango unavailable (and a create refused for a reason not about the delivery: a token,
 * an account, a host): the booking is looked at again after a doubling backoff, nothing
 * else changes.
 */
class ClaimBooking {

	private static final Logger log = LoggerFactory.getLogger(ClaimBooking.class);

	private static final int CALLS_AT_ONCE = 4;

	/**
	 * The only accept answer that replaces the claim at once; any other 409 (a stale
	 * version, {@code offer_already_used}: maybe our own accept, by another instance)
	 * reads info again first.
	 */
	private static final String OFFER_EXPIRED = "offer_expired";

	private final YangoClaims yango;

	private final R2dbcClaims claims;

	private final ClaimStatuses statuses;

	private final Transactions transactions;

	private final YangoProperties properties;

	private final YangoClaimsProperties settings;

	private final JsonMapper json;

	private final Clock clock;

	ClaimBooking(YangoClaims yango, R2dbcClaims claims, ClaimStatuses statuses, Transactions transactions,
			YangoProperties properties, YangoClaimsProperties settings, JsonMapper json, Clock clock) {
		this.yango = yango;
		this.claims = claims;
		this.statuses = statuses;
		this.transactions = transactions;
		this.properties = properties;
		this.settings = settings;
		this.json = json;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${shop.delivery.yango.claims.booking-interval:5s}",
			initialDelayString = "${shop.delivery.yango.claims.booking-interval:5s}")
	Mono<Void> run() {
		return Rounds.retriedNextTime(round(), log, "Yango booking round");
	}

	/** One round: the due bookings handled, by outcome. */
	Mono<Map<String, Long>> round() {
		return Mono.defer(() -> {
			Instant now = clock.instant();
			Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
			return withdrawUnready(now).then(claims.claimDue(now, now.plus(settings.lease()), settings.batch()))
				.flatMapMany(Flux::fromIterable)
				.flatMap(row -> handle(row).onErrorResume(error -> {
					log.warn("Booking of order {} failed, will retry: {}", row.orderNumber(), error.toString());
					return claims.later(row.id(), row.requestId(), backoff(row), error.toString(), clock.instant())
						.thenReturn("error");
				}), CALLS_AT_ONCE)
				.doOnNext(outcome -> outcomes.computeIfAbsent(outcome, key -> new AtomicLong()).incrementAndGet())
				.then(Mono.fromSupplier(() -> {
					Map<String, Long> summary = new java.util.TreeMap<>();
					outcomes.forEach((outcome, count) -> summary.put(outcome, count.get()));
					return summary;
				}));
		});
	}

	/**
	 * Bookings whose order staff completed or cancelled before a courier was booked: no
	 * courier for them (one transaction: the rows and their CANCELLED events). Those
	 * whose courier was already booked: a PROBLEM staff are alerted to, the courier to
	 * cancel (each in a transaction of its own, as every problem).
	 */
	private Mono<Void> withdrawUnready(Instant now) {
		Mono<Void> withdrawn = transactions
			.inTransaction(claims.withdrawUnready(now).flatMapMany(Flux::fromIterable).concatMap(stopped -> {
				log.info("Delivery of {}: no courier booked, {}", stopped.booking().orderNumber(), stopped.why());
				return statuses.event(stopped.booking(), "CANCELLED", R2dbcClaims.CANCELLED, null, stopped.why(), now);
			}).then());
		Mono<Void> flagged = claims.underWayForOrdersHandedOver(now)
			.flatMapMany(Flux::fromIterable)
			.concatMap(underWay -> transactions
				.inTransaction(statuses.problem(underWay.booking(), underWay.why(), now, now)))
			.then();
		return withdrawn.then(flagged);
	}

	private Mono<String> handle(ClaimRow row) {
		Mono<String> step = row.claimId() == null ? create(row) : look(row);
		return step.onErrorResume(YangoClaims.Unavailable.class, down -> {
			log.info("Booking of order {}: Yango unavailable ({}), again later", row.orderNumber(), down.getMessage());
			return claims.later(row.id(), row.requestId(), backoff(row), down.getMessage(), clock.instant())
				.thenReturn("unavailable");
		});
	}

	// --- create

	private Mono<String> create(ClaimRow row) {
		BookingRequest request = json.readValue(row.request(), BookingRequest.class);
		return yango.create(row.requestId(), body(request)).flatMap(reply -> {
			Instant now = clock.instant();
			YangoClaims.Claim claim = reply.ok() ? YangoClaims.claim(reply.body()) : null;
			if (claim != null && claim.id() != null) {
				return transactions
					.inTransaction(claims.created(row.id(), row.requestId(), claim.id(), claim.version(), now, now)
						.filter(Boolean::booleanValue)
						.flatMap(created -> statuses.event(applied(row, claim.id()), "CLAIM_CREATED",
								R2dbcClaims.BOOKING, claim.status(), null, now)))
					.thenReturn("created");
			}
			if (YangoClaims.refusesDelivery(reply)) {
				// Yango refuses this delivery (address, phone, zone): a new
				// claim would be refused alike (other 4xx: YangoClaims.create)
				return transactions
					.inTransaction(statuses.problem(applied(row, null), "yango:create " + reply.code(), now, now))
					.thenReturn("refused");
			}
			return claims.later(row.id(), row.requestId(), backoff(row), "create answered " + reply.code(), now)
				.thenReturn("retry");
		});
	}

	/** claims/create's body (yango.md §2.4): coordinates [longitude, latitude]. */
	Map<String, Object> body(BookingRequest request) {
		YangoProperties.Store store = properties.store();
		List<Map<String, Object>> items = new ArrayList<>();
		for (var item : request.items()) {
			items.add(Map.of("title", item.title(), "quantity", item.quantity(), "cost_value",
					Long.toString(item.unitPrice()), "cost_currency", "XOF", "pickup_point", 1, "dropoff_point", 2));
		}
		Map<String, Object> source = Map.of("point_id", 1, "visit_order", 1, "type", "source", "contact",
				Map.of("name", store.contactName(), "phone", store.contactPhone(), "email", store.contactEmail()),
				"address",
				Map.of("fullname", store.address(), "coordinates", List.of(store.longitude(), store.latitude())));
		Map<String, Object> address = new LinkedHashMap<>();
		address.put("fullname", request.address());
		address.put("coordinates", List.of(request.longitude(), request.latitude()));
		if (request.instructions() != null && !request.instructions().isBlank()) {
			address.put("comment", request.instructions());
		}
		Map<String, Object> destination = Map.of("point_id", 2, "visit_order", 2, "type", "destination", "contact",
				Map.of("name", request.recipientName(), "phone", request.phone()), "address", address,
				"external_order_id", request.orderNumber());
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("items", items);
		body.put("route_points", List.of(source, destination));
		body.put("client_requirements", Map.of("taxi_class", properties.taxiClass()));
		body.put("emergency_contact", Map.of("name", store.contactName(), "phone", store.contactPhone()));
		body.put("comment", "Commande " + request.orderNumber());
		if (!settings.callbackUrl().isEmpty()) {
			body.put("callback_properties", Map.of("callback_url", settings.callbackUrl()));
		}
		return body;
	}

	// --- info, accept

	private Mono<String> look(ClaimRow row) {
		return yango.info(row.claimId()).flatMap(reply -> {
			Instant now = clock.instant();
			if (reply.status() == 404) {
				return unknown(row, reply, now);
			}
			YangoClaims.Claim claim = reply.ok() ? YangoClaims.claim(reply.body()) : null;
			if (claim == null || claim.status() == null || claim.updatedAt() == null) {
				return claims.later(row.id(), row.requestId(), backoff(row), "info answered " + reply.code(), now)
					.thenReturn("retry");
			}
			// the link is asked for outside the transaction, then recorded with the rest
			return trackingLink(row, claim).map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap(link -> transactions.inTransaction(
						statuses.apply(row.claimId(), claim.status(), claim.updatedAt(), true, claim.errors())
							.flatMap(applied -> claims
								.details(row.claimId(), claim.courierName(), claim.vehicle(), claim.etaMinutes(),
										link.orElse(null), claim.version(), claim.updatedAt(), now)
								.flatMap(change -> statuses.courier(change, claim.status(), claim.updatedAt()))
								.thenReturn(applied))))
				.then(Mono.defer(() -> next(row, claim)));
		});
	}

	/**
	 * {@code claims/info} answered 404. While booking, the claim is replaced (only while
	 * still booked with it). Once accepted, a new claim would be a second courier, and a
	 * wrong token or host would answer 404 for every claim: looked at again after the
	 * backoff, and after {@code max-tries} such looks in a row a PROBLEM staff see.
	 */
	private Mono<String> unknown(ClaimRow row, YangoClaims.Reply reply, Instant now) {
		if (R2dbcClaims.BOOKING.equals(row.state())) {
			return transactions
				.inTransaction(
						statuses.replaceWhileBooking(applied(row, row.claimId()), "yango:claim not found", now, now))
				.thenReturn("replaced");
		}
		return claims.unknownLook(row.id(), row.requestId(), backoff(row), now).flatMap(looks -> {
			if (looks >= settings.maxTries()) {
				return transactions.inTransaction(statuses.problem(applied(row, row.claimId()),
						"yango:claim unknown to Yango (claims/info " + reply.code() + ", " + looks + " looks)", now,
						now))
					.thenReturn("unknown");
			}
			log.warn("Delivery of {}: claim {} unknown to Yango ({}), asked again later", row.orderNumber(),
					row.claimId(), reply.code());
			return Mono.just("retry");
		});
	}

	/**
	 * Once a courier is assigned, the recipient's tracking link ({@code tracking-links}),
	 * until the booking has one; empty when none. Yango may have none yet ({@code 409})
	 * or be unreachable: the next look (the courier's next status) asks again; a missing
	 * link never holds the booking back.
	 */
	private Mono<String> trackingLink(ClaimRow row, YangoClaims.Claim claim) {
		if (row.trackingUrl() != null || !ClaimStatuses.DETAILS.contains(claim.status())) {
			return Mono.empty();
		}
		return yango.trackingLinks(row.claimId())
			.mapNotNull(reply -> reply.ok() ? YangoClaims.sharingLink(reply.body()) : null)
			.onErrorResume(YangoClaims.Unavailable.class, down -> {
				log.info("Delivery of {}: no tracking link yet ({})", row.orderNumber(), down.getMessage());
				return Mono.empty();
			});
	}

	/** After info: what the booking needs next. */
	private Mono<String> next(ClaimRow row, YangoClaims.Claim claim) {
		Instant now = clock.instant();
		if (!R2dbcClaims.BOOKING.equals(row.state())) {
			// the journal follows it; info again after tracking-recheck all the same
			return claims.later(row.id(), row.requestId(), now.plus(settings.trackingRecheck()), null, now)
				.thenReturn("refreshed");
		}
		String status = claim.status();
		if (ClaimStatuses.ESTIMATING.contains(status)) {
			return claims.later(row.id(), row.requestId(), now.plus(settings.estimationPoll()), null, now)
				.thenReturn("estimating");
		}
		if ("ready_for_approval".equals(status)) {
			return accept(row, claim);
		}
		if (ClaimStatuses.DELIVERED.contains(status) || ClaimStatuses.REPLACED.contains(status)
				|| ClaimStatuses.PROBLEMS.contains(status) || "failed".equals(status)) {
			// applied above: replaced, a problem or delivered
			return Mono.just("final");
		}
		// accepted before (a crash, or another instance, between accept and its record)
		return transactions
			.inTransaction(claims
				.accepted(row.id(), row.requestId(), claim.version(), now.plus(settings.trackingRecheck()), now)
				.filter(Boolean::booleanValue)
				.flatMap(accepted -> statuses.event(applied(row, row.claimId()), "ACCEPTED", R2dbcClaims.TRACKING,
						status, null, now)))
			.thenReturn("accepted");
	}

	private Mono<String> accept(ClaimRow row, YangoClaims.Claim claim) {
		Instant now = clock.instant();
		if (claim.offerValidUntil() != null && claim.offerValidUntil().isBefore(now.plus(settings.offerMargin()))) {
			return transactions
				.inTransaction(
						statuses.replaceWhileBooking(applied(row, row.claimId()), "yango:offer expired", now, now))
				.thenReturn("replaced");
		}
		return yango.accept(row.claimId(), claim.version()).flatMap(reply -> {
			Instant at = clock.instant();
			if (reply.ok()) {
				log.info("Delivery of {}: claim {} accepted", row.orderNumber(), row.claimId());
				return transactions
					.inTransaction(claims
						.accepted(row.id(), row.requestId(), claim.version(), at.plus(settings.trackingRecheck()), at)
						.filter(Boolean::booleanValue)
						.flatMap(accepted -> statuses.event(applied(row, row.claimId()), "ACCEPTED",
								R2dbcClaims.TRACKING, "accepted", null, at)))
					.thenReturn("accepted");
			}
			if (reply.status() == 409 && OFFER_EXPIRED.equals(reply.code())) {
				// only while still booked with this claim: one accepted meanwhile
				// (another
				// instance, its lease lapsed) is never replaced
				return transactions
					.inTransaction(
							statuses.replaceWhileBooking(applied(row, row.claimId()), "yango:" + reply.code(), at, at))
					.thenReturn("replaced");
			}
			if (reply.status() == 409) {
				// the claim changed since info (old_version, offer_already_used: maybe
				// accepted by us elsewhere): read it again shortly, and decide then
				return claims.later(row.id(), row.requestId(), at.plus(settings.estimationPoll()), null, at)
					.thenReturn("stale");
			}
			return claims.later(row.id(), row.requestId(), backoff(row), "accept answered " + reply.code(), at)
				.thenReturn("retry");
		});
	}

	private static Applied applied(ClaimRow row, String claimId) {
		return new Applied(row.id(), row.orderNumber(), row.state(), row.requestId(), claimId, row.tries());
	}

	private Instant backoff(ClaimRow row) {
		long millis = settings.retryBackoff().toMillis() << Math.min(row.failures(), 20);
		return clock.instant().plus(Duration.ofMillis(Math.min(millis, settings.retryMaxBackoff().toMillis())));
	}

}
