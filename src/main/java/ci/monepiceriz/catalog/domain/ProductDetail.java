package ci.monepiceriz.catalog.domain;

import java.util.List;

/** A product with everything the product page needs. */
public record ProductDetail(String slug, String name, String description, CategoryRef category, SaleType saleType,
		List<Image> images, List<String> tags, boolean inStock, List<SkuView> skus) {

	/** The product's category, by slug and name. */
	public record CategoryRef(String slug, String name) {
	}

}
