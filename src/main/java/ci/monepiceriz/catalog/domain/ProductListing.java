package ci.monepiceriz.catalog.domain;

/**
 * The outcome of listing products: a page, or a category filter naming no active
 * category.
 */
public sealed interface ProductListing permits ProductListing.Listed, ProductListing.UnknownCategory {

	/** A page of products. */
	record Listed(ProductPage page) implements ProductListing {
	}

	/** The {@code category} filter names no active category. */
	record UnknownCategory(String slug) implements ProductListing {
	}

}
