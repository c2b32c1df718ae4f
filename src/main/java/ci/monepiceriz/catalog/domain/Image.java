package ci.monepiceriz.catalog.domain;

/** A product image, in display order, with its alternative text. */
public record Image(String url, String alt) {
}
