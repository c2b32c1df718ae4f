package ci.monepiceriz.catalog.domain;

/** How a product is sold: by the unit (a count) or by weight (grams, priced per kg). */
public enum SaleType {

	UNIT, WEIGHT

}
