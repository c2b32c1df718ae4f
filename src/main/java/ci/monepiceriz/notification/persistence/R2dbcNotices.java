package ci.monepiceriz.notification.persistence;

import java.time.Instant;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import ci.monepiceriz.notification.domain.Channel;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * Order notices over R2DBC ({@code order_notice}, V13; staff alerts V18). A claim moves
 * due notices to SENDING in one statement ({@code FOR UPDATE SKIP LOCKED}: instances
 * claim disjoint rows); every later change is conditional on the claim's status and
 * attempt number, so an outcome lands at most once and only on the claim it belongs to.
 */
@Repository
public class R2dbcNotices {

	private final DatabaseClient db;

	public R2dbcNotices(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * A notice claimed for one attempt (its {@code attempt}-th): {@code amount} is the
	 * amount paid (0 for a staff alert, which has none), {@code problem} the delivery's
	 * problem (staff alerts only, else null).
	 */
	public record Claimed(long id, String orderNumber, Channel channel, long amount, int attempt, String problem) {

		/** A paid order's notice. */
		public Claimed(long id, String orderNumber, Channel channel, long amount, int attempt) {
			this(id, orderNumber, channel, amount, attempt, null);
		}

	}

	private static Claimed claimed(Readable row) {
		Long amount = row.get("amount", Long.class);
		return new Claimed(row.get("id", Long.class), row.get("order_number", String.class),
				Channel.valueOf(row.get("channel", String.class)), amount == null ? 0 : amount,
				row.get("attempts", Integer.class), row.get("problem", String.class));
	}

	/**
	 * One PENDING notice per paid-order channel for this paid order, due at once (inside
	 * the caller's transaction); an order's notices already there are left as they are.
	 * Answers how many were written.
	 */
	public Mono<Long> request(String orderNumber, long amount, Instant now) {
		// order_notice_once
		return db
			.sql("""
					INSERT INTO order_notice (order_number, channel, amount, status, due_at, created_at)
					SELECT :number, channel, :amount, 'PENDING', :now, :now FROM unnest(CAST(:channels AS text[])) AS channel
					ON CONFLICT (order_number, channel) DO NOTHING
					""")
			.bind("number", orderNumber)
			.bind("amount", amount)
			.bind("now", now)
			.bind("channels", Channel.PAID_ORDER.stream().map(Channel::name).toArray(String[]::new))
			.fetch()
			.rowsUpdated();
	}

	/**
	 * One PENDING staff alert for this order's delivery problem, due at once (inside the
	 * caller's transaction); when the order has one already, nothing is written (a
	 * booking's problem is final: one per order). The problem is cut to the column's 500
	 * characters rather than fail the caller. Answers how many were written.
	 */
	public Mono<Long> requestStaff(String orderNumber, String problem, Instant now) {
		// order_notice_once
		return db.sql("""
				INSERT INTO order_notice (order_number, channel, problem, status, due_at, created_at)
				VALUES (:number, 'STAFF', :problem, 'PENDING', :now, :now)
				ON CONFLICT (order_number, channel) DO NOTHING
				""").bind("number", orderNumber).bind("problem", cut(problem)).bind("now", now).fetch().rowsUpdated();
	}

	/**
	 * Claims up to {@code limit} notices due at {@code now}: SENDING, claimed now, one
	 * more attempt (in the caller's short transaction; rows another instance is claiming
	 * are skipped).
	 */
	public Mono<List<Claimed>> claim(Instant now, int limit) {
		// order_notice_due_idx
		return db.sql("""
				WITH due AS (
				    SELECT id AS due_id FROM order_notice
				     WHERE status = 'PENDING' AND due_at <= :now
				     ORDER BY due_at
				     LIMIT :limit
				       FOR UPDATE SKIP LOCKED
				)
				UPDATE order_notice SET status = 'SENDING', claimed_at = :now, attempts = attempts + 1
				  FROM due WHERE id = due.due_id
				RETURNING id, order_number, channel, amount, attempts, problem
				""").bind("now", now).bind("limit", limit).map(R2dbcNotices::claimed).all().collectList();
	}

	/**
	 * SENDING → SENT for this claim; also from UNKNOWN, where the lease sweep put a claim
	 * that was only slow (it did go, after all). False when nothing changed.
	 */
	public Mono<Boolean> sent(Claimed notice, Instant now) {
		return db.sql("""
				UPDATE order_notice SET status = 'SENT', finished_at = :now, claimed_at = NULL, outcome = NULL
				 WHERE id = :id AND attempts = :attempt AND status IN ('SENDING', 'UNKNOWN')
				""")
			.bind("now", now)
			.bind("id", notice.id())
			.bind("attempt", notice.attempt())
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/**
	 * SENDING → a final status (SKIPPED, FAILED or UNKNOWN) for this claim, saying why;
	 * false when nothing changed.
	 */
	public Mono<Boolean> finish(Claimed notice, String status, String outcome, Instant now) {
		return db.sql("""
				UPDATE order_notice SET status = :status, finished_at = :now, claimed_at = NULL, outcome = :outcome
				 WHERE id = :id AND attempts = :attempt AND status = 'SENDING'
				""")
			.bind("status", status)
			.bind("now", now)
			.bind("outcome", cut(outcome))
			.bind("id", notice.id())
			.bind("attempt", notice.attempt())
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/**
	 * SENDING → PENDING again, due at {@code dueAt}, saying why this attempt failed;
	 * false when nothing changed.
	 */
	public Mono<Boolean> retry(Claimed notice, String reason, Instant dueAt) {
		return db.sql("""
				UPDATE order_notice SET status = 'PENDING', due_at = :due, claimed_at = NULL, outcome = :outcome
				 WHERE id = :id AND attempts = :attempt AND status = 'SENDING'
				""")
			.bind("due", dueAt)
			.bind("outcome", cut(reason))
			.bind("id", notice.id())
			.bind("attempt", notice.attempt())
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/**
	 * Notices of {@code channel} claimed at or before {@code claimedBefore} and still
	 * SENDING: their instance died mid-send (or is far slower than any timeout), so
	 * whether they went is unknown. A channel that may send again in that case gets them
	 * back PENDING (while attempts remain), any other marks them UNKNOWN. Answers how
	 * many.
	 */
	public Mono<Long> expireLeases(Channel channel, Instant claimedBefore, int maxAttempts, Instant now) {
		// order_notice_sending_idx
		return db.sql("""
				WITH expired AS (
				    SELECT id AS expired_id, attempts < :max AND :resend AS again FROM order_notice
				     WHERE status = 'SENDING' AND claimed_at <= :before AND channel = :channel
				       FOR UPDATE SKIP LOCKED
				)
				UPDATE order_notice
				   SET status = CASE WHEN again THEN 'PENDING' ELSE 'UNKNOWN' END,
				       finished_at = CASE WHEN again THEN NULL ELSE CAST(:now AS timestamptz) END,
				       due_at = CASE WHEN again THEN CAST(:now AS timestamptz) ELSE due_at END,
				       claimed_at = NULL,
				       outcome = 'lease expired: the sending instance stopped mid-send'
				  FROM expired WHERE id = expired.expired_id
				""")
			.bind("max", maxAttempts)
			.bind("resend", channel.resentWhenUnknown())
			.bind("before", claimedBefore)
			.bind("channel", channel.name())
			.bind("now", now)
			.fetch()
			.rowsUpdated();
	}

	private static String cut(String text) {
		String value = text == null || text.isBlank() ? "-" : text;
		return value.length() > 500 ? value.substring(0, 500) : value;
	}

}
