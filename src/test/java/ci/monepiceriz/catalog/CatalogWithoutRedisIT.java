package ci.monepiceriz.catalog;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.annotation.DirtiesContext;

import ci.monepiceriz.support.IntegrationTest;

/**
 * Redis unreachable (nothing listens on port 1): the catalog is served from PostgreSQL,
 * correct and complete, and the health document says Redis is down.
 */
@IntegrationTest
// a context of its own, used by no other class: closed after it, pool and all
@DirtiesContext
@TestPropertySource(properties = { "shop.redis.uri=redis://127.0.0.1:1/0", "shop.redis.reconnect-interval=50ms" })
class CatalogWithoutRedisIT {

	@Autowired
	WebTestClient web;

	@Test
	void servesTheCatalogFromPostgresql() {
		for (int i = 0; i < 3; i++) {
			web.get()
				.uri("/api/products/poisson-capitaine")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.exists("ETag")
				.expectBody()
				.jsonPath("$.name")
				.isEqualTo("Poisson capitaine");
			web.get()
				.uri("/api/products?q=capitain")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.items[0].slug")
				.isEqualTo("poisson-capitaine");
			web.get().uri("/api/categories").exchange().expectStatus().isOk();
		}
		web.get().uri("/api/products/produit-inexistant").exchange().expectStatus().isNotFound();
	}

	@Test
	void healthSaysRedisIsDown() {
		web.get()
			.uri("/api/health")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("unhealthy")
			.jsonPath("$.checks.redis.status")
			.isEqualTo("error")
			.jsonPath("$.checks.database.status")
			.isEqualTo("ok")
			.jsonPath("$.checks.storage.status")
			.isEqualTo("ok")
			.jsonPath("$.checks.services.status")
			.isEqualTo("ok");
	}

}
