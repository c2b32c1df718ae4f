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
import ci.monepiceriz.payment.Payout;
import ci.monepiceriz.payment.PayoutCheck;
import ci.monepiceriz.payment.ProviderTransaction;
import ci.monepiceriz.payment.cinetpay.CinetPayAccessTokens.AccessToken;
import ci.monepiceriz.shared.JsonBodies;
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
		JsonNode root = JsonBodies.object(json, body);
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
		JsonNode root = JsonBodies.object(json, body);
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
		JsonNode root = JsonBodies.object(json, body);
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
		JsonNode root = JsonBodies.object(json, body);
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

	/** Codes of transfers the new API will never make (number, amount). */
	static final Set<String> PAYOUT_REFUSED = Set.of("INVALID_PHONE", "INVALID_PHONE_NUMBER", "AMOUNT_TOO_SMALL",
			"AMOUNT_TOO_LARGE", "INVALID_AMOUNT", "VALIDATION_ERROR");

	/** Final and transitional transfer statuses (§1.10, and the v1 names, §1.7). */
	static final Set<String> PAYOUT_PAID = Set.of("SUCCESS", "VAL");

	static final Set<String> PAYOUT_REJECTED = Set.of("FAILED", "REJECTED", "CANCELLED", "CANCELED", "REJ");

	static final Set<String> PAYOUT_IN_PROGRESS = Set.of("PENDING", "INITIATED", "PROCESSING", "NEW", "REC", "NOS");

	/**
	 * The answer to a transfer's creation: created (2xx with CinetPay's id), a duplicate
	 * id (409: already sent), refused for good (422 or a code about the number or the
	 * amount), or refused for now (any other answer: nothing was created).
	 */
	Payout payout(String payoutId, int httpStatus, byte[] body) {
		JsonNode root = JsonBodies.object(json, body);
		if (httpStatus == 409) {
			return new Payout.Sent(payoutId, "", true);
		}
		if (root == null) {
			return new Payout.Deferred(payoutId, String.valueOf(httpStatus), unreadable(httpStatus));
		}
		String code = code(root, httpStatus);
		if (httpStatus / 100 == 2) {
			return new Payout.Sent(payoutId, CinetPayAnswers.text(payload(root), "transaction_id"), false);
		}
		String message = message(root);
		if (httpStatus == 422 || PAYOUT_REFUSED.contains(code.toUpperCase(Locale.ROOT))
				|| PAYOUT_REFUSED.contains(message.toUpperCase(Locale.ROOT))) {
			return new Payout.Refused(payoutId, code, message);
		}
		return new Payout.Deferred(payoutId, code, message);
	}

	/** A transfer's status: 404 is "never received". */
	PayoutCheck payoutCheck(String payoutId, int httpStatus, byte[] body) {
		if (httpStatus == 404) {
			return new PayoutCheck.NotFound(payoutId);
		}
		JsonNode root = JsonBodies.object(json, body);
		if (root == null) {
			return new PayoutCheck.Unknown(payoutId, String.valueOf(httpStatus), unreadable(httpStatus));
		}
		if (httpStatus / 100 != 2) {
			return new PayoutCheck.Unknown(payoutId, code(root, httpStatus), message(root));
		}
		JsonNode payload = payload(root);
		String status = CinetPayAnswers.text(payload, "status").toUpperCase(Locale.ROOT);
		if (PAYOUT_PAID.contains(status)) {
			return new PayoutCheck.PaidOut(payoutId, CinetPayAnswers.text(payload, "transaction_id"),
					CinetPayAnswers.text(payload, "operator_transaction_id"));
		}
		if (PAYOUT_REJECTED.contains(status)) {
			return new PayoutCheck.Rejected(payoutId, status, CinetPayAnswers.text(payload, "comment"));
		}
		if (PAYOUT_IN_PROGRESS.contains(status)) {
			return new PayoutCheck.InProgress(payoutId, status);
		}
		return new PayoutCheck.Unknown(payoutId, code(root, httpStatus), status.isEmpty() ? message(root) : status);
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

	private static String unreadable(int httpStatus) {
		return "unreadable answer (HTTP " + httpStatus + ")";
	}

}
