package ci.monepiceriz.catalog.web;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.catalog.Catalog;
import ci.monepiceriz.catalog.CatalogProperties;
import ci.monepiceriz.catalog.domain.Ean13;
import ci.monepiceriz.catalog.domain.PageCursor;
import ci.monepiceriz.catalog.domain.ProductListing;
import ci.monepiceriz.catalog.domain.ProductQuery;
import ci.monepiceriz.catalog.domain.ProductSort;
import ci.monepiceriz.shared.cache.CachedBody;
import ci.monepiceriz.shared.cache.ReadThroughCache;
import ci.monepiceriz.shared.web.CachedResponses;
import ci.monepiceriz.shared.web.Params;
import ci.monepiceriz.shared.web.Problem;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Storefront catalog reads. Each read is serialized once and kept as bytes with its ETag
 * in the read-through cache: a hit costs no JSON work, and no I/O at all from memory.
 */
@Component
class CatalogHandler {

	static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	private static final DataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;

	private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private final Catalog catalog;

	private final ReadThroughCache cache;

	private final CatalogProperties properties;

	private final JsonMapper json;

	CatalogHandler(Catalog catalog, ReadThroughCache cache, CatalogProperties properties, JsonMapper json) {
		this.catalog = catalog;
		this.cache = cache;
		this.properties = properties;
		this.json = json;
	}

	Mono<ServerResponse> categories(ServerRequest request) {
		return cached("categories", () -> catalog.categories().map(json::writeValueAsBytes))
			.flatMap(body -> CachedResponses.json(request, body, properties.maxAge()));
	}

	Mono<ServerResponse> list(ServerRequest request) {
		return Mono.fromSupplier(() -> productQuery(request))
			.flatMap(query -> cached(query.cacheKey(), () -> catalog.products(query).flatMap(this::listingBytes)))
			.flatMap(body -> CachedResponses.json(request, body, properties.maxAge()));
	}

	Mono<ServerResponse> show(ServerRequest request) {
		String slug = request.pathVariable("slug");
		if (slug.length() > 120 || !SLUG.matcher(slug).matches()) {
			// not one of ours (the schema's rule): no cache key, no query
			return Mono.error(Problem.of(CatalogProblem.PRODUCT_NOT_FOUND, slug));
		}
		return cached("product:" + slug, () -> catalog.product(slug).map(json::writeValueAsBytes))
			.switchIfEmpty(Mono.error(() -> Problem.of(CatalogProblem.PRODUCT_NOT_FOUND, slug)))
			.flatMap(body -> CachedResponses.json(request, body, properties.maxAge()));
	}

	Mono<ServerResponse> byBarcode(ServerRequest request) {
		String ean = request.pathVariable("ean");
		if (!Ean13.isValid(ean)) {
			return Mono.error(Problem.of(CatalogProblem.INVALID_BARCODE, ean));
		}
		return cached("barcode:" + ean, () -> catalog.skuByBarcode(ean).map(json::writeValueAsBytes))
			.switchIfEmpty(Mono.error(() -> Problem.of(CatalogProblem.BARCODE_NOT_FOUND, ean)))
			.flatMap(body -> CachedResponses.json(request, body, properties.maxAge()));
	}

	/** The whole active catalog, one product per line, written as the client reads it. */
	Mono<ServerResponse> export(ServerRequest request) {
		CachedResponses.requireAcceptable(request, NDJSON);
		Flux<DataBuffer> lines = catalog.export().map(this::line);
		return ServerResponse.ok().contentType(NDJSON).body(lines, DataBuffer.class);
	}

	private DataBuffer line(Object product) {
		byte[] bytes = json.writeValueAsBytes(product);
		DataBuffer buffer = BUFFERS.allocateBuffer(bytes.length + 1);
		buffer.write(bytes);
		buffer.write((byte) '\n');
		return buffer;
	}

	private Mono<byte[]> listingBytes(ProductListing listing) {
		if (listing instanceof ProductListing.Listed listed) {
			return Mono.just(json.writeValueAsBytes(listed.page()));
		}
		String slug = ((ProductListing.UnknownCategory) listing).slug();
		return Mono.error(() -> Problem.invalidParameter("category", "catégorie inconnue : « " + slug + " »",
				"unknown category: \"" + slug + "\""));
	}

	private Mono<CachedBody> cached(String key, Supplier<Mono<byte[]>> loader) {
		if (!properties.cacheEnabled()) {
			return loader.get().map(CachedBody::of);
		}
		return cache.get(Catalog.CACHE_NAMESPACE, key, properties.cacheTtl(), loader);
	}

	private static ProductQuery productQuery(ServerRequest request) {
		Params params = Params.of(request);
		Optional<String> category = params.text("category", 80);
		Optional<String> text = params.text("q", ProductQuery.MAX_TEXT_LENGTH);
		Optional<Long> minPrice = params.wholeNumber("minPrice", 0, Long.MAX_VALUE / 2);
		Optional<Long> maxPrice = params.wholeNumber("maxPrice", 0, Long.MAX_VALUE / 2);
		boolean inStockOnly = params.bool("inStock").orElse(false);
		Optional<String> tag = params.text("tag", 50);
		Optional<ProductSort> requestedSort = params.oneOf("sort", ProductSort.class);
		int limit = params.wholeNumber("limit", 1, ProductQuery.MAX_LIMIT)
			.orElse((long) ProductQuery.DEFAULT_LIMIT)
			.intValue();
		if (minPrice.isPresent() && maxPrice.isPresent() && minPrice.get() > maxPrice.get()) {
			params.reject("maxPrice", "doit être supérieur ou égal à minPrice", "must not be below minPrice");
		}
		ProductSort sort = ProductQuery.effectiveSort(requestedSort, text);
		Optional<PageCursor> cursor = params.text("cursor", 400).flatMap(given -> {
			Optional<PageCursor> decoded = PageCursor.decode(given).filter(found -> found.sort() == sort);
			if (decoded.isEmpty()) {
				params.reject("cursor", "curseur invalide ou d'un autre tri : reprenez la liste depuis le début",
						"invalid cursor, or one from another sort: start the list again");
			}
			return decoded;
		});
		params.throwIfInvalid();
		return new ProductQuery(category, text, minPrice, maxPrice, inStockOnly, tag, sort, cursor, limit);
	}

}
