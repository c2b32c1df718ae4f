package ci.monepiceriz.payment.web;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.ordering.PayableOrder;
import ci.monepiceriz.payment.PaymentService;
import ci.monepiceriz.payment.StartOutcome;
import ci.monepiceriz.shared.web.Problem;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Starting a payment and the payer's return page (issue 5). */
@Component
class PaymentHandler {

	static final String REPLAYED = "Idempotent-Replayed";

	private static final int MAX_KEY_LENGTH = 255;

	private final PaymentService payments;

	private final JsonMapper json;

	PaymentHandler(PaymentService payments, JsonMapper json) {
		this.payments = payments;
		this.json = json;
	}

	Mono<ServerResponse> start(ServerRequest request) {
		String number = request.pathVariable("number");
		String key = idempotencyKey(request.headers().firstHeader("Idempotency-Key"));
		return payments.start(number, accessToken(request), key, started -> json.writeValueAsBytes(started))
			.flatMap(outcome -> answer(number, outcome));
	}

	private static Mono<ServerResponse> answer(String number, StartOutcome outcome) {
		if (outcome instanceof StartOutcome.Answered answered) {
			return ServerResponse.status(answered.status())
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.headers(headers -> {
					if (answered.replayed()) {
						headers.set(REPLAYED, "true");
					}
				})
				.bodyValue(answered.body());
		}
		return Mono.error(problem(number, outcome));
	}

	private static Problem problem(String number, StartOutcome outcome) {
		if (outcome instanceof StartOutcome.OrderNotFound) {
			return Problem.of(PaymentProblem.ORDER_NOT_FOUND, number);
		}
		if (outcome instanceof StartOutcome.NotPayable notPayable) {
			if (notPayable.why() == PayableOrder.Payability.ALREADY_PAID) {
				return Problem.of(PaymentProblem.ORDER_ALREADY_PAID, number);
			}
			if (notPayable.why() == PayableOrder.Payability.WINDOW_CLOSED) {
				return Problem.of(PaymentProblem.PAYMENT_WINDOW_CLOSED, number);
			}
			return Problem.of(PaymentProblem.ORDER_NOT_PAYABLE, number);
		}
		if (outcome instanceof StartOutcome.BelowMinimum below) {
			return Problem.of(PaymentProblem.AMOUNT_BELOW_MINIMUM, below.due(), below.minimum());
		}
		if (outcome instanceof StartOutcome.Starting) {
			return Problem.of(PaymentProblem.PAYMENT_STARTING);
		}
		if (outcome instanceof StartOutcome.KeyReused) {
			return Problem.of(PaymentProblem.IDEMPOTENCY_KEY_REUSED);
		}
		if (outcome instanceof StartOutcome.ProviderRefused) {
			return Problem.of(PaymentProblem.PAYMENT_PROVIDER_REFUSED);
		}
		return Problem.of(PaymentProblem.PAYMENT_PROVIDER_UNAVAILABLE);
	}

	/**
	 * The payer's return from the checkout: the attempt's state read from our database.
	 * Never changes anything (cinetpay.md §1.5): only the webhook settles.
	 */
	Mono<ServerResponse> showReturn(ServerRequest request) {
		String transactionId = request.queryParam("transactionId").map(String::strip).orElse("");
		if (transactionId.isEmpty()) {
			return Mono.error(Problem.invalidParameter("transactionId", "paramètre obligatoire", "required parameter"));
		}
		return payments.state(transactionId)
			.switchIfEmpty(Mono.error(() -> Problem.of(PaymentProblem.PAYMENT_NOT_FOUND, transactionId)))
			.flatMap(state -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.bodyValue(state));
	}

	private static String idempotencyKey(String header) {
		String key = header == null ? "" : header.strip();
		if (key.isEmpty()) {
			throw Problem.invalidParameter("Idempotency-Key",
					"en-tête obligatoire : une clé unique par tentative de paiement (par exemple un UUID)",
					"required header: one unique key per payment intent (a UUID, for example)");
		}
		if (key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
			throw Problem.invalidParameter("Idempotency-Key", "de 1 à " + MAX_KEY_LENGTH + " caractères ASCII visibles",
					"1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
		}
		return key;
	}

	/**
	 * The token from {@code Authorization: Bearer}, or the {@code accessToken} parameter.
	 */
	private static String accessToken(ServerRequest request) {
		String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return authorization.substring(7).strip();
		}
		return request.queryParam("accessToken").orElse("");
	}

}
