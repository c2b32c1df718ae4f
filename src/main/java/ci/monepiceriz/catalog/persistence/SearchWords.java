package ci.monepiceriz.catalog.persistence;

import java.text.Normalizer;
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

	/**
	 * The text as the database's {@code shop_fold} folds product texts (unaccent, then
	 * lower case): accents stripped, French ligatures spelt out. Folding here, once,
	 * keeps the search statement's parameters plain values that the trigram index can use
	 * directly.
	 */
	static String fold(String text) {
		String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
		StringBuilder folded = new StringBuilder(decomposed.length());
		for (int i = 0; i < decomposed.length(); i++) {
			char c = decomposed.charAt(i);
			switch (c) {
				case 'œ' -> folded.append("oe");
				case 'Œ' -> folded.append("OE");
				case 'æ' -> folded.append("ae");
				case 'Æ' -> folded.append("AE");
				case 'ß' -> folded.append("ss");
				case 'ø' -> folded.append('o');
				case 'Ø' -> folded.append('O');
				case 'đ' -> folded.append('d');
				case 'Đ' -> folded.append('D');
				case 'ł' -> folded.append('l');
				case 'Ł' -> folded.append('L');
				// unaccent also spells out typographic punctuation (not spaces)
				case '«' -> folded.append("<<");
				case '»' -> folded.append(">>");
				case '‹' -> folded.append('<');
				case '›' -> folded.append('>');
				case '‘', '’', '′' -> folded.append('\'');
				case '‚' -> folded.append(',');
				case '“', '”', '″' -> folded.append('"');
				case '„' -> folded.append(",,");
				case '–', '—', '‐', '‑', '‒', '―' -> folded.append('-');
				case '…' -> folded.append("...");
				default -> {
					if (Character.getType(c) != Character.NON_SPACING_MARK) {
						folded.append(c);
					}
				}
			}
		}
		return folded.toString().toLowerCase(Locale.ROOT);
	}

	/** The text as a literal inside a LIKE pattern (backslash is PostgreSQL's escape). */
	static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
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
