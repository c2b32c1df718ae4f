package ci.monepiceriz.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.support.IntegrationTest;

/** The storefront catalog reads, against the demo catalog in a real PostgreSQL. */
@IntegrationTest
class CatalogApiIT {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<Map<String, Object>>> JSON_ARRAY = new ParameterizedTypeReference<>() {
	};

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Test
	@SuppressWarnings("unchecked")
	void categoriesComeAsATreeInDisplayOrder() {
		List<Map<String, Object>> tree = web.get()
			.uri("/api/categories")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON_ARRAY)
			.returnResult()
			.getResponseBody();
		assertThat(tree).extracting(node -> node.get("slug"))
			.containsExactly("epicerie", "frais", "boissons", "entretien");
		List<Map<String, Object>> epicerie = (List<Map<String, Object>>) tree.get(0).get("children");
		assertThat(epicerie).extracting(node -> node.get("slug")).startsWith("riz", "huiles", "epices");
		assertThat(epicerie.get(2).get("name")).isEqualTo("Épices & condiments");
	}

	@ParameterizedTest
	@ValueSource(strings = { "name", "price_asc", "price_desc", "newest" })
	void pagesThroughTheWholeCatalogInOrderWithoutGapsOrRepeats(String sort) {
		List<Map<String, Object>> all = allPages("/api/products?limit=7&sort=" + sort);
		List<Object> slugs = all.stream().map(item -> item.get("slug")).toList();
		assertThat(slugs).doesNotHaveDuplicates();
		assertThat(new HashSet<>(slugs)).isEqualTo(listableSlugs("true"));
		List<Long> prices = all.stream().map(item -> ((Number) item.get("price")).longValue()).toList();
		if (sort.equals("price_asc")) {
			assertThat(prices).isSorted();
		}
		if (sort.equals("price_desc")) {
			assertThat(prices).isSortedAccordingTo(Comparator.reverseOrder());
		}
	}

	@Test
	void aFirstPageHoldsTwentyFourProductsByDefaultAndAtMostAHundred() {
		assertThat(items(page("/api/products"))).hasSize(24);
		assertThat(items(page("/api/products?limit=100"))).hasSize(Math.min(100, listableSlugs("true").size()));
		web.get()
			.uri("/api/products?limit=101")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].name")
			.isEqualTo("limit");
	}

	@Test
	void aCategoryIncludesItsDescendants() {
		Set<Object> fresh = slugsOf(allPages("/api/products?limit=50&category=frais"));
		assertThat(fresh).contains("poisson-capitaine", "attieke-frais").isEqualTo(listableSlugs("""
				p.category_id IN (WITH RECURSIVE sub(id) AS (
				    SELECT id FROM category WHERE slug = 'frais'
				    UNION ALL SELECT c.id FROM category c JOIN sub ON c.parent_id = sub.id)
				  SELECT id FROM sub)"""));
	}

	@Test
	@SuppressWarnings("unchecked")
	void filtersOnPriceRangeStockAndTag() {
		List<Map<String, Object>> found = allPages(
				"/api/products?limit=50&minPrice=1000&maxPrice=5000&inStock=true&tag=local");
		assertThat(found).isNotEmpty().allSatisfy(item -> {
			assertThat(((Number) item.get("price")).longValue()).isBetween(1000L, 5000L);
			assertThat(item.get("inStock")).isEqualTo(true);
			assertThat((List<Object>) item.get("tags")).contains("local");
		});
		assertThat(slugsOf(found))
			.isEqualTo(listableSlugs("p.from_price BETWEEN 1000 AND 5000 AND p.in_stock AND 'local' = ANY(p.tags)"));
	}

	@Test
	void searchIgnoresAccentsAndCase() {
		Set<Object> spices = slugsOf(allPages("/api/products?limit=50&q=epices"));
		assertThat(spices).isNotEmpty().isEqualTo(slugsOf(allPages("/api/products?limit=50&q=ÉPICES")));
		assertThat(spices)
			.containsAll(listableSlugs("p.category_id = (SELECT id FROM category WHERE slug = 'epices')"));
	}

	@Test
	void searchToleratesTypos() {
		assertThat(slugsOf(items(page("/api/products?q=capitain")))).contains("poisson-capitaine");
		assertThat(slugsOf(items(page("/api/products?q=atieke")))).contains("attieke-frais");
	}

	@Test
	void searchTakesWildcardsLiterally() {
		assertThat(items(page("/api/products?q=%25"))).isEmpty();
		assertThat(items(page("/api/products?q=_"))).isEmpty();
	}

	@Test
	void searchRanksTheBestMatchFirst() {
		List<Map<String, Object>> found = items(page("/api/products?q=riz%20parfume"));
		assertThat(found.get(0).get("name").toString()).startsWith("Riz parfumé");
		assertThat(found).extracting(item -> item.get("slug")).contains("riz-brise-25");
		int perfumed = found.indexOf(
				found.stream().filter(item -> item.get("slug").equals("riz-parfume-jasmin")).findFirst().orElseThrow());
		int broken = found
			.indexOf(found.stream().filter(item -> item.get("slug").equals("riz-brise-25")).findFirst().orElseThrow());
		assertThat(perfumed).isLessThan(broken);
	}

	@Test
	void searchResultsPageByRelevanceWithoutRepeats() {
		List<Map<String, Object>> all = allPages("/api/products?limit=2&q=riz");
		assertThat(all).hasSizeGreaterThan(4);
		assertThat(all.stream().map(item -> item.get("slug")).toList()).doesNotHaveDuplicates();
	}

	@Test
	@SuppressWarnings("unchecked")
	void aWeightProductShowsItsPricePerKgAndAFlaggedEstimate() {
		Map<String, Object> fish = web.get()
			.uri("/api/products/poisson-capitaine")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
		assertThat(fish.get("saleType")).isEqualTo("WEIGHT");
		Map<String, Object> sku = ((List<Map<String, Object>>) fish.get("skus")).get(0);
		long pricePerKg = ((Number) sku.get("pricePerKg")).longValue();
		long minGrams = ((Number) sku.get("minGrams")).longValue();
		Map<String, Object> estimate = (Map<String, Object>) sku.get("estimate");
		assertThat(pricePerKg).isEqualTo(4000);
		assertThat(estimate.get("grams")).isEqualTo((int) minGrams);
		assertThat(((Number) estimate.get("amount")).longValue()).isEqualTo((minGrams * pricePerKg + 500) / 1000);
		assertThat(estimate.get("estimated")).isEqualTo(true);
		assertThat(sku).doesNotContainKey("unitPrice");

		Map<String, Object> inList = items(page("/api/products?q=capitaine")).stream()
			.filter(item -> item.get("slug").equals("poisson-capitaine"))
			.findFirst()
			.orElseThrow();
		assertThat(inList.get("priceUnit")).isEqualTo("KG");
		assertThat(inList.get("estimate")).isEqualTo(estimate);
	}

	@Test
	@SuppressWarnings("unchecked")
	void aUnitProductShowsItsSkusImagesAndCategory() {
		Map<String, Object> rice = web.get()
			.uri("/api/products/riz-parfume-jasmin")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
		assertThat(rice.get("name")).isEqualTo("Riz parfumé jasmin");
		assertThat((Map<String, Object>) rice.get("category")).containsEntry("slug", "riz");
		assertThat((List<?>) rice.get("images")).isNotEmpty();
		List<Map<String, Object>> skus = (List<Map<String, Object>>) rice.get("skus");
		assertThat(skus).hasSizeGreaterThanOrEqualTo(2).allSatisfy(sku -> {
			assertThat(sku).containsKey("unitPrice").doesNotContainKeys("pricePerKg", "estimate");
			assertThat(sku.get("saleType")).isEqualTo("UNIT");
		});
	}

	@Test
	void anUnknownOrInactiveProductIsAProblemInTheCallersLanguage() {
		String inactive = db.sql("SELECT slug FROM product WHERE NOT active LIMIT 1")
			.map(row -> row.get(0, String.class))
			.one()
			.block();
		for (String slug : List.of("produit-inexistant", inactive, "Riz-Parfume", "riz--parfume", "a".repeat(300))) {
			web.get()
				.uri("/api/products/" + slug)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("product-not-found")
				.jsonPath("$.title")
				.isEqualTo("Produit introuvable")
				.jsonPath("$.status")
				.isEqualTo(404)
				.jsonPath("$.instance")
				.isEqualTo("/api/products/" + slug);
		}
		web.get()
			.uri("/api/products/produit-inexistant")
			.header("Accept-Language", "en-US,en;q=0.9")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Product not found");
	}

	@Test
	void theScannerFindsASkuByBarcode() {
		Map<String, Object> expected = db.sql("""
				SELECT s.barcode, s.code, p.slug FROM sku s JOIN product p ON p.id = s.product_id
				 WHERE s.barcode IS NOT NULL AND s.active AND p.active ORDER BY s.id LIMIT 1""").fetch().one().block();
		web.get()
			.uri("/api/skus/by-barcode/" + expected.get("barcode"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.sku.code")
			.isEqualTo(expected.get("code"))
			.jsonPath("$.product.slug")
			.isEqualTo(expected.get("slug"));
		web.get()
			.uri("/api/skus/by-barcode/4006381333932")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid-barcode");
		web.get()
			.uri("/api/skus/by-barcode/4006381333931")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("barcode-not-found");
	}

	@Test
	@SuppressWarnings("unchecked")
	void badParametersAreNamedAllAtOnce() {
		web.get()
			.uri("/api/products?minPrice=-5&maxPrice=abc&inStock=yes&sort=cheapest&limit=0&cursor=%%%")
			.header("Accept-Language", "en")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Invalid parameters")
			.jsonPath("$.errors[*].name")
			.value(names -> assertThat((List<Object>) names).containsExactlyInAnyOrder("minPrice", "maxPrice",
					"inStock", "sort", "limit", "cursor"));
		web.get()
			.uri("/api/products?minPrice=5000&maxPrice=100")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].name")
			.isEqualTo("maxPrice");
		web.get()
			.uri("/api/products?category=rayon-inconnu")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].name")
			.isEqualTo("category")
			.jsonPath("$.errors[0].detail")
			.value(detail -> assertThat(detail.toString()).contains("rayon-inconnu"));
	}

	@Test
	void aCursorOnlyWorksForTheSortItCameFrom() {
		String cursor = (String) page("/api/products?limit=3&sort=price_asc").get("nextCursor");
		assertThat(cursor).isNotNull();
		web.get()
			.uri("/api/products?limit=3&sort=name&cursor=" + cursor)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].name")
			.isEqualTo("cursor");
		web.get().uri("/api/products?limit=3&sort=price_asc&cursor=" + cursor).exchange().expectStatus().isOk();
	}

	private Map<String, Object> page(String uri) {
		return web.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON_OBJECT)
			.returnResult()
			.getResponseBody();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> items(Map<String, Object> page) {
		return (List<Map<String, Object>>) page.get("items");
	}

	private List<Map<String, Object>> allPages(String uri) {
		List<Map<String, Object>> all = new ArrayList<>();
		String cursor = null;
		for (int pages = 0; pages < 1000; pages++) {
			Map<String, Object> page = page(cursor == null ? uri : uri + "&cursor=" + cursor);
			all.addAll(items(page));
			cursor = (String) page.get("nextCursor");
			if (cursor == null) {
				return all;
			}
		}
		throw new AssertionError("no last page");
	}

	private static Set<Object> slugsOf(List<Map<String, Object>> items) {
		Set<Object> slugs = new HashSet<>();
		items.forEach(item -> slugs.add(item.get("slug")));
		return slugs;
	}

	/** Slugs of the active, priced products matching a SQL condition on {@code p}. */
	private Set<Object> listableSlugs(String condition) {
		return new HashSet<>(
				db.sql("SELECT p.slug FROM product p WHERE p.active AND p.from_price IS NOT NULL AND " + condition)
					.map(row -> (Object) row.get(0, String.class))
					.all()
					.collectList()
					.block());
	}

}
