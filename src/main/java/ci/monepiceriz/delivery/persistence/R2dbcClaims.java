package ci.monepiceriz.delivery.persistence;

import static ci.monepiceriz.shared.persistence.Binds.nullable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

import ci.monepiceriz.delivery.Couriers.DeliveryTracking;
import reactor.core.publisher.Mono;

/**
 * {@code delivery_claim} and {@code yango_journal} (V16). Every write of the booking job
 * is conditional on the {@code request_id} it read (a replaced claim's worker writes
 * nothing); a status is written only when Yango's {@code updated_ts} is newer than the
 * last one applied.
 */
@Repository
public class R2dbcClaims {

	public static final String BOOKING = "BOOKING";

	public static final String TRACKING = "TRACKING";

	public static final String DELIVERED = "DELIVERED";

	public static final String PROBLEM = "PROBLEM";

	public static final String CANCELLED = "CANCELLED";

	private static final String COLUMNS = """
			id, order_number, request::text AS request, request_id, claim_id, tries, state, provider_status,
			provider_version, status_updated_at, failures, tracking_url""";

	private final DatabaseClient db;

	R2dbcClaims(DatabaseClient db) {
		this.db = db;
	}

	/** A booking as the job reads it. */
	public record ClaimRow(long id, String orderNumber, String request, String requestId, String claimId, int tries,
			String state, String providerStatus, Long providerVersion, Instant statusUpdatedAt, int failures,
			String trackingUrl) {
	}

	private static ClaimRow row(Readable row) {
		return new ClaimRow(row.get("id", Long.class), row.get("order_number", String.class),
				row.get("request", String.class), row.get("request_id", String.class),
				row.get("claim_id", String.class), row.get("tries", Integer.class), row.get("state", String.class),
				row.get("provider_status", String.class), row.get("provider_version", Long.class),
				row.get("status_updated_at", Instant.class), row.get("failures", Integer.class),
				row.get("tracking_url", String.class));
	}

	/** Records a booking request unless the order has one; whether it was recorded. */
	public Mono<Boolean> insert(String orderNumber, String requestJson, String requestId, Instant now) {
		return db.sql("""
				INSERT INTO delivery_claim (order_number, request, request_id, state, next_attempt_at, created_at,
				                            updated_at)
				VALUES (:order, CAST(:request AS jsonb), :requestId, 'BOOKING', :now, :now, :now)
				ON CONFLICT (order_number) DO NOTHING
				""")
			.bind("order", orderNumber)
			.bind("request", requestJson)
			.bind("requestId", requestId)
			.bind("now", now)
			.fetch()
			.rowsUpdated()
			.map(count -> count == 1);
	}

	/**
	 * Takes up to {@code limit} due bookings, skipping those another instance holds (row
	 * locks, and {@code leased_until} while it runs), holds them until {@code leaseUntil}
	 * and pushes their next look there (a holder that dies is replaced then): one
	 * statement, no transaction held during the calls that follow. The holder's record
	 * ({@link #created}, {@link #later}, {@link #accepted}, ...) releases the hold and
	 * sets the next look, unless the row was woken meanwhile ({@link #lookNow}: its
	 * {@code next_attempt_at} then lies before the lease's end), in which case it stays
	 * due at once.
	 */
	public Mono<List<ClaimRow>> claimDue(Instant now, Instant leaseUntil, int limit) {
		// delivery_claim_due_idx
		return db.sql("""
				WITH due AS (
				    SELECT id FROM delivery_claim
				     WHERE next_attempt_at <= :now AND state IN ('BOOKING', 'TRACKING')
				       AND (leased_until IS NULL OR leased_until <= :now)
				     ORDER BY next_attempt_at
				     LIMIT :limit
				     FOR UPDATE SKIP LOCKED
				)
				UPDATE delivery_claim c SET next_attempt_at = :lease, leased_until = :lease
				  FROM due WHERE c.id = due.id
				RETURNING c.id, c.order_number, c.request::text AS request, c.request_id, c.claim_id, c.tries,
				          c.state, c.provider_status, c.provider_version, c.status_updated_at, c.failures,
				          c.tracking_url
				""")
			.bind("now", now)
			.bind("lease", leaseUntil)
			.bind("limit", limit)
			.map(R2dbcClaims::row)
			.all()
			.collectList();
	}

	/**
	 * Stops the bookings not yet accepted whose order is no longer READY (staff completed
	 * it, having delivered by other means, or cancelled it): CANCELLED, {@code problem}
	 * saying why, never looked at again. A claim Yango created for them is never accepted
	 * and lapses (an offer not accepted costs nothing). A booking a round holds
	 * ({@code leased_until} still runs: maybe an accept in flight) is left to it and
	 * stopped after. The bookings stopped. Served by delivery_claim_open_idx and the
	 * order's primary key.
	 */
	public Mono<List<Withdrawn>> withdrawUnready(Instant now) {
		return db.sql("""
				UPDATE delivery_claim c
				   SET state = 'CANCELLED', problem = 'order ' || o.status || ' before a courier was booked',
				       next_attempt_at = NULL, leased_until = NULL, updated_at = :now
				  FROM customer_order o
				 WHERE c.state = 'BOOKING' AND o.number = c.order_number AND o.status <> 'READY'
				   AND (c.leased_until IS NULL OR c.leased_until <= :now)
				RETURNING c.id, c.order_number, c.state, c.request_id, c.claim_id, c.tries, c.problem
				""")
			.bind("now", now)
			.map(row -> new Withdrawn(applied(row), row.get("problem", String.class)))
			.all()
			.collectList();
	}

	/**
	 * Deliveries under way (an accepted claim) whose order staff completed or cancelled
	 * meanwhile: a courier is coming for an order handed over, which staff must cancel
	 * (it may cost money). Not held by a round. Served by delivery_claim_open_idx and the
	 * order's primary key.
	 */
	public Mono<List<Withdrawn>> underWayForOrdersHandedOver(Instant now) {
		return db.sql("""
				SELECT c.id, c.order_number, c.state, c.request_id, c.claim_id, c.tries,
				       'order ' || o.status || ' while a courier is booked: cancel the courier' AS why
				  FROM delivery_claim c JOIN customer_order o ON o.number = c.order_number
				 WHERE c.state = 'TRACKING' AND o.status <> 'READY'
				   AND (c.leased_until IS NULL OR c.leased_until <= :now)
				""")
			.bind("now", now)
			.map(row -> new Withdrawn(applied(row), row.get("why", String.class)))
			.all()
			.collectList();
	}

	/** A booking stopped before a courier was booked, and why. */
	public record Withdrawn(Applied booking, String why) {
	}

	/** The claim Yango created for this request; false if the booking moved on. */
	public Mono<Boolean> created(long id, String requestId, String claimId, long version, Instant next, Instant now) {
		return db.sql("""
				UPDATE delivery_claim
				   SET claim_id = :claimId, provider_version = :version, failures = 0, last_error = NULL,
				       next_attempt_at = CASE WHEN next_attempt_at < leased_until THEN next_attempt_at ELSE :next END,
				       leased_until = NULL, updated_at = :now
				 WHERE id = :id AND request_id = :requestId AND state = 'BOOKING'
				   AND (claim_id IS NULL OR claim_id = :claimId)
				""")
			.bind("claimId", claimId)
			.bind("version", version)
			.bind("next", next)
			.bind("now", now)
			.bind("id", id)
			.bind("requestId", requestId)
			.fetch()
			.rowsUpdated()
			.map(count -> count == 1);
	}

	/**
	 * Look again at {@code next}; a failure counted when {@code error} is not null, the
	 * count back to 0 otherwise (Yango answered): {@code failures} is the failures in a
	 * row, which the backoff and the tries on an unknown claim go by.
	 */
	public Mono<Boolean> later(long id, String requestId, Instant next, String error, Instant now) {
		GenericExecuteSpec spec = db.sql("""
				UPDATE delivery_claim
				   SET next_attempt_at = CASE WHEN next_attempt_at < leased_until THEN next_attempt_at ELSE :next END,
				       leased_until = NULL, updated_at = :now,
				       failures = CASE WHEN :failed THEN failures + 1 ELSE 0 END,
				       last_error = CASE WHEN :failed THEN :error ELSE last_error END
				 WHERE id = :id AND request_id = :requestId AND state IN ('BOOKING', 'TRACKING')
				""");
		spec = nullable(spec, "next", next, Instant.class);
		return spec.bind("now", now)
			.bind("failed", error != null)
			.bind("error", error == null ? "" : truncate(error, 500))
			.bind("id", id)
			.bind("requestId", requestId)
			.fetch()
			.rowsUpdated()
			.map(count -> count == 1);
	}

	/** What {@link #unknownLook} records, and recognises as the look before. */
	public static final String UNKNOWN_CLAIM = "info answered 404";

	/**
	 * Records a look at a claim Yango said it does not know ({@code claims/info} 404):
	 * looked at again at {@code next}. How many such looks in a row, this one included (a
	 * failure of another kind in between, Yango down, starts the count again); empty when
	 * the booking moved on.
	 */
	public Mono<Integer> unknownLook(long id, String requestId, Instant next, Instant now) {
		return db.sql("""
				UPDATE delivery_claim
				   SET next_attempt_at = CASE WHEN next_attempt_at < leased_until THEN next_attempt_at ELSE :next END,
				       leased_until = NULL, updated_at = :now, last_error = :error,
				       failures = CASE WHEN last_error = :error THEN failures + 1 ELSE 1 END
				 WHERE id = :id AND request_id = :requestId AND state IN ('BOOKING', 'TRACKING')
				RETURNING failures
				""")
			.bind("next", next)
			.bind("now", now)
			.bind("error", UNKNOWN_CLAIM)
			.bind("id", id)
			.bind("requestId", requestId)
			.map(row -> row.get("failures", Integer.class))
			.one();
	}

	/**
	 * Accepted by Yango: the journal follows it from now on, and the job reads
	 * {@code claims/info} again at {@code next} (the periodic re-check).
	 */
	public Mono<Boolean> accepted(long id, String requestId, long version, Instant next, Instant now) {
		return db.sql("""
				UPDATE delivery_claim
				   SET state = 'TRACKING', provider_version = :version, failures = 0,
				       next_attempt_at = CASE WHEN next_attempt_at < leased_until THEN next_attempt_at ELSE :next END,
				       leased_until = NULL,
				       last_error = NULL, updated_at = :now
				 WHERE id = :id AND request_id = :requestId AND state = 'BOOKING' AND claim_id IS NOT NULL
				""")
			.bind("version", version)
			.bind("next", next)
			.bind("now", now)
			.bind("id", id)
			.bind("requestId", requestId)
			.fetch()
			.rowsUpdated()
			.map(count -> count == 1);
	}

	/** A booking whose status was just applied. */
	public record Applied(long id, String orderNumber, String state, String requestId, String claimId, int tries) {
	}

	/** The booking a statement returned ({@code id, order_number, state, ...}). */
	private static Applied applied(Readable row) {
		return new Applied(row.get("id", Long.class), row.get("order_number", String.class),
				row.get("state", String.class), row.get("request_id", String.class), row.get("claim_id", String.class),
				row.get("tries", Integer.class));
	}

	/**
	 * A status written: {@code changed} when it differs from the one before (the same
	 * status at a later time, say once the courier's details were filled in, only moves
	 * the time on).
	 */
	public record StatusWrite(Applied booking, boolean changed) {
	}

	/**
	 * Writes Yango's status if {@code updatedAt} is newer than the last one applied (the
	 * row stays locked until the caller's transaction ends); empty otherwise (a replay, a
	 * late event, a claim not ours or replaced).
	 */
	public Mono<StatusWrite> applyStatus(String claimId, String status, Instant updatedAt, Instant now) {
		// "before" is the row as this statement found it: a status is told once
		return db.sql("""
				WITH before AS (
				    SELECT id, provider_status FROM delivery_claim
				     WHERE claim_id = :claimId AND (status_updated_at IS NULL OR status_updated_at < :at)
				     FOR UPDATE
				)
				UPDATE delivery_claim c
				   SET provider_status = :status, status_updated_at = :at, updated_at = :now
				  FROM before WHERE c.id = before.id
				RETURNING c.id, c.order_number, c.state, c.request_id, c.claim_id, c.tries,
				          before.provider_status IS DISTINCT FROM c.provider_status AS changed
				""")
			.bind("status", status)
			.bind("at", updatedAt)
			.bind("now", now)
			.bind("claimId", claimId)
			.map(row -> new StatusWrite(applied(row), Boolean.TRUE.equals(row.get("changed", Boolean.class))))
			.one();
	}

	/** A booking whose courier (name, vehicle) or tracking link just changed. */
	public record CourierChange(Applied booking, String courierName, String vehicle, Integer etaMinutes,
			String trackingUrl) {
	}

	/**
	 * The courier's details from {@code claims/info} and the recipient's tracking link
	 * (null: unchanged), unless a newer status was applied since that answer. The booking
	 * and what it now shows when the courier's name, vehicle or link changed (the ETA
	 * alone changes nothing worth telling); empty otherwise.
	 */
	public Mono<CourierChange> details(String claimId, String courierName, String vehicle, Integer eta,
			String trackingUrl, long version, Instant updatedAt, Instant now) {
		// "before" is the row as this statement found it: the change is told once
		GenericExecuteSpec spec = db
			.sql("""
					WITH before AS (
					    SELECT id, courier_name, courier_vehicle, tracking_url FROM delivery_claim
					     WHERE claim_id = :claimId AND (status_updated_at IS NULL OR status_updated_at <= :at)
					     FOR UPDATE
					)
					UPDATE delivery_claim c
					   SET courier_name = coalesce(:name, c.courier_name), courier_vehicle = coalesce(:vehicle, c.courier_vehicle),
					       eta_minutes = coalesce(:eta, c.eta_minutes), tracking_url = coalesce(:url, c.tracking_url),
					       provider_version = :version, updated_at = :now
					  FROM before WHERE c.id = before.id
					RETURNING c.id, c.order_number, c.state, c.request_id, c.claim_id, c.tries, c.courier_name,
					          c.courier_vehicle, c.eta_minutes, c.tracking_url,
					          (c.courier_name IS DISTINCT FROM before.courier_name
					           OR c.courier_vehicle IS DISTINCT FROM before.courier_vehicle
					           OR c.tracking_url IS DISTINCT FROM before.tracking_url) AS changed
					""");
		spec = nullable(spec, "name", truncate(courierName, 200), String.class);
		spec = nullable(spec, "vehicle", truncate(vehicle, 200), String.class);
		spec = nullable(spec, "url", truncate(trackingUrl, 1000), String.class);
		spec = nullable(spec, "eta", eta == null ? null : Math.max(0, eta), Integer.class);
		return spec.bind("version", version)
			.bind("now", now)
			.bind("claimId", claimId)
			.bind("at", updatedAt)
			.map(row -> Boolean.TRUE.equals(row.get("changed", Boolean.class))
					? Optional.of(new CourierChange(applied(row), row.get("courier_name", String.class),
							row.get("courier_vehicle", String.class), row.get("eta_minutes", Integer.class),
							row.get("tracking_url", String.class)))
					: Optional.<CourierChange>empty())
			.one()
			.flatMap(Mono::justOrEmpty);
	}

	/** Moves a booking to a final state. */
	public Mono<Boolean> settle(long id, String requestId, String state, String problem, Instant now) {
		return settle(id, requestId, null, state, problem, now);
	}

	/**
	 * The same, only while still being booked with {@code bookingClaim} when not null
	 * (the booking job's decision on that claim: one accepted meanwhile is left alone).
	 */
	public Mono<Boolean> settle(long id, String requestId, String bookingClaim, String state, String problem,
			Instant now) {
		GenericExecuteSpec spec = db
			.sql("""
					UPDATE delivery_claim
					   SET state = :state, problem = :problem, next_attempt_at = NULL, leased_until = NULL, updated_at = :now
					 WHERE id = :id AND request_id = :requestId AND state IN ('BOOKING', 'TRACKING')
					"""
					+ whileBooking(bookingClaim))
			.bind("state", state);
		spec = nullable(spec, "problem", truncate(problem, 500), String.class);
		spec = bookingClaim == null ? spec : spec.bind("bookingClaim", bookingClaim);
		return spec.bind("now", now)
			.bind("id", id)
			.bind("requestId", requestId)
			.fetch()
			.rowsUpdated()
			.map(count -> count == 1);
	}

	/**
	 * Asks the job to look at this claim now (a callback, a status that needs details). A
	 * row a round holds is only marked due: no other instance takes it before the
	 * holder's record, which keeps it due.
	 */
	public Mono<Boolean> lookNow(String claimId, Instant now) {
		return db.sql("""
				UPDATE delivery_claim SET next_attempt_at = :now, updated_at = :now
				 WHERE claim_id = :claimId AND state IN ('BOOKING', 'TRACKING')
				""").bind("now", now).bind("claimId", claimId).fetch().rowsUpdated().map(count -> count == 1);
	}

	/**
	 * Replaces a failed claim by a new one: a new {@code request_id}, no claim, the job
	 * creates it now. Empty when the booking moved on (another worker replaced it), or,
	 * with {@code bookingClaim}, when it is no longer being booked with that claim (the
	 * booking job decided on it while another instance accepted it: never replaced).
	 */
	public Mono<Integer> recreate(long id, String oldRequestId, String bookingClaim, String newRequestId, String why,
			Instant now) {
		GenericExecuteSpec spec = db.sql("""
				UPDATE delivery_claim
				   SET request_id = :newId, claim_id = NULL, tries = tries + 1, state = 'BOOKING',
				       provider_status = NULL, provider_version = NULL, status_updated_at = NULL,
				       courier_name = NULL, courier_vehicle = NULL, eta_minutes = NULL, tracking_url = NULL,
				       failures = 0,
				       last_error = :why, next_attempt_at = :now, leased_until = NULL, updated_at = :now
				 WHERE id = :id AND request_id = :oldId AND state IN ('BOOKING', 'TRACKING')
				""" + whileBooking(bookingClaim) + " RETURNING tries");
		spec = bookingClaim == null ? spec : spec.bind("bookingClaim", bookingClaim);
		return spec.bind("newId", newRequestId)
			.bind("why", truncate(why, 500))
			.bind("now", now)
			.bind("id", id)
			.bind("oldId", oldRequestId)
			.map(row -> row.get("tries", Integer.class))
			.one();
	}

	/** Whether this claim id is one of ours. */
	public Mono<Boolean> known(String claimId) {
		return db.sql("SELECT 1 FROM delivery_claim WHERE claim_id = :claimId")
			.bind("claimId", claimId)
			.map(row -> Boolean.TRUE)
			.one()
			.defaultIfEmpty(false);
	}

	/** The booking of an order, for cancelling it. */
	public Mono<ClaimRow> byOrder(String orderNumber) {
		return db.sql("SELECT " + COLUMNS + " FROM delivery_claim WHERE order_number = :order")
			.bind("order", orderNumber)
			.map(R2dbcClaims::row)
			.one();
	}

	/** Records a cancellation by us, and what it cost. */
	public Mono<Boolean> cancelled(long id, String requestId, String cancelState, String price, Instant now) {
		GenericExecuteSpec spec = db.sql("""
				UPDATE delivery_claim
				   SET state = 'CANCELLED', cancel_state = :cancelState, cancel_price = :price, next_attempt_at = NULL,
				       leased_until = NULL,
				       updated_at = :now
				 WHERE id = :id AND request_id = :requestId AND state IN ('BOOKING', 'TRACKING')
				""").bind("cancelState", cancelState);
		spec = nullable(spec, "price", price, String.class);
		return spec.bind("now", now)
			.bind("id", id)
			.bind("requestId", requestId)
			.fetch()
			.rowsUpdated()
			.map(count -> count == 1);
	}

	public Mono<DeliveryTracking> tracking(String orderNumber) {
		return db.sql("""
				SELECT state, provider_status, courier_name, courier_vehicle, eta_minutes, tracking_url, problem,
				       status_updated_at
				  FROM delivery_claim WHERE order_number = :order
				""")
			.bind("order", orderNumber)
			.map(row -> new DeliveryTracking(row.get("state", String.class), row.get("provider_status", String.class),
					row.get("courier_name", String.class), row.get("courier_vehicle", String.class),
					row.get("eta_minutes", Integer.class), row.get("tracking_url", String.class),
					row.get("problem", String.class), row.get("status_updated_at", Instant.class)))
			.one();
	}

	// --- the journal cursor

	/** The cursor while {@code owner} holds the lease (empty: someone else does). */
	public record Cursor(String value) {
	}

	public Mono<Cursor> leaseJournal(String owner, Instant now, Instant until) {
		return db.sql("""
				UPDATE yango_journal SET lease_owner = :owner, lease_until = :until
				 WHERE id = 1 AND (lease_until IS NULL OR lease_until < :now OR lease_owner = :owner)
				RETURNING cursor
				""")
			.bind("owner", owner)
			.bind("until", until)
			.bind("now", now)
			.map(row -> new Cursor(row.get("cursor", String.class)))
			.one();
	}

	/**
	 * Moves the cursor from {@code from} to {@code to}, only while {@code owner} holds
	 * the lease and nobody moved it: inside the transaction that applies the page's
	 * events, which it locks out of any other poller.
	 */
	public Mono<Boolean> advance(String owner, String from, String to, Instant until, Instant now) {
		GenericExecuteSpec spec = db.sql("""
				UPDATE yango_journal SET cursor = :to, lease_until = :until, updated_at = :now
				 WHERE id = 1 AND lease_owner = :owner AND cursor IS NOT DISTINCT FROM :from
				""");
		spec = nullable(spec, "to", to, String.class);
		spec = nullable(spec, "from", from, String.class);
		return spec.bind("until", until)
			.bind("now", now)
			.bind("owner", owner)
			.fetch()
			.rowsUpdated()
			.map(count -> count == 1);
	}

	/**
	 * Gives the lease up; {@code polledAt} (null after a failed round) records a round
	 * that ended well.
	 */
	public Mono<Void> releaseJournal(String owner, Instant polledAt) {
		GenericExecuteSpec spec = db.sql("""
				UPDATE yango_journal SET lease_until = NULL, polled_at = coalesce(:polledAt, polled_at)
				 WHERE id = 1 AND lease_owner = :owner
				""");
		return nullable(spec, "polledAt", polledAt, Instant.class).bind("owner", owner).fetch().rowsUpdated().then();
	}

	/** The condition "still being booked with this claim", none when null. */
	private static String whileBooking(String bookingClaim) {
		return bookingClaim == null ? "" : "   AND state = 'BOOKING' AND claim_id = :bookingClaim\n";
	}

	/**
	 * At most {@code max} characters: what the column's CHECK allows (null stays null).
	 */
	private static String truncate(String text, int max) {
		return text == null || text.length() <= max ? text : text.substring(0, max);
	}

}
