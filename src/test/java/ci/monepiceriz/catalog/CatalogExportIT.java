package ci.monepiceriz.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.support.IntegrationTest;
import tools.jackson.databind.json.JsonMapper;

/** The streamed NDJSON export of the whole active catalog. */
@IntegrationTest
class CatalogExportIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Test
	@SuppressWarnings("unchecked")
	void exportsEveryActiveProductOncePerLineWithItsSkus() {
		byte[] body = web.mutate()
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
			.build()
			.get()
			.uri("/api/catalog/export")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("application/x-ndjson")
			.expectBody()
			.returnResult()
			.getResponseBody();
		String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
		Set<String> slugs = new HashSet<>();
		for (String line : lines) {
			Map<String, Object> product = json.readValue(line, Map.class);
			assertThat(slugs.add((String) product.get("slug"))).as("each product once").isTrue();
			assertThat((List<?>) product.get("skus")).isNotEmpty();
		}
		List<String> expected = db.sql("SELECT slug FROM product WHERE active AND from_price IS NOT NULL")
			.map(row -> row.get(0, String.class))
			.all()
			.collectList()
			.block();
		assertThat(slugs).containsExactlyInAnyOrderElementsOf(expected);
	}

}
