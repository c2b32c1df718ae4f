package ci.monepiceriz.shared.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A serialized response body with its strong entity tag (a digest of the exact bytes), as
 * kept in Redis: the tag, a newline, then the body.
 */
public record CachedBody(String etag, byte[] body) {

	private static final int TAG_BYTES = 16;

	public static CachedBody of(byte[] body) {
		return new CachedBody(tagOf(body), body);
	}

	static CachedBody decode(byte[] stored) {
		for (int i = 0; i < stored.length; i++) {
			if (stored[i] == '\n') {
				return new CachedBody(new String(stored, 0, i, StandardCharsets.US_ASCII),
						Arrays.copyOfRange(stored, i + 1, stored.length));
			}
		}
		throw new IllegalArgumentException("not a cached body");
	}

	byte[] encode() {
		byte[] tag = etag.getBytes(StandardCharsets.US_ASCII);
		byte[] stored = new byte[tag.length + 1 + body.length];
		System.arraycopy(tag, 0, stored, 0, tag.length);
		stored[tag.length] = '\n';
		System.arraycopy(body, 0, stored, tag.length + 1, body.length);
		return stored;
	}

	/** The header value, quoted as RFC 9110 wants a strong validator. */
	public String quotedEtag() {
		return '"' + etag + '"';
	}

	private static String tagOf(byte[] body) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
			return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, TAG_BYTES));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof CachedBody that && etag.equals(that.etag) && Arrays.equals(body, that.body);
	}

	@Override
	public int hashCode() {
		return etag.hashCode();
	}

	@Override
	public String toString() {
		return "CachedBody[etag=" + etag + ", bytes=" + body.length + "]";
	}

}
