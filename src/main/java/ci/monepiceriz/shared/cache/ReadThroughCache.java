package ci.monepiceriz.shared.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * A Redis read-through cache of serialized bodies, invalidated by generation: every key of
 * a namespace carries the namespace's current generation, and {@link #invalidate} bumps it,
 * so one change makes every page of that namespace stale at once, with no scan and no race
 * with a reader that loaded old data (it writes under the old generation, which nobody
 * reads any more). Reading the generation and the entry is one round trip (a Lua script).
 * When Redis fails or is slow (Lettuce's command timeout, {@code shop.redis.timeout}, which
 * costs less per request than a Reactor {@code timeout}), the loader answers and the
 * request is served all the same.
 */
@Component
public class ReadThroughCache {

	private static final Logger log = LoggerFactory.getLogger(ReadThroughCache.class);

	private static final String GET_SCRIPT = """
			local generation = redis.call('GET', KEYS[1]) or '0'
			return {generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2])}
			""";

	// EVALSHA sends 40 bytes instead of the script; EVAL (which also loads it) after a
	// NOSCRIPT, e.g. when Redis restarted
	private static final String GET_SCRIPT_SHA = sha1(GET_SCRIPT);

	private final RedisConnection redis;

	private final Counter hits;

	private final Counter misses;

	private final Counter failures;

	public ReadThroughCache(RedisConnection redis, MeterRegistry meters) {
		this.redis = redis;
		this.hits = meters.counter("shop.cache.requests", "result", "hit");
		this.misses = meters.counter("shop.cache.requests", "result", "miss");
		this.failures = meters.counter("shop.cache.requests", "result", "error");
	}

	/**
	 * The cached body under {@code namespace}/{@code key}, or the loader's, which is then
	 * kept for {@code ttl}.
	 */
	public Mono<CachedBody> get(String namespace, String key, Duration ttl, Supplier<Mono<byte[]>> loader) {
		return lookup(namespace, key)
			.flatMap(found -> found.body() != null ? hit(found.body()) : loadAndStore(found, key, ttl, loader))
			.onErrorResume(error -> degraded(error, loader));
	}

	/** Makes every entry of the namespace stale, across all instances. */
	public Mono<Void> invalidate(String namespace) {
		return redis.commands()
			.flatMap(commands -> commands.incr(generationKey(namespace)))
			.timeout(redis.timeout())
			.doOnError(error -> log.warn("Could not invalidate cache namespace {}: {}", namespace, error.toString()))
			.then();
	}

	private Mono<Lookup> lookup(String namespace, String key) {
		String prefix = "shop:" + namespace + ":";
		String[] keys = { generationKey(namespace) };
		return redis.commands()
			.flatMap(commands -> commands
				.<List<Object>>evalsha(GET_SCRIPT_SHA, ScriptOutputType.MULTI, keys, bytes(prefix), bytes(key))
				.onErrorResume(RedisNoScriptException.class,
						unknown -> commands.eval(GET_SCRIPT, ScriptOutputType.MULTI, keys, bytes(prefix), bytes(key)))
				.next())
			.map(reply -> new Lookup(prefix + string(reply.get(0)) + ":", (byte[]) reply.get(1)));
	}

	private Mono<CachedBody> hit(byte[] stored) {
		hits.increment();
		return Mono.just(CachedBody.decode(stored));
	}

	private Mono<CachedBody> loadAndStore(Lookup found, String key, Duration ttl, Supplier<Mono<byte[]>> loader) {
		misses.increment();
		return loader.get()
			.onErrorMap(CacheLoaderFailed::new)
			.map(CachedBody::of)
			.flatMap(body -> store(found.keyPrefix() + key, body, ttl));
	}

	private Mono<CachedBody> store(String fullKey, CachedBody body, Duration ttl) {
		return redis.commands()
			.flatMap(commands -> commands.set(fullKey, body.encode(), SetArgs.Builder.px(ttl.toMillis())))
			.doOnError(error -> failures.increment())
			.onErrorResume(error -> Mono.empty())
			.thenReturn(body);
	}

	private Mono<CachedBody> degraded(Throwable error, Supplier<Mono<byte[]>> loader) {
		if (error instanceof CacheLoaderFailed) {
			return Mono.error(error.getCause());
		}
		failures.increment();
		log.debug("Cache unavailable, serving from the database: {}", error.toString());
		return loader.get().map(CachedBody::of);
	}

	private static String generationKey(String namespace) {
		return "shop:" + namespace + ":generation";
	}

	private static String sha1(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes(text)));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(Object value) {
		return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	private record Lookup(String keyPrefix, byte[] body) {
	}

	/** Marks a loader's own failure, which must not be retried as if Redis had failed. */
	static final class CacheLoaderFailed extends RuntimeException {

		CacheLoaderFailed(Throwable cause) {
			super(cause);
		}

	}

}
