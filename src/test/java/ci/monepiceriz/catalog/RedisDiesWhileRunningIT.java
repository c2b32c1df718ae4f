package ci.monepiceriz.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.annotation.DirtiesContext;

import ci.monepiceriz.support.IntegrationTest;
import ci.monepiceriz.support.TcpProxy;
import ci.monepiceriz.support.TestServices;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Redis dies while the service runs (every connection reset, new ones refused), then
 * comes back: reads go on from PostgreSQL, correct, without waiting on Redis; health says
 * so; and the cache is used again once Redis is back.
 */
@IntegrationTest
// a context of its own, used by no other class: closed after it, pool and all
@DirtiesContext
class RedisDiesWhileRunningIT {

	private static final TcpProxy redis = new TcpProxy(TestServices.redis().host(), TestServices.redis().port());

	@DynamicPropertySource
	static void throughTheProxy(DynamicPropertyRegistry registry) {
		registry.add("shop.redis.uri", () -> "redis://127.0.0.1:" + redis.port() + "/13");
		registry.add("shop.redis.reconnect-interval", () -> "100ms");
		// no memory level, so that every read goes to Redis
		registry.add("shop.cache.local-ttl", () -> "1ms");
	}

	@AfterAll
	static void closeProxy() {
		redis.close();
	}

	@Autowired
	WebTestClient web;

	@Autowired
	MeterRegistry meters;

	@Test
	void readsGoOnFromPostgresqlAndTheCacheComesBack() throws InterruptedException {
		read();
		read();
		double hitsBefore = redisHits();
		assertThat(hitsBefore).as("served from Redis while it is up").isPositive();

		redis.cut();
		long start = System.nanoTime();
		for (int i = 0; i < 20; i++) {
			read();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("20 reads without Redis")
			.isLessThan(Duration.ofSeconds(5));
		assertThat(redisHits()).isEqualTo(hitsBefore);
		web.get()
			.uri("/api/health")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.checks.redis.status")
			.isEqualTo("error");

		redis.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (redisHits() == hitsBefore && System.nanoTime() < deadline) {
			read();
			Thread.sleep(100);
		}
		assertThat(redisHits()).as("served from Redis again").isGreaterThan(hitsBefore);
		// each pipelined connection reconnects on its own schedule: the health check may
		// meet one still reconnecting for a moment after the first hit
		while (web.get().uri("/api/health").exchange().returnResult(String.class).getStatus().value() != 200
				&& System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		web.get().uri("/api/health").exchange().expectStatus().isOk();
	}

	private void read() {
		web.get()
			.uri("/api/products/poisson-capitaine")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Poisson capitaine");
	}

	private double redisHits() {
		return meters.counter("shop.cache.requests", "result", "hit", "level", "redis").count();
	}

}
