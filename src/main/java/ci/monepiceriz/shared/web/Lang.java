package ci.monepiceriz.shared.web;

import java.util.List;
import java.util.Locale;

import org.springframework.http.HttpHeaders;

/** The two languages of customer-facing texts: French by default, English on request. */
public enum Lang {

	FR, EN;

	/** English when the first acceptable language is English, French otherwise. */
	public static Lang of(HttpHeaders headers) {
		List<Locale.LanguageRange> ranges;
		try {
			ranges = Locale.LanguageRange.parse(String.join(",", headers.getOrEmpty(HttpHeaders.ACCEPT_LANGUAGE)));
		}
		catch (IllegalArgumentException malformed) {
			return FR;
		}
		Locale best = Locale.lookup(ranges, List.of(Locale.FRENCH, Locale.ENGLISH));
		return best != null && best.getLanguage().equals("en") ? EN : FR;
	}

	public String pick(String french, String english) {
		return this == EN ? english : french;
	}

}
