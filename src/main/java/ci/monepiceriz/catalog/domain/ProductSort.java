package ci.monepiceriz.catalog.domain;

/**
 * Orders of a product list. Each one is total (ties broken by id) so that cursor
 * pagination never skips nor repeats a product.
 */
public enum ProductSort {

	/** Best text match first; without a search text, the same as {@link #NAME}. */
	RELEVANCE,
	/** Cheapest first. */
	PRICE_ASC,
	/** Most expensive first. */
	PRICE_DESC,
	/** Most recently added first. */
	NEWEST,
	/** Alphabetical, ignoring accents and case. */
	NAME

}
