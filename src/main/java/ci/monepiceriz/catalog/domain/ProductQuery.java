package ci.monepiceriz.catalog.domain;

import java.util.Optional;

/**
 * A product list request, validated: every filter is optional, {@code sort} is the
 * effective order (relevance without a search text means by name), and {@code cursor},
 * when given, belongs to that order.
 */
public record ProductQuery(Optional<String> category, Optional<String> text, Optional<Long> minPrice,
		Optional<Long> maxPrice, boolean inStockOnly, Optional<String> tag, ProductSort sort,
		Optional<PageCursor> cursor, int limit) {

	public static final int DEFAULT_LIMIT = 24;

	public static final int MAX_LIMIT = 100;

	public static final int MAX_TEXT_LENGTH = 100;

	public ProductQuery {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new IllegalArgumentException("limit out of range: " + limit);
		}
		if (cursor.isPresent() && cursor.get().sort() != sort) {
			throw new IllegalArgumentException("cursor of another sort");
		}
	}

	/** The order actually applied for a requested sort (relevance needs a text). */
	public static ProductSort effectiveSort(Optional<ProductSort> requested, Optional<String> text) {
		ProductSort sort = requested.orElse(text.isPresent() ? ProductSort.RELEVANCE : ProductSort.NAME);
		return sort == ProductSort.RELEVANCE && text.isEmpty() ? ProductSort.NAME : sort;
	}

	/** A stable text naming exactly this query, as a cache key. */
	public String cacheKey() {
		return "products?c=" + category.orElse("") + "&q=" + text.orElse("") + "&min="
				+ minPrice.map(String::valueOf).orElse("") + "&max=" + maxPrice.map(String::valueOf).orElse("") + "&s="
				+ inStockOnly + "&t=" + tag.orElse("") + "&o=" + sort + "&l=" + limit + "&cur="
				+ cursor.map(PageCursor::encode).orElse("");
	}

}
