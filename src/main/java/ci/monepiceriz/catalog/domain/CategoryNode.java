package ci.monepiceriz.catalog.domain;

import java.util.List;

/** A category with its active sub-categories, in display order. */
public record CategoryNode(String slug, String name, List<CategoryNode> children) {
}
