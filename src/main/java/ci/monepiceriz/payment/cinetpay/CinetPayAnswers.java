package ci.monepiceriz.payment.cinetpay;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import ci.monepiceriz.payment.Initialisation;
import ci.monepiceriz.payment.PaymentCheck;
import ci.monepiceriz.payment.ProviderTransaction;
import ci.monepiceriz.shared.JsonBodies;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads CinetPay Checkout v2 answers into the port's outcomes. Defensive by design
 * (cinetpay.md §1.2, §1.3): {@code code} is a string, {@code data.amount} a string (a
 * number is accepted too), dates are {@code yyyy-MM-dd HH:mm:ss} without a zone (taken as
 * UTC, Abidjan's time) and may be blank; a message is never compared for success
 * ({@code SUCCES} vs {@code SUCCESS}). Success is {@code code "00"} with status
 * {@code ACCEPTED}; refusal is status {@code REFUSED}; waiting is a known waiting status
 * or message; anything else is unknown, hence not final. Nothing here throws on a bad
 * answer.
 */
final class CinetPayAnswers {

	/**
	 * Statuses and messages meaning "the payer has not finished yet" (cinetpay.md §1.3).
	 */
	static final Set<String> WAITING = Set.of("CREATED", "WAITING_CUSTOMER_TO_VALIDATE", "WAITING_CUSTOMER_PAYMENT",
			"WAITING_CUSTOMER_OTP_CODE", "WAITING_CUSTOMER_PAYMENT_AT_OPERATOR_SIDE", "WAITING_FOR_CUSTOMER",
			"PENDING");

	static final String CHECK_SUCCESS_CODE = "00";

	static final String INITIALISED_CODE = "201";

	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

	private final JsonMapper json;

	CinetPayAnswers(JsonMapper json) {
		this.json = json;
	}

	Initialisation initialisation(String transactionId, int httpStatus, byte[] body) {
		JsonNode root = JsonBodies.object(json, body);
		if (root == null) {
			return new Initialisation.Refused(transactionId, "", unreadable(httpStatus), "");
		}
		String code = text(root, "code");
		JsonNode data = root.path("data");
		String paymentUrl = text(data, "payment_url");
		if (INITIALISED_CODE.equals(code) && !paymentUrl.isEmpty()) {
			return new Initialisation.Initialised(transactionId, text(data, "payment_token"), paymentUrl);
		}
		return new Initialisation.Refused(transactionId, code, text(root, "message"), text(root, "description"));
	}

	PaymentCheck check(String transactionId, int httpStatus, byte[] body) {
		JsonNode root = JsonBodies.object(json, body);
		if (root == null || text(root, "code").isEmpty()) {
			return new PaymentCheck.Unknown(transactionId, "", unreadable(httpStatus));
		}
		ProviderTransaction transaction = transaction(transactionId, root);
		String status = transaction.status();
		if (CHECK_SUCCESS_CODE.equals(transaction.code()) && "ACCEPTED".equals(status)) {
			if (transaction.amount().isEmpty() || transaction.currency().isEmpty()) {
				return new PaymentCheck.Unknown(transactionId, transaction.code(),
						"ACCEPTED without a readable amount or currency");
			}
			return new PaymentCheck.Accepted(transaction);
		}
		if ("REFUSED".equals(status)) {
			return new PaymentCheck.Refused(transaction);
		}
		if (WAITING.contains(status) || WAITING.contains(transaction.message())) {
			return new PaymentCheck.Pending(transaction);
		}
		return new PaymentCheck.Unknown(transactionId, transaction.code(), transaction.message());
	}

	private static ProviderTransaction transaction(String transactionId, JsonNode root) {
		JsonNode data = root.path("data");
		return new ProviderTransaction(transactionId, text(root, "code"), text(root, "message"),
				text(data, "status").toUpperCase(Locale.ROOT), amount(data.path("amount")), text(data, "currency"),
				text(data, "payment_method"), text(data, "operator_id"), text(data, "metadata"),
				dateTime(text(data, "payment_date")), dateTime(text(data, "fund_availability_date")));
	}

	/** A field as text: strings stripped, numbers written out, absent or null blank. */
	static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (value.isString()) {
			return value.stringValue().strip();
		}
		if (value.isNumber() || value.isBoolean()) {
			return value.asString();
		}
		return "";
	}

	/** Whole XOF from {@code "5000"} or {@code 5000}; empty for anything else. */
	static OptionalLong amount(JsonNode value) {
		String text = value.isString() ? value.stringValue().strip() : value.isNumber() ? value.asString() : "";
		if (text.isEmpty()) {
			return OptionalLong.empty();
		}
		try {
			return OptionalLong.of(new BigDecimal(text).longValueExact());
		}
		catch (NumberFormatException | ArithmeticException ex) {
			return OptionalLong.empty();
		}
	}

	/**
	 * {@code 2022-09-15 22:57:15} as UTC; empty when blank ({@code " "}) or unreadable.
	 */
	static Optional<Instant> dateTime(String text) {
		if (text.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(LocalDateTime.parse(text.strip(), DATE_TIME).toInstant(ZoneOffset.UTC));
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

	private static String unreadable(int httpStatus) {
		return "unreadable answer (HTTP " + httpStatus + ")";
	}

}
