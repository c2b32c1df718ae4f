/**
 * The storefront catalog: the category tree, products and their SKUs (sold by the unit or
 * by weight), search tolerant of French accents and typos, barcode lookup and the
 * streamed export. Reads are served through a Redis read-through cache with strong ETags;
 * the module's API for other modules is {@link ci.monepiceriz.catalog.Catalog}.
 */
package ci.monepiceriz.catalog;
