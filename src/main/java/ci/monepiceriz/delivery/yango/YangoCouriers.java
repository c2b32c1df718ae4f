package ci.monepiceriz.delivery.yango;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ci.monepiceriz.delivery.Couriers;
import ci.monepiceriz.delivery.DeliveryStatusChanged;
import ci.monepiceriz.delivery.persistence.R2dbcClaims;
import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Couriers} with Yango: a booking request is a {@code delivery_claim} row (the
 * order's snapshot and a fresh {@code request_id}) and {@code DeliveryStatusChanged}
 * ({@code BOOKING_REQUESTED}) written in the caller's transaction; {@link ClaimBooking}
 * books it.
 */
class YangoCouriers implements Couriers {

	private static final Logger log = LoggerFactory.getLogger(YangoCouriers.class);

	private final R2dbcClaims claims;

	private final Outbox outbox;

	private final EventsProperties events;

	private final JsonMapper json;

	private final YangoClaims yango;

	private final Transactions transactions;

	private final Clock clock;

	YangoCouriers(R2dbcClaims claims, Outbox outbox, EventsProperties events, JsonMapper json, YangoClaims yango,
			Transactions transactions, Clock clock) {
		this.yango = yango;
		this.transactions = transactions;
		this.clock = clock;
		this.claims = claims;
		this.outbox = outbox;
		this.events = events;
		this.json = json;
	}

	@Override
	public Mono<Void> bookingRequested(BookingRequest request) {
		return claims
			.insert(request.orderNumber(), json.writeValueAsString(request), ClaimStatuses.newRequestId(), request.at())
			.filter(Boolean::booleanValue)
			.flatMap(inserted -> {
				log.info("Order {} is ready: courier booking requested", request.orderNumber());
				return outbox.append(List.of(new OutgoingEvent(events.ordersTopic(), request.orderNumber(),
						DeliveryStatusChanged.TYPE, DeliveryStatusChanged.VERSION, request.at(),
						new DeliveryStatusChanged(request.orderNumber(), "BOOKING_REQUESTED", R2dbcClaims.BOOKING, null,
								null, 1, null, null, null, null, null, null, request.at()))));
			});
	}

	/**
	 * {@code claims/cancel-info} for today's terms, {@code claims/info} for the current
	 * version, then {@code claims/cancel} with both (yango.md §2.9); neither cancel nor
	 * accept is retried blindly: a failure answers {@code NotCancellable} and the caller
	 * may ask again (which reads everything again).
	 */
	@Override
	public Mono<Cancellation> cancel(String orderNumber) {
		return claims.byOrder(orderNumber)
			.flatMap(this::cancelBooking)
			.defaultIfEmpty(new NoBooking(orderNumber))
			.onErrorResume(YangoClaims.Unavailable.class,
					down -> Mono.just(new NotCancellable(orderNumber, "provider unavailable: " + down.getMessage())));
	}

	private Mono<Cancellation> cancelBooking(R2dbcClaims.ClaimRow row) {
		String number = row.orderNumber();
		if (!R2dbcClaims.BOOKING.equals(row.state()) && !R2dbcClaims.TRACKING.equals(row.state())) {
			return Mono.just(new NotCancellable(number, "delivery already " + row.state()));
		}
		if (row.claimId() == null) {
			// a create may be on its way to Yango: cancelling now could leave its claim
			// alive
			return Mono.just(new NotCancellable(number, "booking in progress, try again shortly"));
		}
		return yango.cancelInfo(row.claimId()).flatMap(terms -> {
			String state = terms.ok() && text(terms, "cancel_state") != null ? text(terms, "cancel_state") : "";
			if (!"free".equals(state) && !"paid".equals(state)) {
				return Mono.<Cancellation>just(new NotCancellable(number,
						terms.ok() ? "cancel_state " + state + ": only Yango support can cancel"
								: "cancel-info answered " + terms.code()));
			}
			String price = "paid".equals(state) ? text(terms, "price") : null;
			String currency = "paid".equals(state) ? text(terms, "currency") : null;
			return yango.info(row.claimId())
				.flatMap(info -> info.ok() ? yango.cancel(row.claimId(), info.body().path("version").asLong(0), state)
						: Mono.just(info))
				.flatMap(reply -> {
					if (!reply.ok()) {
						return Mono.<Cancellation>just(new NotCancellable(number, "cancel answered " + reply.code()));
					}
					Instant now = clock.instant();
					R2dbcClaims.Applied applied = new R2dbcClaims.Applied(row.id(), number, row.state(),
							row.requestId(), row.claimId(), row.tries());
					return transactions
						.inTransaction(claims.cancelled(row.id(), row.requestId(), state, price, now)
							.filter(Boolean::booleanValue)
							.flatMap(done -> outbox.append(List.of(new OutgoingEvent(events.ordersTopic(), number,
									DeliveryStatusChanged.TYPE, DeliveryStatusChanged.VERSION, now,
									new DeliveryStatusChanged(number, "CANCELLED", R2dbcClaims.CANCELLED,
											applied.claimId(), null, applied.tries(), null, null, null, null, null,
											price, now))))))
						.thenReturn((Cancellation) new Cancelled(number, "paid".equals(state), price, currency));
				});
		});
	}

	private static String text(YangoClaims.Reply reply, String field) {
		var value = reply.body().path(field);
		return value.isString() || value.isNumber() ? value.asString() : null;
	}

	@Override
	public Mono<DeliveryTracking> tracking(String orderNumber) {
		return claims.tracking(orderNumber);
	}

}
