package ci.monepiceriz.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.Optional;

import org.springframework.stereotype.Service;

import ci.monepiceriz.catalog.domain.BarcodeMatch;
import ci.monepiceriz.catalog.domain.CategoryNode;
import ci.monepiceriz.catalog.domain.ProductDetail;
import ci.monepiceriz.catalog.domain.ProductListing;
import ci.monepiceriz.catalog.domain.ProductQuery;
import ci.monepiceriz.catalog.domain.Reservation;
import ci.monepiceriz.catalog.domain.SkuOffer;
import ci.monepiceriz.catalog.domain.StockRequest;
import ci.monepiceriz.catalog.persistence.R2dbcCatalog;
import ci.monepiceriz.catalog.persistence.R2dbcCatalog.IdentifiedProduct;
import ci.monepiceriz.catalog.persistence.R2dbcStock;
import ci.monepiceriz.shared.cache.ReadThroughCache;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The catalog module's API: storefront reads, and the writes that invalidate them. */
@Service
public class Catalog {

	/** The cache namespace of everything the catalog serves. */
	public static final String CACHE_NAMESPACE = "catalog";

	private final R2dbcCatalog store;

	private final R2dbcStock stock;

	private final ReadThroughCache cache;

	private final CatalogProperties properties;

	Catalog(R2dbcCatalog store, R2dbcStock stock, ReadThroughCache cache, CatalogProperties properties) {
		this.store = store;
		this.stock = stock;
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

	// --- offers and stock, for carts and orders --------------------------------------

	/** The current offers of these SKU codes, by code; unknown codes are absent. */
	public Mono<Map<String, SkuOffer>> offers(Collection<String> codes) {
		if (codes.isEmpty()) {
			return Mono.just(Map.of());
		}
		return stock.offersByCodes(codes)
			.map(offers -> offers.stream().collect(Collectors.toMap(SkuOffer::code, Function.identity())));
	}

	/** The current offers of these SKU ids, by id; unknown ids are absent. */
	public Mono<Map<Long, SkuOffer>> offersByIds(Collection<Long> ids) {
		if (ids.isEmpty()) {
			return Mono.just(Map.of());
		}
		return stock.offersByIds(ids)
			.map(offers -> offers.stream().collect(Collectors.toMap(SkuOffer::skuId, Function.identity())));
	}

	/**
	 * Takes the stock of every request, or none of it. Must run inside the caller's
	 * transaction: the SKU rows stay locked until it ends, so no other order can take the
	 * same stock in between, and a rollback gives it all back. The offers returned are
	 * the SKUs as locked (their prices are the ones to charge).
	 */
	public Mono<Reservation> reserve(List<StockRequest> requests) {
		List<StockRequest> wanted = asRequests(
				requests.stream().collect(Collectors.toMap(StockRequest::skuId, StockRequest::amount, Long::sum)));
		return stock.take(wanted).flatMap(taken -> {
			if (taken.size() == wanted.size()) {
				return Mono.just(new Reservation.Reserved(taken));
			}
			return refuse(wanted, taken);
		});
	}

	/**
	 * Some lines could not be served: gives back what the others took (the rows are still
	 * locked by this transaction), so that nothing is taken, and says why, line by line.
	 */
	private Mono<Reservation> refuse(List<StockRequest> wanted, List<SkuOffer> taken) {
		Map<Long, Long> amounts = wanted.stream().collect(Collectors.toMap(StockRequest::skuId, StockRequest::amount));
		List<StockRequest> givenBack = taken.stream()
			.map(offer -> new StockRequest(offer.skuId(), amounts.get(offer.skuId())))
			.toList();
		Mono<Long> undo = givenBack.isEmpty() ? Mono.just(0L) : stock.move(givenBack, 1);
		return undo.then(stock.offersByIds(amounts.keySet()))
			.map(offers -> new Reservation.Refused(shortfalls(amounts, offers)));
	}

	/**
	 * Gives stock back (an expired or cancelled order), in the caller's transaction, rows
	 * locked in id order like {@link #reserve}.
	 */
	public Mono<Void> release(List<StockRequest> requests) {
		if (requests.isEmpty()) {
			return Mono.empty();
		}
		Map<Long, Long> returned = requests.stream()
			.collect(Collectors.toMap(StockRequest::skuId, StockRequest::amount, Long::sum));
		return stock.lockOffers(returned.keySet()).then(stock.move(asRequests(returned), 1)).then();
	}

	private static List<Reservation.Shortfall> shortfalls(Map<Long, Long> wanted, List<SkuOffer> offers) {
		Map<Long, SkuOffer> byId = offers.stream().collect(Collectors.toMap(SkuOffer::skuId, Function.identity()));
		List<Reservation.Shortfall> shortfalls = new ArrayList<>();
		wanted.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
			SkuOffer offer = byId.get(entry.getKey());
			long available = offer == null || !offer.available() ? 0 : offer.stock();
			if (available < entry.getValue()) {
				shortfalls.add(new Reservation.Shortfall(entry.getKey(), offer == null ? null : offer.code(),
						entry.getValue(), available));
			}
		});
		return shortfalls;
	}

	private static List<StockRequest> asRequests(Map<Long, Long> amounts) {
		return amounts.entrySet()
			.stream()
			.sorted(Comparator.comparing(Map.Entry::getKey))
			.map(entry -> new StockRequest(entry.getKey(), entry.getValue()))
			.toList();
	}

}
