package ci.monepiceriz.catalog.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import ci.monepiceriz.support.IntegrationTest;

/**
 * The product's summary columns follow its SKUs (V1's trigger), now only recomputed when
 * a change can alter them (V6): a stock movement that keeps the SKU in stock leaves the
 * product alone, one that empties or refills it does not.
 */
@IntegrationTest
class ProductSummaryTriggerIT {

	@Autowired
	DatabaseClient db;

	@Test
	void theProductFollowsItsSkusAcrossEmptyAndBackAndPriceChanges() {
		long product = one("""
				INSERT INTO product (slug, name, category_id, sale_type)
				VALUES ('produit-resume-trigger', 'Produit résumé', (SELECT min(id) FROM category), 'UNIT')
				RETURNING id""");
		sql("INSERT INTO sku (product_id, sale_type, code, label, unit_price, stock) VALUES (" + product
				+ ", 'UNIT', 'T-SUMMARY-1', 'Pièce', 1200, 3)");
		assertThat(summary(product)).isEqualTo("1200 true");

		sql("UPDATE sku SET stock = stock - 2 WHERE code = 'T-SUMMARY-1'");
		assertThat(summary(product)).isEqualTo("1200 true");
		sql("UPDATE sku SET stock = stock - 1 WHERE code = 'T-SUMMARY-1'");
		assertThat(summary(product)).isEqualTo("1200 false");
		sql("UPDATE sku SET stock = 7 WHERE code = 'T-SUMMARY-1'");
		assertThat(summary(product)).isEqualTo("1200 true");
		sql("UPDATE sku SET unit_price = 990 WHERE code = 'T-SUMMARY-1'");
		assertThat(summary(product)).isEqualTo("990 true");
		sql("UPDATE sku SET active = false WHERE code = 'T-SUMMARY-1'");
		assertThat(summary(product)).isEqualTo("null false");
		sql("DELETE FROM sku WHERE code = 'T-SUMMARY-1'");
		assertThat(summary(product)).isEqualTo("null false");
	}

	private String summary(long product) {
		return db.sql("SELECT from_price, in_stock FROM product WHERE id = :id")
			.bind("id", product)
			.map(row -> row.get("from_price", Long.class) + " " + row.get("in_stock", Boolean.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private long one(String sql) {
		return db.sql(sql).map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
	}

	private void sql(String sql) {
		db.sql(sql).fetch().rowsUpdated().block(Duration.ofSeconds(10));
	}

}
