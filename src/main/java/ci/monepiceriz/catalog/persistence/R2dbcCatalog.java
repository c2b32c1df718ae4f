package ci.monepiceriz.catalog.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

import ci.monepiceriz.catalog.domain.BarcodeMatch;
import ci.monepiceriz.catalog.domain.CategoryNode;
import ci.monepiceriz.catalog.domain.Estimate;
import ci.monepiceriz.catalog.domain.Image;
import ci.monepiceriz.catalog.domain.PageCursor;
import ci.monepiceriz.catalog.domain.ProductDetail;
import ci.monepiceriz.catalog.domain.ProductPage;
import ci.monepiceriz.catalog.domain.ProductQuery;
import ci.monepiceriz.catalog.domain.ProductSort;
import ci.monepiceriz.catalog.domain.ProductSummary;
import ci.monepiceriz.catalog.domain.SaleType;
import ci.monepiceriz.catalog.domain.SkuView;
import ci.monepiceriz.shared.persistence.Transactions;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * Catalog reads and writes over R2DBC with hand-written SQL and one static mapper per
 * row. Every list is bounded and collected ({@code collectList}) before it is answered:
 * no result set streams to a client, so a client that goes away never leaves a connection
 * stuck mid-result (r2dbc-postgresql issue 459).
 */
@Repository
public class R2dbcCatalog {

	private final DatabaseClient db;

	public R2dbcCatalog(DatabaseClient db) {
		this.db = db;
	}

	// --- categories -------------------------------------------------------------------

	private static final String ACTIVE_CATEGORIES = """
			SELECT id, parent_id, slug, name
			  FROM category
			 WHERE active
			 ORDER BY position, name, id
			""";

	/**
	 * The active category tree; a category under an inactive parent is hidden with it.
	 */
	public Mono<List<CategoryNode>> categoryTree() {
		return Transactions.uncancellable(
				db.sql(ACTIVE_CATEGORIES).map(R2dbcCatalog::categoryRow).all().collectList().map(R2dbcCatalog::tree));
	}

	private record CategoryRow(long id, Long parentId, String slug, String name) {
	}

	private static CategoryRow categoryRow(Readable row) {
		return new CategoryRow(row.get("id", Long.class), row.get("parent_id", Long.class),
				row.get("slug", String.class), row.get("name", String.class));
	}

	private static List<CategoryNode> tree(List<CategoryRow> rows) {
		Map<Long, List<CategoryRow>> byParent = new LinkedHashMap<>();
		for (CategoryRow row : rows) {
			byParent.computeIfAbsent(row.parentId() == null ? 0L : row.parentId(), parent -> new ArrayList<>())
				.add(row);
		}
		return children(0L, byParent);
	}

	private static List<CategoryNode> children(long parent, Map<Long, List<CategoryRow>> byParent) {
		return byParent.getOrDefault(parent, List.of())
			.stream()
			.map(row -> new CategoryNode(row.slug(), row.name(), children(row.id(), byParent)))
			.toList();
	}

	// served by category's unique slug index and category_parent_idx
	private static final String CATEGORY_AND_DESCENDANTS = """
			WITH RECURSIVE sub(id) AS (
			    SELECT id FROM category WHERE slug = :slug AND active
			    UNION ALL
			    SELECT c.id FROM category c JOIN sub ON c.parent_id = sub.id WHERE c.active
			)
			SELECT id FROM sub
			""";

	/** Ids of an active category and all its active descendants; empty when unknown. */
	public Mono<List<Long>> categoryWithDescendants(String slug) {
		return Transactions.uncancellable(db.sql(CATEGORY_AND_DESCENDANTS)
			.bind("slug", slug)
			.map(row -> row.get("id", Long.class))
			.all()
			.collectList());
	}

	// --- product lists ----------------------------------------------------------------

	/*
	 * One statement over product (price, stock flag, estimate weight and first image are
	 * kept on it by triggers) and its category: planning it costs a fraction of running
	 * it. Indexes: product_sort_name_idx, product_price_idx, product_newest_idx for the
	 * sorts; product_category_idx, product_tags_idx and product_search_trgm_idx (trigram
	 * GIN: <% and LIKE) for the filters. The limit is written into the text (a validated
	 * int, at most 100 values) rather than bound: with no parameter, PostgreSQL plans the
	 * prepared statement once per connection, where a bound limit makes it plan every
	 * execution. created_at comes as epoch microseconds (the cursor's key): the driver's
	 * parsing of a timestamptz text took a tenth of a list request's CPU.
	 */
	private static final String LIST_SELECT = """
			SELECT p.id, p.slug, p.name, c.slug AS category, p.sale_type, p.from_price, p.in_stock, p.tags,
			       (extract(epoch FROM p.created_at) * 1000000)::bigint AS created_micros, p.sort_name, p.image_url,
			       p.image_alt, p.estimate_grams%s
			  FROM product p
			  JOIN category c ON c.id = p.category_id
			 WHERE p.active AND p.from_price IS NOT NULL
			""";

	// :q is already folded (SearchWords.fold): a shop_fold(:q) would be computed again
	// for
	// every row under a prepared statement's generic plan
	private static final String SCORE = "word_similarity(:q, p.search_text)";

	/** A page of products and the cursor of the next page. */
	public Mono<ProductPage> products(ProductQuery query, Optional<List<Long>> categoryIds) {
		StringBuilder sql = new StringBuilder(
				String.format(LIST_SELECT, query.text().isPresent() ? ", " + SCORE + " AS score" : ""));
		Map<String, Object> binds = new LinkedHashMap<>();
		categoryIds.ifPresent(ids -> {
			sql.append(" AND p.category_id = ANY(:categories)");
			binds.put("categories", ids.toArray(Long[]::new));
		});
		query.text().ifPresent(text -> {
			// a product matches when one significant word is similar to one of its words
			// (typos
			// tolerated), or when it contains the whole text; ranking then favours the
			// products
			// closest to the whole text
			String folded = SearchWords.fold(text);
			sql.append(" AND (p.search_text LIKE :contains");
			binds.put("contains", "%" + SearchWords.escapeLike(folded) + "%");
			List<String> words = SearchWords.significant(folded);
			for (int i = 0; i < words.size(); i++) {
				sql.append(" OR :w").append(i).append(" <% p.search_text");
				binds.put("w" + i, words.get(i));
			}
			sql.append(')');
			binds.put("q", folded);
		});
		query.minPrice().ifPresent(min -> {
			sql.append(" AND p.from_price >= :minPrice");
			binds.put("minPrice", min);
		});
		query.maxPrice().ifPresent(max -> {
			sql.append(" AND p.from_price <= :maxPrice");
			binds.put("maxPrice", max);
		});
		if (query.inStockOnly()) {
			sql.append(" AND p.in_stock");
		}
		query.tag().ifPresent(tag -> {
			sql.append(" AND p.tags @> ARRAY[:tag]::text[]");
			binds.put("tag", tag);
		});
		query.cursor().ifPresent(cursor -> appendKeyset(sql, binds, cursor));
		sql.append(orderBy(query.sort())).append(" LIMIT ").append(query.limit() + 1);

		GenericExecuteSpec spec = db.sql(sql.toString());
		for (Map.Entry<String, Object> bind : binds.entrySet()) {
			spec = spec.bind(bind.getKey(), bind.getValue());
		}
		boolean scored = query.text().isPresent();
		return Transactions
			.uncancellable(spec.map(row -> listRow(row, scored)).all().collectList().map(rows -> page(rows, query)));
	}

	private static void appendKeyset(StringBuilder sql, Map<String, Object> binds, PageCursor cursor) {
		binds.put("afterId", cursor.id());
		switch (cursor.sort()) {
			case RELEVANCE -> {
				sql.append(" AND (" + SCORE + " < :afterKey OR (" + SCORE + " = :afterKey AND p.id > :afterId))");
				binds.put("afterKey", cursor.keyAsFloat());
			}
			case PRICE_ASC -> {
				sql.append(" AND (p.from_price, p.id) > (:afterKey, :afterId)");
				binds.put("afterKey", cursor.keyAsLong());
			}
			case PRICE_DESC -> {
				sql.append(" AND (p.from_price, p.id) < (:afterKey, :afterId)");
				binds.put("afterKey", cursor.keyAsLong());
			}
			case NEWEST -> {
				sql.append(" AND (p.created_at, p.id) < (:afterKey, :afterId)");
				binds.put("afterKey", fromMicros(cursor.keyAsLong()));
			}
			case NAME -> {
				sql.append(" AND (p.sort_name, p.id) > (:afterKey, :afterId)");
				binds.put("afterKey", cursor.key());
			}
		}
	}

	private static String orderBy(ProductSort sort) {
		return switch (sort) {
			case RELEVANCE -> " ORDER BY score DESC, p.id";
			case PRICE_ASC -> " ORDER BY p.from_price, p.id";
			case PRICE_DESC -> " ORDER BY p.from_price DESC, p.id DESC";
			case NEWEST -> " ORDER BY p.created_at DESC, p.id DESC";
			case NAME -> " ORDER BY p.sort_name, p.id";
		};
	}

	private record ListRow(long id, ProductSummary summary, String sortName, long createdMicros, Float score) {
	}

	private static ListRow listRow(Readable row, boolean scored) {
		SaleType saleType = SaleType.valueOf(row.get("sale_type", String.class));
		long price = row.get("from_price", Long.class);
		Integer minGrams = row.get("estimate_grams", Integer.class);
		String imageUrl = row.get("image_url", String.class);
		ProductSummary summary = new ProductSummary(row.get("slug", String.class), row.get("name", String.class),
				row.get("category", String.class), saleType, price,
				saleType == SaleType.WEIGHT ? ProductSummary.PriceUnit.KG : ProductSummary.PriceUnit.UNIT,
				minGrams == null ? null : Estimate.of(price, minGrams),
				imageUrl == null ? null : new Image(imageUrl, row.get("image_alt", String.class)),
				row.get("in_stock", Boolean.class), Arrays.asList(row.get("tags", String[].class)));
		return new ListRow(row.get("id", Long.class), summary, row.get("sort_name", String.class),
				row.get("created_micros", Long.class), scored ? row.get("score", Float.class) : null);
	}

	private static ProductPage page(List<ListRow> rows, ProductQuery query) {
		boolean more = rows.size() > query.limit();
		List<ListRow> shown = more ? rows.subList(0, query.limit()) : rows;
		String next = more ? cursorAfter(shown.get(shown.size() - 1), query.sort()).encode() : null;
		return new ProductPage(shown.stream().map(ListRow::summary).toList(), next);
	}

	private static PageCursor cursorAfter(ListRow last, ProductSort sort) {
		String key = switch (sort) {
			case RELEVANCE -> Float.toString(last.score());
			case PRICE_ASC, PRICE_DESC -> Long.toString(last.summary().price());
			case NEWEST -> Long.toString(last.createdMicros());
			case NAME -> last.sortName();
		};
		return new PageCursor(sort, last.id(), key);
	}

	// PostgreSQL keeps timestamps to the microsecond: the cursor keeps exactly that.
	private static OffsetDateTime fromMicros(long micros) {
		return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
	}

	// --- product details --------------------------------------------------------------

	// product's unique slug index; images by their primary key
	private static final String PRODUCT_BY_SLUG = """
			SELECT p.id, p.slug, p.name, p.description, p.sale_type, p.tags, p.in_stock, c.slug AS category_slug,
			       c.name AS category_name,
			       ARRAY(SELECT url FROM product_image WHERE product_id = p.id ORDER BY position) AS image_urls,
			       ARRAY(SELECT alt FROM product_image WHERE product_id = p.id ORDER BY position) AS image_alts
			  FROM product p
			  JOIN category c ON c.id = p.category_id
			 WHERE p.active AND p.from_price IS NOT NULL
			""";

	// sku_product_idx
	private static final String SKUS_OF_PRODUCTS = """
			SELECT product_id, code, barcode, label, sale_type, unit_price, price_per_kg, step_grams, min_grams,
			       max_grams, average_piece_grams, stock, low_stock_threshold
			  FROM sku
			 WHERE product_id = ANY(:ids) AND active
			 ORDER BY product_id, position, id
			""";

	/** An active product with its active SKUs, or empty. */
	public Mono<ProductDetail> product(String slug) {
		return Transactions.uncancellable(db.sql(PRODUCT_BY_SLUG + " AND p.slug = :slug")
			.bind("slug", slug)
			.map(R2dbcCatalog::productRow)
			.all()
			.collectList()
			.flatMap(this::withSkus)
			.flatMap(details -> Mono.justOrEmpty(details.stream().findFirst())));
	}

	/**
	 * Up to {@code limit} active products with id above {@code afterId}, in id order,
	 * with their SKUs.
	 */
	public Mono<List<IdentifiedProduct>> productsAfter(long afterId, int limit) {
		return Transactions.uncancellable(db.sql(PRODUCT_BY_SLUG + " AND p.id > :afterId ORDER BY p.id LIMIT :limit")
			.bind("afterId", afterId)
			.bind("limit", limit)
			.map(R2dbcCatalog::productRow)
			.all()
			.collectList()
			.flatMap(rows -> withSkus(rows).map(details -> identified(rows, details))));
	}

	/** A product detail with the database id it was read under (the export's cursor). */
	public record IdentifiedProduct(long id, ProductDetail detail) {
	}

	private static List<IdentifiedProduct> identified(List<ProductRow> rows, List<ProductDetail> details) {
		List<IdentifiedProduct> result = new ArrayList<>(rows.size());
		for (int i = 0; i < rows.size(); i++) {
			result.add(new IdentifiedProduct(rows.get(i).id(), details.get(i)));
		}
		return result;
	}

	private record ProductRow(long id, String slug, String name, String description, SaleType saleType,
			List<String> tags, boolean inStock, ProductDetail.CategoryRef category, List<Image> images) {
	}

	private static ProductRow productRow(Readable row) {
		String[] urls = row.get("image_urls", String[].class);
		String[] alts = row.get("image_alts", String[].class);
		List<Image> images = new ArrayList<>(urls.length);
		for (int i = 0; i < urls.length; i++) {
			images.add(new Image(urls[i], alts[i]));
		}
		return new ProductRow(row.get("id", Long.class), row.get("slug", String.class), row.get("name", String.class),
				row.get("description", String.class), SaleType.valueOf(row.get("sale_type", String.class)),
				Arrays.asList(row.get("tags", String[].class)), row.get("in_stock", Boolean.class),
				new ProductDetail.CategoryRef(row.get("category_slug", String.class),
						row.get("category_name", String.class)),
				images);
	}

	private Mono<List<ProductDetail>> withSkus(List<ProductRow> products) {
		if (products.isEmpty()) {
			return Mono.just(List.of());
		}
		return db.sql(SKUS_OF_PRODUCTS)
			.bind("ids", products.stream().map(ProductRow::id).toArray(Long[]::new))
			.map(row -> Map.entry(row.get("product_id", Long.class), skuRow(row)))
			.all()
			.collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
			.map(skusByProduct -> products.stream().map(product -> detail(product, skusByProduct)).toList());
	}

	private static ProductDetail detail(ProductRow product, Map<Long, Collection<SkuView>> skusByProduct) {
		List<SkuView> own = List.copyOf(skusByProduct.getOrDefault(product.id(), List.of()));
		return new ProductDetail(product.slug(), product.name(), product.description(), product.category(),
				product.saleType(), product.images(), product.tags(), product.inStock(), own);
	}

	private static SkuView skuRow(Readable row) {
		SaleType saleType = SaleType.valueOf(row.get("sale_type", String.class));
		long stock = row.get("stock", Long.class);
		Long pricePerKg = row.get("price_per_kg", Long.class);
		Integer minGrams = row.get("min_grams", Integer.class);
		return new SkuView(row.get("code", String.class), row.get("barcode", String.class),
				row.get("label", String.class), saleType, row.get("unit_price", Long.class), pricePerKg,
				row.get("step_grams", Integer.class), minGrams, row.get("max_grams", Integer.class),
				row.get("average_piece_grams", Integer.class),
				saleType == SaleType.WEIGHT ? Estimate.of(pricePerKg, minGrams) : null, stock > 0,
				stock > 0 && stock <= row.get("low_stock_threshold", Long.class));
	}

	// --- barcode ----------------------------------------------------------------------

	// sku's unique barcode index
	private static final String SKU_BY_BARCODE = """
			SELECT s.product_id, s.code, s.barcode, s.label, s.sale_type, s.unit_price, s.price_per_kg, s.step_grams,
			       s.min_grams, s.max_grams, s.average_piece_grams, s.stock, s.low_stock_threshold,
			       p.slug, p.name, p.image_url, p.image_alt
			  FROM sku s
			  JOIN product p ON p.id = s.product_id
			 WHERE s.barcode = :barcode AND s.active AND p.active
			""";

	public Mono<BarcodeMatch> skuByBarcode(String barcode) {
		return Transactions
			.uncancellable(db.sql(SKU_BY_BARCODE).bind("barcode", barcode).map(R2dbcCatalog::barcodeRow).one());
	}

	private static BarcodeMatch barcodeRow(Readable row) {
		String imageUrl = row.get("image_url", String.class);
		return new BarcodeMatch(skuRow(row),
				new BarcodeMatch.ProductRef(row.get("slug", String.class), row.get("name", String.class),
						imageUrl == null ? null : new Image(imageUrl, row.get("image_alt", String.class))));
	}

	// --- writes -----------------------------------------------------------------------

	/**
	 * Sets a SKU's price (unit price or price per kg, by its sale type); false when
	 * unknown.
	 */
	public Mono<Boolean> changePrice(String skuCode, long price) {
		return db.sql("""
				UPDATE sku
				   SET unit_price = CASE WHEN sale_type = 'UNIT' THEN :price END,
				       price_per_kg = CASE WHEN sale_type = 'WEIGHT' THEN :price END
				 WHERE code = :code
				""").bind("price", price).bind("code", skuCode).fetch().rowsUpdated().map(count -> count > 0);
	}

}
