package ci.monepiceriz.shared.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import ci.monepiceriz.support.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;

/**
 * The two-level cache against a real Redis, with two "instances" (two caches sharing
 * Redis, as two pods do) and one whose Redis is unreachable.
 */
class ReadThroughCacheIT {

	private static final Duration TTL = Duration.ofMinutes(1);

	private final String namespace = "test-" + UUID.randomUUID();

	private final RedisConnection redisA = connection(TestServices.redis().uri(14));

	private final RedisConnection redisB = connection(TestServices.redis().uri(14));

	private final Instance a = new Instance(redisA);

	private final Instance b = new Instance(redisB);

	@AfterEach
	void close() {
		redisA.destroy();
		redisB.destroy();
	}

	@Test
	void loadsOnceThenServesFromMemoryAndFromRedisToOtherInstances() {
		assertThat(a.get("v1")).isEqualTo("v1");
		assertThat(a.get("v2")).as("from memory").isEqualTo("v1");
		assertThat(b.get("v3")).as("from Redis").isEqualTo("v1");
		assertThat(a.loads.get() + b.loads.get()).isEqualTo(1);
	}

	@Test
	void anInvalidationIsSeenAtOnceHereAndAtTheNextRefreshElsewhere() {
		a.get("v1");
		b.get("v1");
		a.cache.invalidate(namespace).block();
		assertThat(a.get("v2")).isEqualTo("v2");
		assertThat(b.get("v3")).as("before B's refresh, from its memory").isEqualTo("v1");
		b.generations.refresh().block();
		assertThat(b.get("v3")).as("after B's refresh, what A stored under the new generation").isEqualTo("v2");
		assertThat(a.loads.get() + b.loads.get()).as("v1 once, v2 once").isEqualTo(2);
	}

	@Test
	void withoutRedisTheLoaderAndThenMemoryAnswer() {
		RedisConnection unreachable = connection("redis://127.0.0.1:1/0");
		try {
			Instance alone = new Instance(unreachable);
			assertThat(alone.get("v1")).isEqualTo("v1");
			assertThat(alone.get("v2")).as("kept in memory").isEqualTo("v1");
			alone.cache.invalidate(namespace).block();
			assertThat(alone.get("v3")).as("a local invalidation still works").isEqualTo("v3");
			assertThat(alone.loads.get()).isEqualTo(2);
		}
		finally {
			unreachable.destroy();
		}
	}

	@Test
	void aLoaderFailureIsNotTakenForARedisFailure() {
		AtomicInteger calls = new AtomicInteger();
		Mono<CachedBody> failing = a.cache.get(namespace, "key", TTL, () -> {
			calls.incrementAndGet();
			return Mono.error(new IllegalStateException("database down"));
		});
		org.assertj.core.api.Assertions.assertThatThrownBy(failing::block).hasMessageContaining("database down");
		assertThat(calls.get()).isEqualTo(1);
	}

	private static RedisConnection connection(String uri) {
		return new RedisConnection(new RedisProperties(uri, Duration.ofMillis(500), Duration.ofMillis(50), 1),
				Clock.systemUTC());
	}

	private final class Instance {

		final Generations generations;

		final ReadThroughCache cache;

		final AtomicInteger loads = new AtomicInteger();

		Instance(RedisConnection redis) {
			this.generations = new Generations(redis);
			this.cache = new ReadThroughCache(redis, generations,
					new CacheProperties(Duration.ofMinutes(1), DataSize.ofMegabytes(1), Duration.ofMillis(250)),
					new SimpleMeterRegistry());
		}

		String get(String loaded) {
			CachedBody body = cache.get(namespace, "key", TTL, () -> {
				loads.incrementAndGet();
				return Mono.just(loaded.getBytes(StandardCharsets.UTF_8));
			}).block(Duration.ofSeconds(5));
			return new String(body.body(), StandardCharsets.UTF_8);
		}

	}

}
