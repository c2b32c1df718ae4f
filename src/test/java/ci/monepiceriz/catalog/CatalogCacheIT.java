package ci.monepiceriz.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.support.IntegrationTest;

/** HTTP validators and the Redis read-through cache of catalog reads. */
@IntegrationTest
class CatalogCacheIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	Catalog catalog;

	@Test
	void answersNotModifiedToAClientThatHasTheCurrentVersion() {
		EntityExchangeResult<byte[]> first = get("/api/products/riz-parfume-jasmin");
		String etag = first.getResponseHeaders().getETag();
		assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
		assertThat(first.getResponseHeaders().getCacheControl()).isEqualTo("max-age=30, public");

		web.get()
			.uri("/api/products/riz-parfume-jasmin")
			.header(HttpHeaders.IF_NONE_MATCH, etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag)
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectBody()
			.isEmpty();
		web.get()
			.uri("/api/products/riz-parfume-jasmin")
			.header(HttpHeaders.IF_NONE_MATCH, "\"another\"")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void listsCategoriesAndBarcodesCarryValidatorsToo() {
		for (String uri : new String[] { "/api/products?limit=5", "/api/categories", "/api/products?q=riz" }) {
			String etag = get(uri).getResponseHeaders().getETag();
			web.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified();
		}
	}

	@Test
	void servesFromTheCacheAndShowsAStaffChangeAtOnce() {
		String uri = "/api/products/huile-arachide";
		String sku = db
			.sql("SELECT s.code FROM sku s JOIN product p ON p.id = s.product_id "
					+ "WHERE p.slug = 'huile-arachide' AND s.active ORDER BY s.position, s.id LIMIT 1")
			.map(row -> row.get(0, String.class))
			.one()
			.block();
		String before = body(get(uri));
		String listBefore = body(get("/api/products?q=arachide"));

		// a write behind the service's back is not seen: the page comes from Redis
		db.sql("UPDATE sku SET unit_price = 1 WHERE code = :code").bind("code", sku).fetch().rowsUpdated().block();
		assertThat(body(get(uri))).isEqualTo(before);

		// a change through the catalog is visible on the very next read, details and
		// lists
		assertThat(catalog.changePrice(sku, 1999).block(Duration.ofSeconds(5))).isTrue();
		EntityExchangeResult<byte[]> after = get(uri);
		assertThat(body(after)).isNotEqualTo(before).contains("\"unitPrice\":1999");
		assertThat(body(get("/api/products?q=arachide"))).isNotEqualTo(listBefore);
	}

	@Test
	void changingAnUnknownSkuChangesNothing() {
		assertThat(catalog.changePrice("SKU-INCONNU", 1000).block(Duration.ofSeconds(5))).isFalse();
	}

	private EntityExchangeResult<byte[]> get(String uri) {
		return web.get().uri(uri).exchange().expectStatus().isOk().expectBody().returnResult();
	}

	private static String body(EntityExchangeResult<byte[]> result) {
		return new String(result.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8);
	}

}
