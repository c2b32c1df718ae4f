package ci.monepiceriz.shared.cache;

import org.springframework.stereotype.Component;

import ci.monepiceriz.shared.health.HealthProbe;
import reactor.core.publisher.Mono;

/** Redis answers a PING in time. */
@Component
class RedisProbe implements HealthProbe {

	private final RedisConnection redis;

	RedisProbe(RedisConnection redis) {
		this.redis = redis;
	}

	@Override
	public String check() {
		return "redis";
	}

	@Override
	public Mono<ProbeResult> probe() {
		return redis.commands()
			.flatMap(commands -> commands.ping())
			.timeout(redis.timeout())
			.map(pong -> ProbeResult.ok("Redis answers PING"))
			.onErrorResume(error -> Mono.just(ProbeResult
				.error("Redis unreachable, catalog served from PostgreSQL: " + error.getClass().getSimpleName())));
	}

}
