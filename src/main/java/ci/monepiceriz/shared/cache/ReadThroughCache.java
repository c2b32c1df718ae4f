package ci.monepiceriz.shared.cache;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * A two-level read-through cache of serialized bodies: in the instance's memory for a few
 * seconds ({@code shop.cache.local-ttl}), then in Redis ({@code ttl} per call), then the
 * loader. Keys carry their namespace's {@link Generations generation};
 * {@link #invalidate} bumps it, which makes every entry of the namespace stale at once on
 * this instance and within {@code shop.cache.generation-refresh} on the others, with no
 * scan and no race with a reader that loaded old data (it wrote under the old generation,
 * which nobody reads any more). When Redis fails or is slow (Lettuce's command timeout,
 * {@code shop.redis.timeout}), the memory level and the loader answer and the request is
 * served all the same.
 */
@Component
public class ReadThroughCache {

	private static final Logger log = LoggerFactory.getLogger(ReadThroughCache.class);

	private final RedisConnection redis;

	private final Generations generations;

	private final Cache<String, CachedBody> memory;

	private final Counter localHits;

	private final Counter redisHits;

	private final Counter misses;

	private final Counter failures;

	ReadThroughCache(RedisConnection redis, Generations generations, CacheProperties properties, MeterRegistry meters) {
		this.redis = redis;
		this.generations = generations;
		this.memory = Caffeine.newBuilder()
			.expireAfterWrite(properties.localTtl())
			.maximumWeight(properties.localMaxSize().toBytes())
			.<String, CachedBody>weigher((key, body) -> key.length() + body.body().length)
			.build();
		this.localHits = meters.counter("shop.cache.requests", "result", "hit", "level", "memory");
		this.redisHits = meters.counter("shop.cache.requests", "result", "hit", "level", "redis");
		this.misses = meters.counter("shop.cache.requests", "result", "miss", "level", "none");
		this.failures = meters.counter("shop.cache.requests", "result", "error", "level", "redis");
	}

	/**
	 * The cached body under {@code namespace}/{@code key}, or the loader's, which is then
	 * kept in memory and in Redis for {@code ttl}. Empty when the loader is empty (not
	 * cached).
	 */
	public Mono<CachedBody> get(String namespace, String key, Duration ttl, Supplier<Mono<byte[]>> loader) {
		return generations.current(namespace)
			.map(generation -> fullKey(namespace, generation, key))
			.flatMap(fullKey -> fromMemory(fullKey).switchIfEmpty(Mono.defer(() -> fromRedis(fullKey, ttl, loader))))
			.onErrorResume(error -> degraded(namespace, key, error, loader));
	}

	/** Makes every entry of the namespace stale, on every instance. */
	public Mono<Void> invalidate(String namespace) {
		return generations.bump(namespace);
	}

	private Mono<CachedBody> fromMemory(String fullKey) {
		CachedBody body = memory.getIfPresent(fullKey);
		if (body == null) {
			return Mono.empty();
		}
		localHits.increment();
		return Mono.just(body);
	}

	private Mono<CachedBody> fromRedis(String fullKey, Duration ttl, Supplier<Mono<byte[]>> loader) {
		return redis.commands().flatMap(commands -> commands.get(fullKey)).map(CachedBody::decode).doOnNext(body -> {
			redisHits.increment();
			memory.put(fullKey, body);
		}).switchIfEmpty(Mono.defer(() -> load(fullKey, ttl, loader)));
	}

	private Mono<CachedBody> load(String fullKey, Duration ttl, Supplier<Mono<byte[]>> loader) {
		misses.increment();
		return loader.get()
			.onErrorMap(CacheLoaderFailed::new)
			.map(CachedBody::of)
			.doOnNext(body -> memory.put(fullKey, body))
			.flatMap(body -> store(fullKey, body, ttl));
	}

	private Mono<CachedBody> store(String fullKey, CachedBody body, Duration ttl) {
		return redis.commands()
			.flatMap(commands -> commands.set(fullKey, body.encode(), SetArgs.Builder.px(ttl.toMillis())))
			.doOnError(error -> failures.increment())
			.onErrorResume(error -> Mono.empty())
			.thenReturn(body);
	}

	/**
	 * Redis failed: memory (under the generation this instance knows), else the loader.
	 */
	private Mono<CachedBody> degraded(String namespace, String key, Throwable error, Supplier<Mono<byte[]>> loader) {
		if (error instanceof CacheLoaderFailed) {
			return Mono.error(error.getCause());
		}
		failures.increment();
		log.debug("Redis unavailable, serving from memory or the database: {}", error.toString());
		String fullKey = fullKey(namespace, generations.known(namespace), key);
		CachedBody kept = memory.getIfPresent(fullKey);
		if (kept != null) {
			localHits.increment();
			return Mono.just(kept);
		}
		return loader.get().map(CachedBody::of).doOnNext(body -> memory.put(fullKey, body));
	}

	private static String fullKey(String namespace, long generation, String key) {
		return "shop:" + namespace + ":" + generation + ":" + key;
	}

	/** Marks a loader's own failure, which must not be retried as if Redis had failed. */
	static final class CacheLoaderFailed extends RuntimeException {

		CacheLoaderFailed(Throwable cause) {
			super(cause);
		}

	}

}
