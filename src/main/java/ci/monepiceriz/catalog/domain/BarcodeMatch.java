package ci.monepiceriz.catalog.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the scanner gets for a barcode: the SKU and the product it belongs to. */
public record BarcodeMatch(SkuView sku, ProductRef product) {

	/** The product of a scanned SKU; {@code image} is absent when it has none. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record ProductRef(String slug, String name, Image image) {
	}

}
