package ci.monepiceriz.catalog.domain;

/** What the scanner gets for a barcode: the SKU and the product it belongs to. */
public record BarcodeMatch(SkuView sku, ProductRef product) {

	/** The product of a scanned SKU. */
	public record ProductRef(String slug, String name, Image image) {
	}

}
