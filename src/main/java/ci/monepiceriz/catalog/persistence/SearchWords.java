package ci.monepiceriz.catalog.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words of a search text worth matching on their own: at least three letters and not
 * a French function word ("de", "des", "pour"...), which would otherwise match half the
 * catalog. At most {@value #MAX_WORDS}, in order.
 */
final class SearchWords {

	static final int MAX_WORDS = 6;

	private static final Set<String> STOP_WORDS = Set.of("les", "des", "une", "pour", "avec", "aux", "sur", "dans",
			"par", "sans", "est", "qui", "que", "the", "and");

	private SearchWords() {
	}

	static List<String> significant(String text) {
		List<String> words = new ArrayList<>();
		for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
			if (word.length() >= 3 && !STOP_WORDS.contains(word) && !words.contains(word) && words.size() < MAX_WORDS) {
				words.add(word);
			}
		}
		return words;
	}

}
