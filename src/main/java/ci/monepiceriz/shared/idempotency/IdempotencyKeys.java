package ci.monepiceriz.shared.idempotency;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ci.monepiceriz.shared.Rounds;
import ci.monepiceriz.shared.persistence.Batches;
import reactor.core.publisher.Mono;

/**
 * {@code Idempotency-Key} support (IETF draft-ietf-httpapi-idempotency-key-header): the
 * first answer of a request that changed something is kept with the key for replay.
 * <p>
 * Both calls run inside the caller's transaction. {@link #claim} comes first: a second
 * request with the same key, arriving while the first is in flight, waits on the key's
 * row (PostgreSQL's unique-index check) until the first commits, then gets its answer as
 * a replay; if the first rolled back, the second goes ahead. {@link #remember} stores the
 * answer in the same transaction as the change, so a committed change always has its
 * answer and a rolled-back one leaves no key behind (a refused request can be retried
 * with the same key).
 */
@Component
public class IdempotencyKeys {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

	/** What a claim found. */
	public sealed interface Claim permits Claimed, Replay, Mismatch {

	}

	/** The key is new (or its previous use expired): go ahead, then remember. */
	public record Claimed() implements Claim {
	}

	/** The key was used with the same request: answer this again. */
	public record Replay(int status, byte[] body) implements Claim {
	}

	/** The key was used with another request. */
	public record Mismatch() implements Claim {
	}

	private final DatabaseClient db;

	private final Clock clock;

	private final IdempotencyProperties properties;

	IdempotencyKeys(DatabaseClient db, Clock clock, IdempotencyProperties properties) {
		this.db = db;
		this.clock = clock;
		this.properties = properties;
	}

	// an expired row is taken over in place: the purge may not have run yet
	private static final String CLAIM = """
			INSERT INTO idempotency_key AS k (scope, key, request_hash, status, response, created_at, expires_at)
			VALUES (:scope, :key, :hash, 0, ''::bytea, :now, :expires)
			ON CONFLICT (scope, key) DO UPDATE
			   SET request_hash = EXCLUDED.request_hash, status = 0, response = ''::bytea,
			       created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
			 WHERE k.expires_at <= EXCLUDED.created_at
			RETURNING 1 AS claimed
			""";

	/**
	 * Claims {@code key} in {@code scope} for a request whose normalised form hashes to
	 * {@code requestHash} (SHA-256).
	 */
	public Mono<Claim> claim(String scope, String key, byte[] requestHash) {
		Instant now = clock.instant();
		return db.sql(CLAIM)
			.bind("scope", scope)
			.bind("key", key)
			.bind("hash", requestHash)
			.bind("now", now)
			.bind("expires", now.plus(properties.ttl()))
			.map(row -> (Claim) new Claimed())
			.one()
			.switchIfEmpty(Mono.defer(() -> existing(scope, key, requestHash)));
	}

	private Mono<Claim> existing(String scope, String key, byte[] requestHash) {
		return db.sql("SELECT request_hash, status, response FROM idempotency_key WHERE scope = :scope AND key = :key")
			.bind("scope", scope)
			.bind("key", key)
			.map(row -> {
				if (!Arrays.equals(row.get("request_hash", byte[].class), requestHash)) {
					return (Claim) new Mismatch();
				}
				return (Claim) new Replay(row.get("status", Short.class), row.get("response", byte[].class));
			})
			.one();
	}

	/** Stores the answer to replay for a claimed key, in the claiming transaction. */
	public Mono<Void> remember(String scope, String key, int status, byte[] body) {
		return db
			.sql("UPDATE idempotency_key SET status = :status, response = :body WHERE scope = :scope AND key = :key")
			.bind("status", (short) status)
			.bind("body", body)
			.bind("scope", scope)
			.bind("key", key)
			.fetch()
			.rowsUpdated()
			.then();
	}

	/**
	 * Forgets a claimed key whose request ended without a final answer (a provider that
	 * did not answer), so that the same key can be tried again.
	 */
	public Mono<Void> forget(String scope, String key) {
		return db.sql("DELETE FROM idempotency_key WHERE scope = :scope AND key = :key AND status = 0")
			.bind("scope", scope)
			.bind("key", key)
			.fetch()
			.rowsUpdated()
			.then();
	}

	/**
	 * Forgets expired keys in bounded batches; several instances may run it at once (the
	 * batches skip each other's rows).
	 */
	@Scheduled(fixedDelayString = "${shop.idempotency.purge-interval:10m}",
			initialDelayString = "${shop.idempotency.purge-interval:10m}")
	Mono<Void> purge() {
		return Rounds.retriedNextTime(Batches.untilShort(this::deleteExpired, PURGE_BATCH).doOnNext(total -> {
			if (total > 0) {
				log.info("Forgot {} expired idempotency keys", total);
			}
		}), log, "Idempotency key purge");
	}

	private static final int PURGE_BATCH = 1000;

	private Mono<Long> deleteExpired() {
		return db.sql("""
				DELETE FROM idempotency_key
				 WHERE ctid = ANY(ARRAY(SELECT ctid FROM idempotency_key WHERE expires_at <= :now
				                         LIMIT :batch FOR UPDATE SKIP LOCKED))
				""").bind("now", clock.instant()).bind("batch", PURGE_BATCH).fetch().rowsUpdated();
	}

}
