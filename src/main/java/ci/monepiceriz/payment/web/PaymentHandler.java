package ci.monepiceriz.payment.web;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.ordering.PayableOrder;
import ci.monepiceriz.payment.PaymentService;
import ci.monepiceriz.payment.PaymentState;
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
	 * The payer's return from the checkout, as a link ({@code GET}) or as CinetPay's
	 * {@code POST} to the return URL (a form): the attempt's state read from our
	 * database. Never changes anything (cinetpay.md §1.5): only the webhook and
	 * reconciliation settle, so whatever else the request claims (a status, an amount) is
	 * ignored.
	 */
	Mono<ServerResponse> showReturn(ServerRequest request) {
		return show(ReturnParameters.of(request.queryParams()));
	}

	/**
	 * {@link #showReturn}, for CinetPay's POST: the query (our return URL's
	 * {@code transactionId}) first, then the form.
	 */
	Mono<ServerResponse> showPostedReturn(ServerRequest request) {
		return request.formData().map(form -> {
			// new lists: the request's own maps are read-only
			MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
			parameters.addAll(request.queryParams());
			parameters.addAll(form);
			return ReturnParameters.of(parameters);
		}).flatMap(this::show);
	}

	private Mono<ServerResponse> show(ReturnParameters parameters) {
		if (parameters.isEmpty()) {
			return Mono.error(Problem.invalidParameter("transactionId",
					"paramètre obligatoire (transactionId, transaction_id, cpm_trans_id ou token)",
					"required parameter (transactionId, transaction_id, cpm_trans_id or token)"));
		}
		Mono<PaymentState> state = parameters.transactionId().isEmpty()
				? payments.stateByPaymentToken(parameters.paymentToken()) : payments.state(parameters.transactionId());
		String shown = parameters.transactionId().isEmpty() ? parameters.paymentToken() : parameters.transactionId();
		return state.switchIfEmpty(Mono.error(() -> Problem.of(PaymentProblem.PAYMENT_NOT_FOUND, printable(shown))))
			.flatMap(found -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.bodyValue(found));
	}

	/** A received id made safe to repeat in a problem's detail (bounded, plain). */
	private static String printable(String value) {
		String cleaned = value.replaceAll("[^A-Za-z0-9._~-]", "?");
		return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
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
