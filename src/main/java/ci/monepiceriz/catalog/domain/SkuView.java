package ci.monepiceriz.catalog.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A sellable variant as the storefront sees it. UNIT SKUs carry {@code unitPrice}; WEIGHT
 * SKUs carry {@code pricePerKg}, the ordering step and bounds in grams, the average piece
 * weight and the estimate for the smallest orderable weight. Stock itself is not shown,
 * only whether there is some and whether it is low.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SkuView(String code, String barcode, String label, SaleType saleType, Long unitPrice, Long pricePerKg,
		Integer stepGrams, Integer minGrams, Integer maxGrams, Integer averagePieceGrams, Estimate estimate,
		boolean inStock, boolean lowStock) {
}
