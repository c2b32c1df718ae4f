package ci.monepiceriz.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;

class LangTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "en|EN", "en-US|EN", "en-GB,fr;q=0.5|EN", "fr-CI|FR", "fr,en;q=0.8|FR",
			"de|FR", "not a language;;;|FR", "fr;q=0.1,en;q=0.9|EN" })
	void englishOnlyWhenTheCallerPrefersIt(String acceptLanguage, Lang expected) {
		HttpHeaders headers = new HttpHeaders();
		if (!acceptLanguage.isEmpty()) {
			headers.set(HttpHeaders.ACCEPT_LANGUAGE, acceptLanguage);
		}
		assertThat(Lang.of(headers)).isEqualTo(expected);
	}

}
