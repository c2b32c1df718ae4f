package ci.monepiceriz.payment.cinetpay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import ci.monepiceriz.payment.Initialisation;
import ci.monepiceriz.payment.PaymentCheck;
import ci.monepiceriz.payment.ProviderTransaction;
import ci.monepiceriz.payment.cinetpay.CinetPayAccessTokens.AccessToken;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the new CinetPay API's answers (cinetpay.md §1.10) into the port's outcomes.
 * CinetPay's reference for this API was not found, only its SDKs: so the fields are
 * looked for in a {@code data} object when there is one, else at the top level; numbers
 * may come as strings; nothing here throws on a bad answer.
 * <ul>
 * <li>Status {@code SUCCESS} is {@code Accepted} (with its amount and currency, compared
 * with ours by settlement as for the legacy API); {@code FAILED}, {@code EXPIRED} and
 * {@code INSUFFICIENT_BALANCE} are {@code Refused}; {@code PENDING} and {@code INITIATED}
 * are {@code Pending}; anything else, and any HTTP error (422 validation, 404), is
 * {@code Unknown}: not final.
 * <li>The {@code notify_token} of a created payment is never kept: only its SHA-256, to
 * compare with the token of a later notification.
 * </ul>
 */
final class CinetPayNewApiAnswers {

	static final Set<String> REFUSED = Set.of("FAILED", "EXPIRED", "INSUFFICIENT_BALANCE");

	static final Set<String> PENDING = Set.of("PENDING", "INITIATED");

	/** What CinetPay answers for a Bearer token it no longer takes. */
	static final Set<String> TOKEN_REJECTED = Set.of("EXPIRED_TOKEN", "INVALID_TOKEN");

	/** Used before the token's announced end, so that no call races its expiry. */
	static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);

	private final JsonMapper json;

	CinetPayNewApiAnswers(JsonMapper json) {
		this.json = json;
	}

	/** A login refused by CinetPay (bad credentials, an unreadable answer). */
	static final class LoginRefused extends RuntimeException {

		private final String code;

		LoginRefused(String code, String message) {
			super(message, null, false, false);
			this.code = code;
		}

		String code() {
			return code;
		}

	}

	/**
	 * The login's token, used until {@code expires_in} (less a margin) or
	 * {@code lifetime}, whichever comes first; a {@link LoginRefused} error otherwise.
	 */
	AccessToken login(int httpStatus, byte[] body, Duration lifetime, Clock clock) {
		JsonNode root = tree(body);
		if (root == null) {
			throw new LoginRefused("", unreadable(httpStatus));
		}
		JsonNode payload = payload(root);
		String token = CinetPayAnswers.text(payload, "access_token");
		if (httpStatus / 100 != 2 || token.isEmpty()) {
			throw new LoginRefused(code(root, httpStatus), message(root));
		}
		Duration use = lifetime;
		OptionalLong expiresIn = CinetPayAnswers.amount(payload.path("expires_in"));
		if (expiresIn.isPresent() && expiresIn.getAsLong() > 0) {
			Duration announced = Duration.ofSeconds(expiresIn.getAsLong());
			if (announced.compareTo(EXPIRY_MARGIN.multipliedBy(2)) > 0) {
				announced = announced.minus(EXPIRY_MARGIN);
			}
			use = announced.compareTo(lifetime) < 0 ? announced : lifetime;
		}
		return new AccessToken(token, clock.instant().plus(use));
	}

	/** Whether CinetPay refused the Bearer token itself (a new login may help). */
	boolean tokenRejected(int httpStatus, byte[] body) {
		if (httpStatus == 401) {
			return true;
		}
		JsonNode root = tree(body);
		if (root == null) {
			return false;
		}
		for (String field : new String[] { "code", "status", "message", "error" }) {
			if (TOKEN_REJECTED.contains(CinetPayAnswers.text(root, field).toUpperCase(Locale.ROOT))) {
				return true;
			}
		}
		return false;
	}

	Initialisation initialisation(String transactionId, int httpStatus, byte[] body) {
		JsonNode root = tree(body);
		if (root == null) {
			return new Initialisation.Refused(transactionId, "", unreadable(httpStatus), "");
		}
		JsonNode payload = payload(root);
		String paymentUrl = CinetPayAnswers.text(payload, "payment_url");
		String notifyToken = CinetPayAnswers.text(payload, "notify_token");
		if (httpStatus / 100 == 2 && !paymentUrl.isEmpty()) {
			if (notifyToken.isEmpty()) {
				// its notifications could never be verified: better not to open it
				return new Initialisation.Refused(transactionId, code(root, httpStatus),
						"created without a notify_token", "");
			}
			return new Initialisation.Initialised(transactionId, CinetPayAnswers.text(payload, "payment_token"),
					paymentUrl, digest(notifyToken));
		}
		return new Initialisation.Refused(transactionId, code(root, httpStatus), message(root),
				CinetPayAnswers.text(root, "description"));
	}

	PaymentCheck check(String transactionId, int httpStatus, byte[] body) {
		JsonNode root = tree(body);
		if (root == null) {
			return new PaymentCheck.Unknown(transactionId, "", unreadable(httpStatus));
		}
		if (httpStatus / 100 != 2) {
			return new PaymentCheck.Unknown(transactionId, code(root, httpStatus), message(root));
		}
		ProviderTransaction transaction = transaction(transactionId, root);
		String status = transaction.status();
		if ("SUCCESS".equals(status)) {
			if (transaction.amount().isEmpty() || transaction.currency().isEmpty()) {
				return new PaymentCheck.Unknown(transactionId, transaction.code(),
						"SUCCESS without a readable amount or currency");
			}
			return new PaymentCheck.Accepted(transaction);
		}
		if (REFUSED.contains(status)) {
			return new PaymentCheck.Refused(transaction);
		}
		if (PENDING.contains(status)) {
			return new PaymentCheck.Pending(transaction);
		}
		return new PaymentCheck.Unknown(transactionId, transaction.code(), status.isEmpty() ? message(root) : status);
	}

	/**
	 * The transaction as the status call describes it. Its id is the
	 * {@code merchant_transaction_id} CinetPay echoes (the one asked about when it echoes
	 * none), so that settlement compares it with ours. The new API takes no metadata (the
	 * order number is in the designation), so there is none to echo.
	 */
	private static ProviderTransaction transaction(String asked, JsonNode root) {
		JsonNode payload = payload(root);
		String echoed = CinetPayAnswers.text(payload, "merchant_transaction_id");
		return new ProviderTransaction(echoed.isEmpty() ? asked : echoed, CinetPayAnswers.text(root, "code"),
				CinetPayAnswers.text(root, "message"), CinetPayAnswers.text(payload, "status").toUpperCase(Locale.ROOT),
				CinetPayAnswers.amount(payload.path("amount")), CinetPayAnswers.text(payload, "currency"),
				CinetPayAnswers.text(payload, "payment_method"),
				CinetPayAnswers.text(payload, "operator_transaction_id"), "",
				date(CinetPayAnswers.text(payload, "payment_date")), Optional.empty());
	}

	/** SHA-256 of a notify_token, lowercase hex: what is stored instead of the token. */
	static String digest(String notifyToken) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(notifyToken.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException("every JVM has SHA-256", impossible);
		}
	}

	/** An ISO-8601 instant, or the legacy {@code yyyy-MM-dd HH:mm:ss} (UTC). */
	private static Optional<Instant> date(String text) {
		if (text.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(OffsetDateTime.parse(text.strip()).toInstant());
		}
		catch (DateTimeParseException ex) {
			return CinetPayAnswers.dateTime(text);
		}
	}

	private static JsonNode payload(JsonNode root) {
		JsonNode data = root.path("data");
		return data.isObject() ? data : root;
	}

	private static String code(JsonNode root, int httpStatus) {
		String code = CinetPayAnswers.text(root, "code");
		return code.isEmpty() ? String.valueOf(httpStatus) : code;
	}

	private static String message(JsonNode root) {
		String status = CinetPayAnswers.text(root, "status");
		return status.isEmpty() ? CinetPayAnswers.text(root, "message") : status;
	}

	private JsonNode tree(byte[] body) {
		if (body == null || body.length == 0) {
			return null;
		}
		try {
			JsonNode root = json.readTree(body);
			return root != null && root.isObject() ? root : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static String unreadable(int httpStatus) {
		return "unreadable answer (HTTP " + httpStatus + ")";
	}

}
