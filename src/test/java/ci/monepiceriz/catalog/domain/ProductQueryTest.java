package ci.monepiceriz.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ProductQueryTest {

	@Test
	void relevanceNeedsASearchText() {
		assertThat(ProductQuery.effectiveSort(Optional.empty(), Optional.of("riz"))).isEqualTo(ProductSort.RELEVANCE);
		assertThat(ProductQuery.effectiveSort(Optional.empty(), Optional.empty())).isEqualTo(ProductSort.NAME);
		assertThat(ProductQuery.effectiveSort(Optional.of(ProductSort.RELEVANCE), Optional.empty()))
			.isEqualTo(ProductSort.NAME);
		assertThat(ProductQuery.effectiveSort(Optional.of(ProductSort.PRICE_DESC), Optional.of("riz")))
			.isEqualTo(ProductSort.PRICE_DESC);
	}

	@Test
	void cacheKeysDifferForEveryFilter() {
		ProductQuery base = query(Optional.empty(), 24);
		assertThat(base.cacheKey()).isEqualTo(query(Optional.empty(), 24).cacheKey());
		assertThat(base.cacheKey()).isNotEqualTo(query(Optional.of("riz"), 24).cacheKey());
		assertThat(base.cacheKey()).isNotEqualTo(query(Optional.empty(), 25).cacheKey());
	}

	@Test
	void refusesACursorOfAnotherSortAndLimitsOutOfRange() {
		assertThatThrownBy(() -> new ProductQuery(Optional.empty(), Optional.empty(), Optional.empty(),
				Optional.empty(), false, Optional.empty(), ProductSort.NAME,
				Optional.of(new PageCursor(ProductSort.PRICE_ASC, 1, "5")), 24))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> query(Optional.empty(), 101)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> query(Optional.empty(), 0)).isInstanceOf(IllegalArgumentException.class);
	}

	private static ProductQuery query(Optional<String> text, int limit) {
		return new ProductQuery(Optional.empty(), text, Optional.empty(), Optional.empty(), false, Optional.empty(),
				ProductQuery.effectiveSort(Optional.empty(), text), Optional.empty(), limit);
	}

}
