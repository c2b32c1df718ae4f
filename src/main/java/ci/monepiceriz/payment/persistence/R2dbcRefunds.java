package ci.monepiceriz.payment.persistence;

import java.time.Instant;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * Refunds ({@code payment_refund}, V10 and V12) and store credit ({@code store_credit},
 * V12) over R2DBC. Every write runs inside the caller's transaction; every change of
 * status is conditional on the statuses it may come from, so of two instances (or a job
 * and a webhook) acting on one refund only one moves it.
 */
@Repository
public class R2dbcRefunds {

	public static final String REQUIRED = "REQUIRED";

	public static final String SENDING = "SENDING";

	public static final String SENT = "SENT";

	public static final String PAID_OUT = "PAID_OUT";

	public static final String STORE_CREDIT = "STORE_CREDIT";

	/** Money received for an order that could not take it; the order is not touched. */
	public static final String UNEXPECTED_PAYMENT = "UNEXPECTED_PAYMENT";

	/** A paid order was cancelled; the order's payment status follows the refund. */
	public static final String ORDER_CANCELLED = "ORDER_CANCELLED";

	private final DatabaseClient db;

	public R2dbcRefunds(DatabaseClient db) {
		this.db = db;
	}

	/** One refund as stored. */
	public record Refund(long id, String orderNumber, String transactionId, String kind, String status, long amount,
			String currency, String phone, String clientTransactionId, String reason, int attempts) {
	}

	private static final String COLUMNS = """
			id, order_number, transaction_id, kind, status, amount, currency, phone, client_transaction_id, reason,
			attempts
			""";

	private static Refund refund(Readable row) {
		return new Refund(row.get("id", Long.class), row.get("order_number", String.class),
				row.get("transaction_id", String.class), row.get("kind", String.class), row.get("status", String.class),
				row.get("amount", Long.class), row.get("currency", String.class), row.get("phone", String.class),
				row.get("client_transaction_id", String.class), row.get("reason", String.class),
				row.get("attempts", Integer.class));
	}

	/**
	 * A new REQUIRED refund of (part of) an attempt's money, its payout id fixed now;
	 * false when the attempt already has one (one refund per attempt, UNIQUE
	 * {@code attempt_id}).
	 */
	public Mono<Boolean> insert(long attemptId, String orderNumber, String transactionId, String kind, long amount,
			String currency, String reason, String phone, String clientTransactionId, Instant now) {
		return db
			.sql("""
					INSERT INTO payment_refund (attempt_id, order_number, transaction_id, kind, amount, currency, reason,
					                            status, phone, client_transaction_id, next_attempt_at, created_at, updated_at)
					VALUES (:attempt, :number, :transactionId, :kind, :amount, :currency, :reason, 'REQUIRED', :phone,
					        :clientTransactionId, :now, :now, :now)
					ON CONFLICT (attempt_id) DO NOTHING
					""")
			.bind("attempt", attemptId)
			.bind("number", orderNumber)
			.bind("transactionId", transactionId)
			.bind("kind", kind)
			.bind("amount", amount)
			.bind("currency", currency)
			.bind("reason", reason)
			.bind("phone", phone)
			.bind("clientTransactionId", clientTransactionId)
			.bind("now", now)
			.fetch()
			.rowsUpdated()
			.map(inserted -> inserted == 1);
	}

	/** The refund whose payout has this id, if any. */
	public Mono<Refund> byClientTransactionId(String clientTransactionId) {
		return db.sql("SELECT " + COLUMNS + " FROM payment_refund WHERE client_transaction_id = :id")
			.bind("id", clientTransactionId)
			.map(R2dbcRefunds::refund)
			.one();
	}

	/**
	 * Claims up to {@code limit} live refunds due at {@code now} (inside the caller's
	 * short transaction, skipping rows another instance is claiming), pushing their due
	 * time to {@code leaseUntil} so that no other round takes them while this one calls
	 * the provider. A REQUIRED refund of at least {@code payoutMinimum} becomes SENDING
	 * here, before its first send; one below stays REQUIRED (it will be store credit).
	 */
	public Mono<List<Refund>> claimDue(Instant now, Instant leaseUntil, long payoutMinimum, int limit) {
		// payment_refund_due_idx
		return db.sql("""
				WITH due AS (
				    SELECT id AS due_id FROM payment_refund
				     WHERE status IN ('REQUIRED', 'SENDING', 'SENT') AND next_attempt_at <= :now
				     ORDER BY next_attempt_at
				     LIMIT :limit
				       FOR UPDATE SKIP LOCKED
				)
				UPDATE payment_refund
				   SET next_attempt_at = :leaseUntil, updated_at = :now,
				       status = CASE WHEN status = 'REQUIRED' AND amount >= :minimum THEN 'SENDING' ELSE status END
				  FROM due WHERE id = due.due_id
				RETURNING """ + " " + COLUMNS)
			.bind("now", now)
			.bind("leaseUntil", leaseUntil)
			.bind("minimum", payoutMinimum)
			.bind("limit", limit)
			.map(R2dbcRefunds::refund)
			.all()
			.collectList();
	}

	/** SENDING → SENT; false when it was no longer SENDING. */
	public Mono<Boolean> sent(long id, String providerReference, Instant nextCheckAt, Instant now) {
		return db.sql("""
				UPDATE payment_refund
				   SET status = 'SENT', provider_reference = coalesce(nullif(:reference, ''), provider_reference),
				       sent_at = coalesce(sent_at, :now), attempts = 0, last_error = NULL,
				       next_attempt_at = :next, updated_at = :now
				 WHERE id = :id AND status = 'SENDING'
				""")
			.bind("reference", providerReference)
			.bind("now", now)
			.bind("next", nextCheckAt)
			.bind("id", id)
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/**
	 * Another try later: one more attempt counted, why the last one failed, when next;
	 * only while the refund is still in {@code status}.
	 */
	public Mono<Boolean> retryLater(long id, String status, String error, Instant nextAt, Instant now) {
		return db.sql("""
				UPDATE payment_refund
				   SET attempts = attempts + 1, last_error = :error, next_attempt_at = :next, updated_at = :now
				 WHERE id = :id AND status = :status
				""")
			.bind("error", cut(error))
			.bind("next", nextAt)
			.bind("now", now)
			.bind("id", id)
			.bind("status", status)
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/** Looked at again at {@code nextAt} (a payout in progress); no attempt counted. */
	public Mono<Boolean> dueAt(long id, String status, Instant nextAt, Instant now) {
		return db.sql("""
				UPDATE payment_refund SET next_attempt_at = :next, updated_at = :now WHERE id = :id AND status = :status
				""")
			.bind("next", nextAt)
			.bind("now", now)
			.bind("id", id)
			.bind("status", status)
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/**
	 * SENT → SENDING, due now: the provider does not know the transfer after all, so it
	 * is sent again (same payout id).
	 */
	public Mono<Boolean> sendAgain(long id, Instant now) {
		return db.sql("""
				UPDATE payment_refund SET status = 'SENDING', next_attempt_at = :now, updated_at = :now
				 WHERE id = :id AND status = 'SENT'
				""").bind("now", now).bind("id", id).fetch().rowsUpdated().map(updated -> updated == 1);
	}

	/** SENDING or SENT → PAID_OUT; false when it was neither (someone else did it). */
	public Mono<Boolean> paidOut(long id, String providerReference, Instant now) {
		return db.sql("""
				UPDATE payment_refund
				   SET status = 'PAID_OUT', provider_reference = coalesce(nullif(:reference, ''), provider_reference),
				       sent_at = coalesce(sent_at, :now), completed_at = :now, last_error = NULL, updated_at = :now
				 WHERE id = :id AND status IN ('SENDING', 'SENT')
				""")
			.bind("reference", providerReference)
			.bind("now", now)
			.bind("id", id)
			.fetch()
			.rowsUpdated()
			.map(updated -> updated == 1);
	}

	/**
	 * → STORE_CREDIT from one of {@code from}, with its {@code store_credit} row; false
	 * when the refund was in none of them (nothing written).
	 */
	public Mono<Boolean> storeCredit(Refund refund, List<String> from, String reason, Instant now) {
		return db.sql("""
				WITH moved AS (
				    UPDATE payment_refund
				       SET status = 'STORE_CREDIT', completed_at = :now, last_error = :reason, updated_at = :now
				     WHERE id = :id AND status = ANY(:from)
				    RETURNING id, order_number, phone, amount, currency
				)
				INSERT INTO store_credit (refund_id, order_number, phone, amount, currency, reason, created_at)
				SELECT id, order_number, phone, amount, currency, :reason, :now FROM moved
				""")
			.bind("now", now)
			.bind("reason", cut(reason))
			.bind("id", refund.id())
			.bind("from", from.toArray(String[]::new))
			.fetch()
			.rowsUpdated()
			.map(inserted -> inserted == 1);
	}

	private static String cut(String text) {
		return text.length() > 500 ? text.substring(0, 500) : text;
	}

}
