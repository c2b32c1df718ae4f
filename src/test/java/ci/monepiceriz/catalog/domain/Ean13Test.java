package ci.monepiceriz.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ean13Test {

	@ParameterizedTest
	@ValueSource(strings = { "6180000000010", "4006381333931", "3017620422003", "5449000000996" })
	void acceptsCodesWithTheRightCheckDigit(String code) {
		assertThat(Ean13.isValid(code)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "6180000000017", "4006381333932", "400638133393", "40063813339311", "40063813339a1", "" })
	void refusesWrongCheckDigitsLengthsAndCharacters(String code) {
		assertThat(Ean13.isValid(code)).isFalse();
	}

}
