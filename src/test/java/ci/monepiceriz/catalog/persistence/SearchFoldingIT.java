package ci.monepiceriz.catalog.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import ci.monepiceriz.support.IntegrationTest;

/** The search text folded in Java must equal the product texts folded by the database. */
@IntegrationTest
class SearchFoldingIT {

	@Autowired
	DatabaseClient db;

	@Test
	void javaFoldsLikeTheDatabase() {
		List<String> samples = List.of("Épices & condiments", "Attiéké frais", "Viande de bœuf", "Maïs grillé",
				"Crème fraîche", "Poisson capitaine", "Piment «\u00a0rouge\u00a0»", "ÇA ÔTE L'ÂME", "Noël à Abidjan",
				"Œufs, Æblegrød, Straße", "L’huile d’arachide — 1 L… “extra”", "Prix\u202f: 4\u00a0500 F – promo",
				"„quote‚ ‹a› ″b″ ′c′", "Łódź, Đakovo, Øre");
		for (String sample : samples) {
			String database = db.sql("SELECT shop_fold(:text)")
				.bind("text", sample)
				.map(row -> row.get(0, String.class))
				.one()
				.block();
			assertThat(SearchWords.fold(sample)).as(sample).isEqualTo(database);
		}
	}

}
