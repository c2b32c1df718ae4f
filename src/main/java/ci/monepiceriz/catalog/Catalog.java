package ci.monepiceriz.catalog;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import ci.monepiceriz.catalog.domain.BarcodeMatch;
import ci.monepiceriz.catalog.domain.CategoryNode;
import ci.monepiceriz.catalog.domain.ProductDetail;
import ci.monepiceriz.catalog.domain.ProductListing;
import ci.monepiceriz.catalog.domain.ProductQuery;
import ci.monepiceriz.catalog.persistence.R2dbcCatalog;
import ci.monepiceriz.catalog.persistence.R2dbcCatalog.IdentifiedProduct;
import ci.monepiceriz.shared.cache.ReadThroughCache;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The catalog module's API: storefront reads, and the writes that invalidate them. */
@Service
public class Catalog {

	/** The cache namespace of everything the catalog serves. */
	public static final String CACHE_NAMESPACE = "catalog";

	private final R2dbcCatalog store;

	private final ReadThroughCache cache;

	private final CatalogProperties properties;

	Catalog(R2dbcCatalog store, ReadThroughCache cache, CatalogProperties properties) {
		this.store = store;
		this.cache = cache;
		this.properties = properties;
	}

	public Mono<List<CategoryNode>> categories() {
		return store.categoryTree();
	}

	public Mono<ProductListing> products(ProductQuery query) {
		if (query.category().isEmpty()) {
			return store.products(query, Optional.empty()).map(ProductListing.Listed::new);
		}
		String slug = query.category().get();
		return store.categoryWithDescendants(slug)
			.flatMap(ids -> ids.isEmpty() ? Mono.just(new ProductListing.UnknownCategory(slug))
					: store.products(query, Optional.of(ids)).map(ProductListing.Listed::new));
	}

	public Mono<ProductDetail> product(String slug) {
		return store.product(slug);
	}

	public Mono<BarcodeMatch> skuByBarcode(String ean) {
		return store.skuByBarcode(ean);
	}

	/**
	 * Every active product, in id order, read one bounded page at a time and only as fast
	 * as the subscriber asks: a slow client holds no connection, a gone one stops the
	 * reads.
	 */
	public Flux<ProductDetail> export() {
		int pageSize = properties.exportPageSize();
		return store.productsAfter(0, pageSize)
			.expand(page -> page.size() < pageSize ? Mono.empty()
					: store.productsAfter(page.get(page.size() - 1).id(), pageSize))
			.flatMapIterable(page -> page)
			.map(IdentifiedProduct::detail);
	}

	/**
	 * Sets a SKU's price and makes every cached catalog read stale; false for an unknown
	 * SKU.
	 */
	public Mono<Boolean> changePrice(String skuCode, long price) {
		return store.changePrice(skuCode, price)
			.flatMap(changed -> cache.invalidate(CACHE_NAMESPACE).thenReturn(changed));
	}

}
