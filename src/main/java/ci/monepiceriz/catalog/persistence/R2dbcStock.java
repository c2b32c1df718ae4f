package ci.monepiceriz.catalog.persistence;

import java.util.Collection;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import ci.monepiceriz.catalog.domain.SaleType;
import ci.monepiceriz.catalog.domain.SkuOffer;
import ci.monepiceriz.catalog.domain.StockRequest;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * SKU offers and stock movements, always read from the database. Stock is taken by
 * conditional updates on rows locked in id order (so two orders never deadlock), and the
 * table's {@code CHECK (stock >= 0)} refuses anything that would make it negative.
 */
@Repository
public class R2dbcStock {

	private static final String OFFER_SELECT = """
			SELECT s.id, s.code, p.slug, p.name, s.label, s.sale_type, s.unit_price, s.price_per_kg, s.step_grams,
			       s.min_grams, s.max_grams, s.stock, s.active AND p.active AS available, p.image_url
			  FROM sku s
			  JOIN product p ON p.id = s.product_id
			""";

	private final DatabaseClient db;

	public R2dbcStock(DatabaseClient db) {
		this.db = db;
	}

	// sku's unique code index
	public Mono<List<SkuOffer>> offersByCodes(Collection<String> codes) {
		return db.sql(OFFER_SELECT + " WHERE s.code = ANY(:codes)")
			.bind("codes", codes.toArray(String[]::new))
			.map(R2dbcStock::offer)
			.all()
			.collectList();
	}

	// sku's primary key
	public Mono<List<SkuOffer>> offersByIds(Collection<Long> ids) {
		return db.sql(OFFER_SELECT + " WHERE s.id = ANY(:ids)")
			.bind("ids", ids.toArray(Long[]::new))
			.map(R2dbcStock::offer)
			.all()
			.collectList();
	}

	/**
	 * The offers, their SKU rows locked until the end of the caller's transaction, taken
	 * in id order: every transaction that locks several SKUs takes them in the same
	 * order, so none waits for another in a cycle.
	 */
	public Mono<List<SkuOffer>> lockOffers(Collection<Long> ids) {
		return db.sql(OFFER_SELECT + " WHERE s.id = ANY(:ids) ORDER BY s.id FOR UPDATE OF s")
			.bind("ids", ids.toArray(Long[]::new))
			.map(R2dbcStock::offer)
			.all()
			.collectList();
	}

	/*
	 * Takes the stock of every line that can give it, in one round trip: the CTE locks
	 * the SKU rows in id order (as lockOffers does) before the UPDATE touches any, so two
	 * orders never wait for each other in a cycle; the UPDATE then takes only from active
	 * SKUs of active products with enough stock, and answers the rows it changed, as they
	 * are after.
	 */
	private static final String TAKE = """
			WITH locked AS (
			    SELECT id FROM sku WHERE id = ANY(:ids) ORDER BY id FOR UPDATE
			)
			UPDATE sku s
			   SET stock = s.stock - w.amount
			  FROM unnest(:ids::bigint[], :amounts::bigint[]) AS w(id, amount), locked l, product p
			 WHERE s.id = w.id AND l.id = w.id AND p.id = s.product_id
			   AND s.active AND p.active AND s.stock >= w.amount
			RETURNING s.id, s.code, p.slug, p.name, s.label, s.sale_type, s.unit_price, s.price_per_kg, s.step_grams,
			          s.min_grams, s.max_grams, s.stock, true AS available, p.image_url
			""";

	/**
	 * Takes each request's stock where there is enough, in the caller's transaction;
	 * answers the offers taken from (stock as left). Lines missing from the answer took
	 * nothing.
	 */
	public Mono<List<SkuOffer>> take(List<StockRequest> requests) {
		return db.sql(TAKE)
			.bind("ids", requests.stream().map(StockRequest::skuId).toArray(Long[]::new))
			.bind("amounts", requests.stream().map(StockRequest::amount).toArray(Long[]::new))
			.map(R2dbcStock::offer)
			.all()
			.collectList();
	}

	/**
	 * Moves stock by {@code sign} x each amount, on rows the caller has locked; the CHECK
	 * constraint fails the statement (and so the transaction) rather than go below zero.
	 */
	public Mono<Long> move(List<StockRequest> requests, int sign) {
		return db.sql("""
				UPDATE sku s
				   SET stock = s.stock + :sign * w.amount
				  FROM unnest(:ids::bigint[], :amounts::bigint[]) AS w(id, amount)
				 WHERE s.id = w.id
				""")
			.bind("sign", (long) sign)
			.bind("ids", requests.stream().map(StockRequest::skuId).toArray(Long[]::new))
			.bind("amounts", requests.stream().map(StockRequest::amount).toArray(Long[]::new))
			.fetch()
			.rowsUpdated();
	}

	private static SkuOffer offer(Readable row) {
		return new SkuOffer(row.get("id", Long.class), row.get("code", String.class), row.get("slug", String.class),
				row.get("name", String.class), row.get("label", String.class),
				SaleType.valueOf(row.get("sale_type", String.class)), row.get("unit_price", Long.class),
				row.get("price_per_kg", Long.class), row.get("step_grams", Integer.class),
				row.get("min_grams", Integer.class), row.get("max_grams", Integer.class), row.get("stock", Long.class),
				Boolean.TRUE.equals(row.get("available", Boolean.class)), row.get("image_url", String.class));
	}

}
