package ci.monepiceriz.catalog.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the next page of a list starts: the sort it belongs to, then the sort key and id
 * of the last product shown (keyset pagination, stable whatever is added meanwhile).
 * Opaque to clients: base64url of {@code sort~id~key}.
 */
public record PageCursor(ProductSort sort, long id, String key) {

	private static final int MAX_LENGTH = 400;

	public String encode() {
		String plain = sort.name() + '~' + id + '~' + key;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
	}

	/** The cursor, or empty when the text is not one of ours. */
	public static Optional<PageCursor> decode(String text) {
		if (text.length() > MAX_LENGTH) {
			return Optional.empty();
		}
		try {
			String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
			String[] parts = plain.split("~", 3);
			if (parts.length != 3) {
				return Optional.empty();
			}
			PageCursor cursor = new PageCursor(ProductSort.valueOf(parts[0]), Long.parseLong(parts[1]), parts[2]);
			return cursor.keyIsWellFormed() ? Optional.of(cursor) : Optional.empty();
		}
		catch (IllegalArgumentException notOurs) {
			return Optional.empty();
		}
	}

	public long keyAsLong() {
		return Long.parseLong(key);
	}

	public float keyAsFloat() {
		return Float.parseFloat(key);
	}

	private boolean keyIsWellFormed() {
		try {
			switch (sort) {
				case PRICE_ASC, PRICE_DESC, NEWEST -> keyAsLong();
				case RELEVANCE -> {
					float score = keyAsFloat();
					if (Float.isNaN(score) || Float.isInfinite(score)) {
						return false;
					}
				}
				case NAME -> {
					// any text
				}
			}
			return id > 0;
		}
		catch (NumberFormatException malformed) {
			return false;
		}
	}

}
