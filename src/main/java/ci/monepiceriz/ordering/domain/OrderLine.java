package ci.monepiceriz.ordering.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A line as it was when ordered (name, price, amount): catalog edits never change it.
 * UNIT lines have {@code quantity} and {@code unitPrice}; WEIGHT lines have
 * {@code grams}, {@code pricePerKg} and an estimated amount.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderLine(String skuCode, String productName, String label, String saleType, Integer quantity,
		Integer grams, Long unitPrice, Long pricePerKg, long amount, boolean estimated) {
}
