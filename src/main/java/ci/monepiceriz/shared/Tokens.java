package ci.monepiceriz.shared;

import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Unguessable bearer tokens (cart links, order access) and their SHA-256, which is all
 * the database keeps. The generator is a DRBG seeded once at class load: afterwards it
 * reads no entropy device, so it never blocks an event loop (the default
 * {@code NativePRNG} reads {@code /dev/urandom} on every call; BlockHound reports it).
 */
public final class Tokens {

	/** 32 random bytes, base64url without padding. */
	public static final int LENGTH = 43;

	private static final SecureRandom RANDOM = drbg();

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private Tokens() {
	}

	private static SecureRandom drbg() {
		try {
			SecureRandom random = SecureRandom.getInstance("DRBG",
					DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
			random.nextBytes(new byte[32]); // instantiates (and seeds) it now, not on a
											// request
			return random;
		}
		catch (NoSuchAlgorithmException unavailable) {
			throw new IllegalStateException("no DRBG in this JVM", unavailable);
		}
	}

	/** Loads the class, and so seeds the generator, on the calling thread. */
	public static void seed() {
		// the static initializer has run by now
	}

	/** A new token of 256 random bits. */
	public static String random() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return ENCODER.encodeToString(bytes);
	}

	/**
	 * True when {@code text} could be one of our tokens (cheap check before a lookup).
	 */
	public static boolean looksValid(String text) {
		if (text == null || text.length() != LENGTH) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
				return false;
			}
		}
		return true;
	}

	public static byte[] sha256(String text) {
		return sha256(text.getBytes(StandardCharsets.UTF_8));
	}

	public static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException unavailable) {
			throw new IllegalStateException("no SHA-256 in this JVM", unavailable);
		}
	}

}
