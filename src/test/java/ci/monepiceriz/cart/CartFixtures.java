package ci.monepiceriz.cart;

import java.time.Duration;

import org.springframework.r2dbc.core.DatabaseClient;

import ci.monepiceriz.catalog.Catalog;
import ci.monepiceriz.shared.cache.ReadThroughCache;

/**
 * SKUs of the cart tests, beside the demo catalog: the tests change their price, stock
 * and state freely without disturbing other test classes, which share the database.
 */
final class CartFixtures {

	/** UNIT, 1 250 XOF, 500 in stock. */
	static final String UNITS = "ESSAI-UNITE";

	/** UNIT, 1 000 XOF, 10 in stock (tests that change stock set it back first). */
	static final String SCARCE = "ESSAI-STOCK";

	/** UNIT, no longer sold. */
	static final String RETIRED = "ESSAI-RETIRE";

	/** WEIGHT, 1 999 XOF/kg, step 250 g, 500 g to 5 000 g, 100 kg in stock. */
	static final String BY_WEIGHT = "ESSAI-POIDS-KG";

	/** WEIGHT, 2 000 XOF/kg, step 250 g, 500 g to 5 000 g, 750 g in stock. */
	static final String RARE_WEIGHT = "ESSAI-POIDS-RARE";

	/** {@code ESSAI-LOT-1} to {@code ESSAI-LOT-60}: UNIT, 100 XOF, 1 000 in stock. */
	static final int LOTS = 60;

	/** Demo SKUs, read only. */
	static final String RICE = "RIZ-PARF-5KG";

	static final String FISH = "POISSON-CAPITAINE-KG";

	private static boolean created;

	private CartFixtures() {
	}

	static String lot(int n) {
		return "ESSAI-LOT-" + n;
	}

	static synchronized void ensure(DatabaseClient db, ReadThroughCache cache) {
		if (created) {
			return;
		}
		run(db, """
				INSERT INTO product (slug, name, description, category_id, sale_type)
				SELECT v.slug, v.name, 'Produit des tests de panier.', c.id, v.sale_type
				  FROM (VALUES ('essai-panier-unites', 'Essai panier unités', 'UNIT'),
				               ('essai-panier-poids', 'Essai panier poids', 'WEIGHT')) AS v (slug, name, sale_type)
				  JOIN category c ON c.slug = 'entretien'
				ON CONFLICT (slug) DO NOTHING
				""");
		run(db, """
				INSERT INTO sku (product_id, sale_type, code, label, position, unit_price, stock, active)
				SELECT p.id, 'UNIT', v.code, v.label, v.position, v.price, v.stock, v.active
				  FROM (VALUES ('ESSAI-UNITE', 'À l''unité', 0, 1250, 500, true),
				               ('ESSAI-STOCK', 'Rare', 1, 1000, 10, true),
				               ('ESSAI-RETIRE', 'Retiré', 2, 1000, 10, false)) AS v (code, label, position, price, stock, active)
				  JOIN product p ON p.slug = 'essai-panier-unites'
				ON CONFLICT (code) DO NOTHING
				""");
		run(db, """
				INSERT INTO sku (product_id, sale_type, code, label, position, unit_price, stock)
				SELECT p.id, 'UNIT', 'ESSAI-LOT-' || n, 'Lot ' || n, 10 + n, 100, 1000
				  FROM generate_series(1, %d) AS n
				  JOIN product p ON p.slug = 'essai-panier-unites'
				ON CONFLICT (code) DO NOTHING
				""".formatted(LOTS));
		run(db, """
				INSERT INTO sku (product_id, sale_type, code, label, position, price_per_kg, step_grams, min_grams,
				                 max_grams, stock)
				SELECT p.id, 'WEIGHT', v.code, v.label, v.position, v.price, 250, 500, 5000, v.stock
				  FROM (VALUES ('ESSAI-POIDS-KG', 'Au kilo', 0, 1999, 100000),
				               ('ESSAI-POIDS-RARE', 'Au kilo, rare', 1, 2000, 750)) AS v (code, label, position, price, stock)
				  JOIN product p ON p.slug = 'essai-panier-poids'
				ON CONFLICT (code) DO NOTHING
				""");
		// other test classes may have cached lists of the catalog without these products
		cache.invalidate(Catalog.CACHE_NAMESPACE).block(Duration.ofSeconds(5));
		created = true;
	}

	/**
	 * Makes the cart of {@code token} expired a second ago (created a month ago, so the
	 * schema's {@code expires_at > created_at} holds).
	 */
	static void expire(DatabaseClient db, String token) {
		db.sql("""
				UPDATE cart
				   SET created_at = now() - interval '30 days', updated_at = now() - interval '30 days',
				       expires_at = now() - interval '1 second'
				 WHERE token_hash = sha256(convert_to(:token, 'UTF8'))
				""").bind("token", token).fetch().rowsUpdated().block(Duration.ofSeconds(5));
	}

	static long lineCount(DatabaseClient db, String token) {
		return db.sql("""
				SELECT count(*) FROM cart_line l JOIN cart c ON c.id = l.cart_id
				 WHERE c.token_hash = sha256(convert_to(:token, 'UTF8'))
				""").bind("token", token).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));
	}

	static void run(DatabaseClient db, String sql) {
		db.sql(sql).fetch().rowsUpdated().block(Duration.ofSeconds(10));
	}

}
