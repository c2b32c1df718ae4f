package ci.monepiceriz.payment.persistence;

import java.time.Instant;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * Payment attempts over R2DBC ({@code payment_attempt}, V9). Every write runs inside the
 * caller's transaction; a change of status is conditional on the status the caller saw.
 */
@Repository
public class R2dbcPaymentAttempts {

	/** Written before the provider is called; no payment URL yet. */
	public static final String STARTING = "STARTING";

	/** The provider gave a payment URL. */
	public static final String OPEN = "OPEN";

	/** The provider refused or did not answer; never reused. */
	public static final String FAILED = "FAILED";

	private final DatabaseClient db;

	public R2dbcPaymentAttempts(DatabaseClient db) {
		this.db = db;
	}

	/** One attempt as stored. */
	public record Attempt(long id, String orderNumber, String transactionId, String status, long amount,
			long roundingDiscount, String currency, String paymentUrl, Instant createdAt) {
	}

	private static final String COLUMNS = """
			id, order_number, transaction_id, status, amount, rounding_discount, currency, payment_url, created_at
			""";

	private static Attempt attempt(Readable row) {
		return new Attempt(row.get("id", Long.class), row.get("order_number", String.class),
				row.get("transaction_id", String.class), row.get("status", String.class), row.get("amount", Long.class),
				row.get("rounding_discount", Short.class), row.get("currency", String.class),
				row.get("payment_url", String.class), row.get("created_at", Instant.class));
	}

	/** The order's live (STARTING or OPEN) attempt, if any (there is at most one). */
	public Mono<Attempt> live(String orderNumber) {
		// payment_attempt_one_live_per_order
		return db
			.sql("SELECT " + COLUMNS + " FROM payment_attempt WHERE order_number = :number"
					+ " AND status IN ('STARTING', 'OPEN')")
			.bind("number", orderNumber)
			.map(R2dbcPaymentAttempts::attempt)
			.one();
	}

	/** The attempt of this transaction id, if any. */
	public Mono<Attempt> byTransactionId(String transactionId) {
		return db.sql("SELECT " + COLUMNS + " FROM payment_attempt WHERE transaction_id = :id")
			.bind("id", transactionId)
			.map(R2dbcPaymentAttempts::attempt)
			.one();
	}

	/** The attempt CinetPay knows by this payment token, if any. */
	public Mono<Attempt> byPaymentToken(String paymentToken) {
		// payment_attempt_payment_token_idx
		return db
			.sql("SELECT " + COLUMNS + " FROM payment_attempt WHERE payment_token = :token AND payment_token <> ''"
					+ " ORDER BY id LIMIT 1")
			.bind("token", paymentToken)
			.map(R2dbcPaymentAttempts::attempt)
			.one();
	}

	/**
	 * What was stored to verify the notifications of this transaction (the new API's
	 * {@code notify_token} digest); empty when nothing was (a legacy attempt, an unknown
	 * transaction).
	 */
	public Mono<String> notificationKey(String transactionId) {
		return db.sql("""
				SELECT notify_token_hash FROM payment_attempt
				 WHERE transaction_id = :id AND notify_token_hash IS NOT NULL
				""").bind("id", transactionId).map(row -> row.get("notify_token_hash", String.class)).one();
	}

	/** A new STARTING attempt. */
	public Mono<Attempt> insert(String orderNumber, String transactionId, String provider, String api, long amount,
			long roundingDiscount, String currency, Instant now) {
		return db.sql("""
				INSERT INTO payment_attempt (order_number, transaction_id, provider, api, status, amount,
				                             rounding_discount, currency, created_at, updated_at)
				VALUES (:number, :transactionId, :provider, :api, 'STARTING', :amount, :discount, :currency, :now, :now)
				RETURNING """ + " " + COLUMNS)
			.bind("number", orderNumber)
			.bind("transactionId", transactionId)
			.bind("provider", provider)
			.bind("api", api)
			.bind("amount", amount)
			.bind("discount", (short) roundingDiscount)
			.bind("currency", currency)
			.bind("now", now)
			.map(R2dbcPaymentAttempts::attempt)
			.one();
	}

	/**
	 * STARTING → OPEN with the provider's URL and token, and the key that will verify its
	 * notifications (empty: none); false when the attempt was no longer STARTING (nothing
	 * written).
	 */
	public Mono<Boolean> open(long id, String paymentUrl, String paymentToken, String notificationKey, Instant now) {
		DatabaseClient.GenericExecuteSpec update = db.sql("""
				UPDATE payment_attempt SET status = 'OPEN', payment_url = :url, payment_token = :token,
				                           notify_token_hash = :key, updated_at = :now
				 WHERE id = :id AND status = 'STARTING'
				""").bind("url", paymentUrl).bind("token", paymentToken == null ? "" : paymentToken);
		update = notificationKey == null || notificationKey.isEmpty() ? update.bindNull("key", String.class)
				: update.bind("key", notificationKey);
		return update.bind("now", now).bind("id", id).fetch().rowsUpdated().map(updated -> updated == 1);
	}

	/** STARTING → FAILED, saying why; false when it was no longer STARTING. */
	public Mono<Boolean> fail(long id, String reason, Instant now) {
		return db.sql("""
				UPDATE payment_attempt SET status = 'FAILED', failure_reason = :reason, updated_at = :now
				 WHERE id = :id AND status = 'STARTING'
				""")
			.bind("reason", reason.length() > 500 ? reason.substring(0, 500) : reason)
			.bind("now", now)
			.bind("id", id)
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/**
	 * → SUCCEEDED from STARTING, OPEN, FAILED or EXPIRED (a late success of an attempt we
	 * had given up on is still money received); false when it already was SUCCEEDED,
	 * which makes a replayed notification change nothing.
	 */
	public Mono<Boolean> succeed(long id, Instant now) {
		return db.sql("""
				UPDATE payment_attempt SET status = 'SUCCEEDED', settled_at = :now, updated_at = :now
				 WHERE id = :id AND status IN ('STARTING', 'OPEN', 'FAILED', 'EXPIRED')
				""").bind("now", now).bind("id", id).fetch().rowsUpdated().map(updated -> updated == 1);
	}

	/**
	 * STARTING or OPEN → FAILED because the provider refused the payment; never from
	 * SUCCEEDED (a final success is not downgraded). False when nothing changed.
	 */
	public Mono<Boolean> refuse(long id, String reason, Instant now) {
		return db.sql("""
				UPDATE payment_attempt SET status = 'FAILED', failure_reason = :reason, updated_at = :now
				 WHERE id = :id AND status IN ('STARTING', 'OPEN')
				""")
			.bind("reason", cut(reason))
			.bind("now", now)
			.bind("id", id)
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/**
	 * Flags the attempt: the provider accepted something other than what we asked. Only
	 * the first flag is kept; never on a SUCCEEDED attempt. False when nothing changed.
	 */
	public Mono<Boolean> flagMismatch(long id, String what, Instant now) {
		return db.sql("""
				UPDATE payment_attempt SET mismatch = :what, updated_at = :now
				 WHERE id = :id AND status <> 'SUCCEEDED' AND mismatch IS NULL
				""")
			.bind("what", cut(what))
			.bind("now", now)
			.bind("id", id)
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/**
	 * The SUCCEEDED attempt that paid the order (the earliest settled one with no refund
	 * yet), if any.
	 */
	public Mono<Attempt> paying(String orderNumber) {
		// payment_attempt_order_idx; payment_refund's unique attempt_id
		return db.sql("SELECT " + COLUMNS + " FROM payment_attempt a WHERE order_number = :number"
				+ " AND status = 'SUCCEEDED' AND NOT EXISTS (SELECT 1 FROM payment_refund r WHERE r.attempt_id = a.id)"
				+ " ORDER BY settled_at, id LIMIT 1")
			.bind("number", orderNumber)
			.map(R2dbcPaymentAttempts::attempt)
			.one();
	}

	/**
	 * Claims up to {@code limit} live attempts to reconcile, stamping their
	 * {@code checked_at} with {@code now} (inside the caller's short transaction; rows
	 * another instance is claiming are skipped): OPEN ones created at or before
	 * {@code createdBefore}, STARTING ones created at or before {@code startingBefore},
	 * none checked after {@code checkedBefore}.
	 */
	public Mono<java.util.List<Attempt>> claimForCheck(Instant createdBefore, Instant startingBefore,
			Instant checkedBefore, int limit, Instant now) {
		// payment_attempt_live_idx
		return db.sql("""
				WITH due AS (
				    SELECT id AS due_id FROM payment_attempt
				     WHERE status IN ('STARTING', 'OPEN')
				       AND created_at <= :createdBefore
				       AND (status = 'OPEN' OR created_at <= :startingBefore)
				       AND (checked_at IS NULL OR checked_at <= :checkedBefore)
				     ORDER BY created_at
				     LIMIT :limit
				       FOR UPDATE SKIP LOCKED
				)
				UPDATE payment_attempt SET checked_at = :now FROM due WHERE id = due.due_id
				RETURNING """ + " " + COLUMNS)
			.bind("createdBefore", createdBefore)
			.bind("startingBefore", startingBefore)
			.bind("checkedBefore", checkedBefore)
			.bind("limit", limit)
			.bind("now", now)
			.map(R2dbcPaymentAttempts::attempt)
			.all()
			.collectList();
	}

	/**
	 * STARTING or OPEN → EXPIRED (never from SUCCEEDED or FAILED); false when nothing
	 * changed.
	 */
	public Mono<Boolean> expire(long id, String reason, Instant now) {
		return db.sql("""
				UPDATE payment_attempt SET status = 'EXPIRED', failure_reason = :reason, updated_at = :now
				 WHERE id = :id AND status IN ('STARTING', 'OPEN')
				""")
			.bind("reason", cut(reason))
			.bind("now", now)
			.bind("id", id)
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	private static String cut(String text) {
		return text.length() > 500 ? text.substring(0, 500) : text;
	}

}
