package ci.monepiceriz.shared.cache;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The generation of each cache namespace: a counter in Redis
 * ({@code shop:<ns>:generation}) that every invalidation increments, mirrored in each
 * instance and read again every {@code shop.cache.generation-refresh}. An instance sees
 * its own invalidations at once and the others' within that delay. An invalidation that
 * cannot reach Redis is counted and sent again before the next read, so that entries
 * written before a change never come back once Redis is reachable again.
 */
@Component
class Generations {

	private static final Logger log = LoggerFactory.getLogger(Generations.class);

	private final RedisConnection redis;

	private final Map<String, Long> local = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();

	Generations(RedisConnection redis) {
		this.redis = redis;
	}

	/**
	 * The namespace's generation: the mirror, else read from Redis (0 when it has none).
	 */
	Mono<Long> current(String namespace) {
		Long known = local.get(namespace);
		return known != null ? Mono.just(known) : read(namespace);
	}

	/**
	 * The generation this instance last knew, -1 before it ever read one (e.g. Redis down
	 * since start-up).
	 */
	long known(String namespace) {
		return local.getOrDefault(namespace, -1L);
	}

	/**
	 * Increments the namespace's generation in Redis, or counts it for later when Redis
	 * fails.
	 */
	Mono<Void> bump(String namespace) {
		return redis.commands()
			.flatMap(commands -> commands.incr(key(namespace)))
			.doOnNext(generation -> local.put(namespace, generation))
			.onErrorResume(error -> {
				log.warn("Cache namespace {} invalidated locally only, Redis unreachable ({}); will retry", namespace,
						error.toString());
				pending.computeIfAbsent(namespace, name -> new AtomicInteger()).incrementAndGet();
				local.merge(namespace, 1L, Long::sum);
				return Mono.empty();
			})
			.then();
	}

	/**
	 * Sends the invalidations Redis missed, then mirrors every known namespace's
	 * generation.
	 */
	@Scheduled(fixedDelayString = "${shop.cache.generation-refresh:250ms}")
	Mono<Void> refresh() {
		return Flux.fromIterable(local.keySet())
			.concatMap(namespace -> sendPending(namespace).then(read(namespace)))
			.onErrorResume(error -> Mono.empty())
			.then();
	}

	private Mono<Void> sendPending(String namespace) {
		AtomicInteger missed = pending.get(namespace);
		if (missed == null || missed.get() == 0) {
			return Mono.empty();
		}
		return redis.commands()
			.flatMap(commands -> commands.incr(key(namespace)))
			.doOnNext(generation -> missed.decrementAndGet())
			.then();
	}

	private Mono<Long> read(String namespace) {
		return redis.commands()
			.flatMap(commands -> commands.get(key(namespace)))
			.map(value -> Long.parseLong(new String(value, StandardCharsets.US_ASCII)))
			.defaultIfEmpty(0L)
			.doOnNext(generation -> {
				if (!pending.containsKey(namespace) || pending.get(namespace).get() == 0) {
					local.put(namespace, generation);
				}
			});
	}

	private static String key(String namespace) {
		return "shop:" + namespace + ":generation";
	}

}
