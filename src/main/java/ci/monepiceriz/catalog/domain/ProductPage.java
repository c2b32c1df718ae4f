package ci.monepiceriz.catalog.domain;

import java.util.List;

/**
 * One page of a product list and the cursor of the next one ({@code null} on the last
 * page).
 */
public record ProductPage(List<ProductSummary> items, String nextCursor) {
}
