package ci.monepiceriz.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.support.IntegrationTest;

/** The operators' view: the health document, Kubernetes probes and Prometheus metrics. */
@IntegrationTest
class HealthAndMetricsIT {

	@Autowired
	WebTestClient web;

	@Test
	void healthIsHealthyWhenEveryDependencyAnswers() {
		web.get()
			.uri("/api/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Cache-Control", "no-store")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("healthy")
			.jsonPath("$.timestamp")
			.value(timestamp -> assertThat(Instant.parse(timestamp.toString())).isCloseTo(Instant.now(),
					org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES)))
			.jsonPath("$.checks.length()")
			.isEqualTo(4)
			.jsonPath("$.checks.database.status")
			.isEqualTo("ok")
			.jsonPath("$.checks.redis.status")
			.isEqualTo("ok")
			.jsonPath("$.checks.storage.status")
			.isEqualTo("ok")
			.jsonPath("$.checks.services.status")
			.isEqualTo("ok")
			.jsonPath("$.checks.services.message")
			.value(message -> assertThat(message.toString()).contains("Kafka"));
	}

	@Test
	void kubernetesProbesAnswer() {
		web.get()
			.uri("/actuator/health/liveness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		web.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	@Test
	void prometheusShowsRequestPercentilesAndThePool() {
		web.get().uri("/api/products?limit=3").exchange().expectStatus().isOk();
		String metrics = web.mutate()
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics)
			.containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/products\"[^}]*le=\"0\\.0[0-9]+\"")
			.contains("r2dbc_pool_acquired_connections")
			.contains("r2dbc_pool_max_allocated_connections")
			.contains("shop_cache_requests_total");
	}

}
