package ci.monepiceriz.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCursorTest {

	@Test
	void roundTripsEveryKindOfKey() {
		for (PageCursor cursor : new PageCursor[] { new PageCursor(ProductSort.NAME, 42, "riz parfume ~ jasmin"),
				new PageCursor(ProductSort.PRICE_ASC, 7, "4500"),
				new PageCursor(ProductSort.NEWEST, 9, "1795000000123456"),
				new PageCursor(ProductSort.RELEVANCE, 3, Float.toString(0.6666667f)) }) {
			assertThat(PageCursor.decode(cursor.encode())).contains(cursor);
		}
	}

	@Test
	void keepsTheExactRelevanceScore() {
		float score = 0.45454547f;
		PageCursor cursor = new PageCursor(ProductSort.RELEVANCE, 1, Float.toString(score));
		assertThat(PageCursor.decode(cursor.encode()).orElseThrow().keyAsFloat()).isEqualTo(score);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "!!!", "bm9wZQ", "UFJJQ0VfQVNDfjF-YWJj", "TkFNRX4wfnJpeg", "UFJJQ0VfQVNDfjF-" })
	void refusesTextsThatAreNotOurs(String text) {
		assertThat(PageCursor.decode(text)).isEmpty();
	}

	@Test
	void refusesAnUnknownSortOrANonNumericKey() {
		assertThat(PageCursor.decode(encode("CHEAPEST~1~10"))).isEmpty();
		assertThat(PageCursor.decode(encode("NEWEST~1~yesterday"))).isEmpty();
		assertThat(PageCursor.decode(encode("RELEVANCE~1~NaN"))).isEmpty();
	}

	private static String encode(String plain) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
	}

}
