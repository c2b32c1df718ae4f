package ci.monepiceriz.catalog.domain;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A product as lists show it. {@code price} is the lowest reference price of its SKUs: a
 * unit price ({@code priceUnit = UNIT}) or a price per kilogram ({@code KG}); for WEIGHT
 * products {@code estimate} gives the amount for the smallest orderable weight.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductSummary(String slug, String name, String category, SaleType saleType, long price,
		PriceUnit priceUnit, Estimate estimate, Image image, boolean inStock, List<String> tags) {

	/** What {@code price} is for. */
	public enum PriceUnit {

		UNIT, KG

	}

}
