package ci.monepiceriz.payment.web;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.payment.Notification;
import ci.monepiceriz.payment.PaymentSettlement;
import ci.monepiceriz.payment.ReceivedNotification;
import ci.monepiceriz.payment.RefundPayouts;
import ci.monepiceriz.shared.web.CommonProblem;
import ci.monepiceriz.shared.web.Problem;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CinetPay's payment notifications, one endpoint for both API generations (the configured
 * adapter knows its own): a form (legacy Checkout v2, cinetpay.md §1.4; the new API may
 * send one too) or a JSON object (the new API, §1.10). The notification is verified
 * before anything else (legacy: the {@code x-token} header; new: its {@code notify_token}
 * against the digest stored for its transaction), then it only names a transaction; what
 * happened to it is asked of CinetPay ({@link PaymentSettlement}): a status in the body
 * is never read. Answers 200 whenever the notification was handled (an unknown
 * transaction included, so CinetPay stops retrying it), 401 when it cannot be verified,
 * 503 when CinetPay's check is down (so that CinetPay retries).
 */
@Component
class WebhookHandler {

	/** A separate logger, so that security events can be routed and alerted on. */
	private static final Logger security = LoggerFactory.getLogger("security");

	private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);

	static final String TOKEN_HEADER = "x-token";

	/** The new API's per-transaction credential, in the body. */
	static final String NOTIFY_TOKEN = "notify_token";

	private final PaymentSettlement settlement;

	private final RefundPayouts refunds;

	private final JsonMapper json;

	WebhookHandler(PaymentSettlement settlement, RefundPayouts refunds, JsonMapper json) {
		this.settlement = settlement;
		this.refunds = refunds;
		this.json = json;
	}

	/** CinetPay's availability ping. */
	Mono<ServerResponse> ping(ServerRequest request) {
		return ServerResponse.ok().build();
	}

	Mono<ServerResponse> notify(ServerRequest request) {
		return received(request).flatMap(notification -> settlement.verifies(notification)
			.flatMap(verified -> verified ? handle(notification) : rejected(request, notification)));
	}

	private Mono<ServerResponse> handle(ReceivedNotification notification) {
		String transactionId = settlement.transactionOf(notification);
		if (transactionId.isEmpty()) {
			log.warn("Verified CinetPay notification naming no transaction: ignored");
			return ServerResponse.ok().build();
		}
		return settlement.notified(transactionId).flatMap(WebhookHandler::answer);
	}

	private Mono<ServerResponse> rejected(ServerRequest request, ReceivedNotification notification) {
		boolean missing = notification.signature() == null && notification.field(NOTIFY_TOKEN).isEmpty();
		security.warn("Rejected a CinetPay notification with a {} x-token or notify_token from {} (transaction {})",
				missing ? "missing" : "invalid", request.remoteAddress().map(Object::toString).orElse("?"),
				printable(settlement.transactionOf(notification)));
		return Mono.error(Problem.of(PaymentProblem.WEBHOOK_SIGNATURE_INVALID));
	}

	/**
	 * CinetPay's transfer (payout) notifications (cinetpay.md §1.7, §1.10): unsigned, so
	 * only our payout id is read ({@code client_transaction_id} from the v1 Transfer API,
	 * {@code merchant_transaction_id} from the new API; a form or a JSON object), and it
	 * only makes the refund be checked with CinetPay now
	 * ({@link RefundPayouts#notified}). Always 200 (CinetPay's retries of a transfer
	 * notification are undocumented, and the payout job polls anyway), within
	 * {@link #TRANSFER_CHECK_BUDGET}: past it the check goes on and the answer is 200.
	 */
	Mono<ServerResponse> transferNotified(ServerRequest request) {
		return received(request).flatMap(notification -> {
			String named = notification.field("client_transaction_id");
			String payoutId = (named.isBlank() ? notification.field("merchant_transaction_id") : named).strip();
			if (!PAYOUT_ID.matcher(payoutId).matches()) {
				log.warn("Transfer notification without a usable payout id ({}): ignored", printable(payoutId));
				return ServerResponse.ok().build();
			}
			return refunds.notified(payoutId)
				.timeout(TRANSFER_CHECK_BUDGET, Mono.just("answered-before-the-check-ended"))
				.doOnNext(outcome -> log.info("Transfer notification for {}: {}", payoutId, outcome))
				.then(ServerResponse.ok().build());
		});
	}

	/** What our payout ids look like (an order number, -R, 8 characters). */
	private static final java.util.regex.Pattern PAYOUT_ID = java.util.regex.Pattern.compile("[A-Z0-9-]{8,64}");

	static final java.time.Duration TRANSFER_CHECK_BUDGET = java.time.Duration.ofSeconds(8);

	private static Mono<ServerResponse> answer(Notification outcome) {
		if (outcome instanceof Notification.ProviderUnavailable) {
			return Mono.error(Problem.of(PaymentProblem.WEBHOOK_CHECK_UNAVAILABLE));
		}
		return ServerResponse.ok().build();
	}

	/** The notification's fields, from a JSON object or a form, with its x-token. */
	private Mono<ReceivedNotification> received(ServerRequest request) {
		String signature = request.headers().firstHeader(TOKEN_HEADER);
		boolean isJson = request.headers()
			.contentType()
			.map(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json"))
			.orElse(false);
		if (isJson) {
			return request.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(body -> new ReceivedNotification(jsonFields(body), signature));
		}
		return request.formData().map(form -> new ReceivedNotification(firstValues(form), signature));
	}

	/**
	 * A JSON object's top-level fields as text (strings as received, numbers and booleans
	 * written out); nested values are not notification fields and are left out. Anything
	 * but a JSON object is a malformed request (400), verified by nobody.
	 */
	private Map<String, String> jsonFields(byte[] body) {
		JsonNode root;
		try {
			root = body.length == 0 ? null : json.readTree(body);
		}
		catch (JacksonException unreadable) {
			root = null;
		}
		if (root == null || !root.isObject()) {
			throw Problem.of(CommonProblem.MALFORMED_REQUEST);
		}
		Map<String, String> fields = new HashMap<>();
		for (Map.Entry<String, JsonNode> field : root.properties()) {
			JsonNode value = field.getValue();
			if (value.isString()) {
				fields.put(field.getKey(), value.stringValue());
			}
			else if (value.isNumber() || value.isBoolean()) {
				fields.put(field.getKey(), value.asString());
			}
		}
		return fields;
	}

	/** The raw (decoded, not reformatted) value of each field: the x-token signs them. */
	private static Map<String, String> firstValues(MultiValueMap<String, String> form) {
		Map<String, String> values = new HashMap<>();
		form.forEach((name, list) -> values.put(name, list.isEmpty() || list.get(0) == null ? "" : list.get(0)));
		return values;
	}

	/** A received id made safe to log (no line breaks, bounded). */
	private static String printable(String value) {
		if (value == null || value.isEmpty()) {
			return "-";
		}
		String cleaned = value.replaceAll("[^A-Za-z0-9-]", "?");
		return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
	}

}
