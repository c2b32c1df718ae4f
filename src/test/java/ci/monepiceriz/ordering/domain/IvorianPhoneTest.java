package ci.monepiceriz.ordering.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IvorianPhoneTest {

	@ParameterizedTest
	@CsvSource({ "0707123456, +2250707123456", "07 07 12 34 56, +2250707123456", "07.07.12.34.56, +2250707123456",
			"+225 07 07 12 34 56, +2250707123456", "+2250507123456, +2250507123456",
			"00225 01 02 03 04 05, +2250102030405", "225 27 22 44 55 66, +2252722445566",
			"(+225) 21-00-00-00-00, +2252100000000" })
	void normalisesWhatShoppersTypeToE164(String typed, String expected) {
		assertThat(IvorianPhone.normalize(typed)).contains(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "07071234", "070712345678", "0907123456", "+33 6 12 34 56 78", "07 07 12 34 5x",
			"+0707123456", "00225070712345", "++2250707123456", "0707123456 poste 12" })
	void refusesWhatIsNotAnIvorianNumber(String typed) {
		assertThat(IvorianPhone.normalize(typed)).isEmpty();
	}

}
