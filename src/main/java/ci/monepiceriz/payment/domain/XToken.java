package ci.monepiceriz.payment.domain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code x-token} header of CinetPay's legacy (Checkout v2) payment notifications,
 * exactly as cinetpay.md §1.4 (CP-HMAC) describes it: the lowercase hexadecimal
 * HMAC-SHA256, keyed with the merchant's <em>Secret Key</em> (not the apikey), of the 16
 * raw form fields of {@link #FIELDS} concatenated in that order without separators. A
 * missing field counts as an empty string; values are taken as received (amounts and
 * dates are not reformatted). The comparison is constant-time.
 * <p>
 * The scheme has no timestamp or nonce and its concatenation is ambiguous: a valid token
 * only says the notification came from CinetPay, never what to believe. The status is
 * always fetched with the check call.
 */
public final class XToken {

	/** The form fields signed, in the order they are concatenated. */
	public static final List<String> FIELDS = List.of("cpm_site_id", "cpm_trans_id", "cpm_trans_date", "cpm_amount",
			"cpm_currency", "signature", "payment_method", "cel_phone_num", "cpm_phone_prefixe", "cpm_language",
			"cpm_version", "cpm_payment_config", "cpm_page_action", "cpm_custom", "cpm_designation",
			"cpm_error_message");

	private static final String ALGORITHM = "HmacSHA256";

	private XToken() {
	}

	/** The token CinetPay sends for these form fields. */
	public static String of(String secretKey, Map<String, String> form) {
		requireKey(secretKey);
		StringBuilder signed = new StringBuilder();
		for (String field : FIELDS) {
			String value = form.get(field);
			signed.append(value == null ? "" : value);
		}
		return HexFormat.of().formatHex(hmac(secretKey, signed.toString()));
	}

	/**
	 * Whether {@code token} (the {@code x-token} header, possibly missing) is the one
	 * CinetPay sends for these form fields: compared exactly (lowercase hexadecimal, as
	 * PHP's {@code hash_hmac} writes it), in time independent of where they differ.
	 */
	public static boolean verifies(String secretKey, Map<String, String> form, String token) {
		if (token == null || token.isBlank()) {
			return false;
		}
		byte[] expected = of(secretKey, form).getBytes(StandardCharsets.US_ASCII);
		byte[] received = token.strip().getBytes(StandardCharsets.UTF_8);
		return MessageDigest.isEqual(expected, received);
	}

	private static void requireKey(String secretKey) {
		if (secretKey == null || secretKey.isEmpty()) {
			throw new IllegalStateException("no CinetPay secret key to verify x-token with");
		}
	}

	private static byte[] hmac(String secretKey, String text) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), ALGORITHM));
			return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 unavailable", ex);
		}
	}

}
