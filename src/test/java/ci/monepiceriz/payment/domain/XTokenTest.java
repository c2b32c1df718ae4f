package ci.monepiceriz.payment.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class XTokenTest {

	private static final String SECRET = "test-secret-key";

	/**
	 * Computed outside Java (Python's {@code hmac.new(b"test-secret-key", concat,
	 * hashlib.sha256).hexdigest()}) over the values of {@link #notification()} in the
	 * documented order.
	 */
	private static final String PRECOMPUTED = "828c4763200707a1a868daa4acb95184f1e4ee322e333327fe5b1712228a0158";

	/** A notification's form, deliberately not in the signing order. */
	private static Map<String, String> notification() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("cpm_trans_id", "MER-20260101-0001-a1b2");
		form.put("cpm_site_id", "445160");
		form.put("cpm_error_message", "SUCCES");
		form.put("cpm_trans_date", "2026-01-01 10:00:00");
		form.put("cpm_amount", "4995");
		form.put("cpm_currency", "XOF");
		form.put("signature", "d5b3c0f1e2");
		form.put("payment_method", "OM");
		form.put("cel_phone_num", "0707123456");
		form.put("cpm_phone_prefixe", "225");
		form.put("cpm_language", "fr");
		form.put("cpm_version", "V4");
		form.put("cpm_payment_config", "Single");
		form.put("cpm_page_action", "Payment");
		form.put("cpm_custom", "MER-20260101-0001");
		form.put("cpm_designation", "Commande MER-20260101-0001");
		return form;
	}

	@Test
	void signsTheSixteenFieldsInTheDocumentedOrder() {
		assertThat(XToken.FIELDS).containsExactly("cpm_site_id", "cpm_trans_id", "cpm_trans_date", "cpm_amount",
				"cpm_currency", "signature", "payment_method", "cel_phone_num", "cpm_phone_prefixe", "cpm_language",
				"cpm_version", "cpm_payment_config", "cpm_page_action", "cpm_custom", "cpm_designation",
				"cpm_error_message");
	}

	@Test
	void matchesAVectorComputedIndependently() throws Exception {
		Map<String, String> form = notification();
		// the documented concatenation, written out by hand
		String concatenated = form.get("cpm_site_id") + form.get("cpm_trans_id") + form.get("cpm_trans_date")
				+ form.get("cpm_amount") + form.get("cpm_currency") + form.get("signature") + form.get("payment_method")
				+ form.get("cel_phone_num") + form.get("cpm_phone_prefixe") + form.get("cpm_language")
				+ form.get("cpm_version") + form.get("cpm_payment_config") + form.get("cpm_page_action")
				+ form.get("cpm_custom") + form.get("cpm_designation") + form.get("cpm_error_message");
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		StringBuilder hex = new StringBuilder();
		for (byte b : mac.doFinal(concatenated.getBytes(StandardCharsets.UTF_8))) {
			hex.append(String.format("%02x", b));
		}

		assertThat(XToken.of(SECRET, form)).isEqualTo(hex.toString()).isEqualTo(PRECOMPUTED);
		assertThat(XToken.verifies(SECRET, form, PRECOMPUTED)).isTrue();
		assertThat(XToken.verifies(SECRET, form, " " + PRECOMPUTED + "\n")).isTrue();
	}

	@Test
	void refusesATamperedField() {
		for (String field : XToken.FIELDS) {
			Map<String, String> tampered = notification();
			tampered.put(field, tampered.get(field) + "0");
			assertThat(XToken.verifies(SECRET, tampered, PRECOMPUTED)).as(field).isFalse();
		}
	}

	@Test
	void refusesTwoFieldsSwapped() {
		Map<String, String> swapped = notification();
		swapped.put("cpm_custom", "Commande MER-20260101-0001");
		swapped.put("cpm_designation", "MER-20260101-0001");
		assertThat(XToken.verifies(SECRET, swapped, PRECOMPUTED)).isFalse();
	}

	@Test
	void refusesAMissingBlankForeignOrUppercaseToken() {
		Map<String, String> form = notification();
		assertThat(XToken.verifies(SECRET, form, null)).isFalse();
		assertThat(XToken.verifies(SECRET, form, "")).isFalse();
		assertThat(XToken.verifies(SECRET, form, PRECOMPUTED.substring(1))).isFalse();
		assertThat(XToken.verifies(SECRET, form, XToken.of("another-secret", form))).isFalse();
		assertThat(XToken.verifies(SECRET, form, PRECOMPUTED.toUpperCase(Locale.ROOT))).isFalse();
	}

	@Test
	void signsWithTheSecretKeyNotTheApiKeyAndNeedsOne() {
		assertThat(XToken.of("apikey-123", notification())).isNotEqualTo(PRECOMPUTED);
		assertThatThrownBy(() -> XToken.of("", notification())).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void takesAMissingFieldAsEmpty() {
		Map<String, String> withEmpty = notification();
		withEmpty.put("cpm_error_message", "");
		Map<String, String> without = notification();
		without.remove("cpm_error_message");
		assertThat(XToken.of(SECRET, without)).isEqualTo(XToken.of(SECRET, withEmpty));
		assertThat(XToken.verifies(SECRET, without, PRECOMPUTED)).isFalse();
	}

	@Test
	void ignoresFieldsOutsideTheSignedSet() {
		Map<String, String> extra = notification();
		extra.put("cpm_result", "00");
		assertThat(XToken.verifies(SECRET, extra, PRECOMPUTED)).isTrue();
	}

}
