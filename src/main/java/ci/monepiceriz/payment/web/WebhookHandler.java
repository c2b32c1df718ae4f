package ci.monepiceriz.payment.web;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.payment.Notification;
import ci.monepiceriz.payment.PaymentSettlement;
import ci.monepiceriz.payment.RefundPayouts;
import ci.monepiceriz.shared.web.Problem;
import reactor.core.publisher.Mono;

/**
 * CinetPay's payment notifications (legacy Checkout v2, cinetpay.md §1.4): the
 * {@code x-token} is verified before anything else, then the notification only names a
 * transaction; what happened to it is asked of CinetPay ({@link PaymentSettlement}).
 * Answers 200 whenever the notification was handled (an unknown transaction included, so
 * CinetPay stops retrying it), 401 for a bad signature, 503 when CinetPay's check is down
 * (so that CinetPay retries).
 */
@Component
class WebhookHandler {

	/** A separate logger, so that security events can be routed and alerted on. */
	private static final Logger security = LoggerFactory.getLogger("security");

	private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);

	static final String TOKEN_HEADER = "x-token";

	private final PaymentSettlement settlement;

	private final RefundPayouts refunds;

	WebhookHandler(PaymentSettlement settlement, RefundPayouts refunds) {
		this.settlement = settlement;
		this.refunds = refunds;
	}

	/** CinetPay's availability ping. */
	Mono<ServerResponse> ping(ServerRequest request) {
		return ServerResponse.ok().build();
	}

	Mono<ServerResponse> notify(ServerRequest request) {
		return request.formData().map(WebhookHandler::firstValues).flatMap(form -> {
			if (!settlement.verifies(form, request.headers().firstHeader(TOKEN_HEADER))) {
				security.warn("Rejected a CinetPay notification with a {} x-token from {} (transaction {})",
						request.headers().firstHeader(TOKEN_HEADER) == null ? "missing" : "invalid",
						request.remoteAddress().map(Object::toString).orElse("?"), printable(form.get("cpm_trans_id")));
				return Mono.error(Problem.of(PaymentProblem.WEBHOOK_SIGNATURE_INVALID));
			}
			String transactionId = form.getOrDefault("cpm_trans_id", "").strip();
			if (transactionId.isEmpty()) {
				log.warn("Signed CinetPay notification without cpm_trans_id: ignored");
				return ServerResponse.ok().build();
			}
			return settlement.notified(transactionId).flatMap(WebhookHandler::answer);
		});
	}

	/**
	 * CinetPay's transfer (payout) notifications (cinetpay.md §1.7): unsigned, so only
	 * {@code client_transaction_id} is read, and it only makes the refund be checked with
	 * CinetPay now ({@link RefundPayouts#notified}). Always 200 (CinetPay's retries of a
	 * transfer notification are undocumented, and the payout job polls anyway), within
	 * {@link #TRANSFER_CHECK_BUDGET}: past it the check goes on and the answer is 200.
	 */
	Mono<ServerResponse> transferNotified(ServerRequest request) {
		return request.formData().flatMap(form -> {
			String payoutId = form.getFirst("client_transaction_id");
			if (payoutId == null || !PAYOUT_ID.matcher(payoutId.strip()).matches()) {
				log.warn("Transfer notification without a usable client_transaction_id ({}): ignored",
						printable(payoutId));
				return ServerResponse.ok().build();
			}
			return refunds.notified(payoutId.strip())
				.timeout(TRANSFER_CHECK_BUDGET, Mono.just("answered-before-the-check-ended"))
				.doOnNext(outcome -> log.info("Transfer notification for {}: {}", payoutId.strip(), outcome))
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

	/** The raw (decoded, not reformatted) value of each field: the x-token signs them. */
	private static Map<String, String> firstValues(MultiValueMap<String, String> form) {
		Map<String, String> values = new HashMap<>();
		form.forEach((name, list) -> values.put(name, list.isEmpty() ? "" : list.get(0)));
		return values;
	}

	/** A received id made safe to log (no line breaks, bounded). */
	private static String printable(String value) {
		if (value == null) {
			return "-";
		}
		String cleaned = value.replaceAll("[^A-Za-z0-9-]", "?");
		return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
	}

}
