package ci.monepiceriz.payment.cinetpay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import ci.monepiceriz.payment.Initialisation;
import ci.monepiceriz.payment.PaymentCheck;
import ci.monepiceriz.payment.PaymentProvider;
import ci.monepiceriz.payment.PaymentRequest;
import ci.monepiceriz.payment.Payout;
import ci.monepiceriz.payment.PayoutCheck;
import ci.monepiceriz.payment.PayoutRequest;
import ci.monepiceriz.payment.ReceivedNotification;
import ci.monepiceriz.payment.cinetpay.CinetPayAccessTokens.AccessToken;
import ci.monepiceriz.payment.cinetpay.CinetPayNewApiAnswers.LoginRefused;
import ci.monepiceriz.payment.cinetpay.ProviderCalls.Answer;
import ci.monepiceriz.payment.domain.PaymentDescription;
import ci.monepiceriz.shared.CircuitBreaker;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link PaymentProvider} on CinetPay's new API (cinetpay.md §1.10: Bearer token,
 * per-transaction {@code notify_token}), over a non-blocking {@link WebClient} with the
 * same connect and response timeouts as the legacy adapter.
 * <ul>
 * <li>{@code POST /v1/oauth/login} gets a Bearer token, cached by
 * {@link CinetPayAccessTokens} (about 24 h); a call that CinetPay answers
 * {@code EXPIRED_TOKEN} or {@code INVALID_TOKEN} (or HTTP 401) is sent again once after
 * one new login. That resend is safe even for a payment's creation: CinetPay refused the
 * request before doing anything.
 * <li>{@code POST /v1/payment} (initialise) is otherwise sent once, never retried.
 * <li>{@code GET /v1/payment/{merchant_transaction_id}} (check) is idempotent: retried
 * after a timeout, a connection failure, a 5xx or a 429, with exponential backoff and
 * jitter, {@code check-retries} times.
 * <li>Payouts (refunds, §1.10): {@code POST /v1/transfer} with our payout id as
 * {@code merchant_transaction_id}, {@code GET /v1/transfer/{merchant_transaction_id}} for
 * its status (idempotent, retried like the check). Whether CinetPay refuses a second
 * transfer with one id is not documented for this API, so a send is never retried within
 * a call, and every {@link #payout} first asks whether that id already exists: a send
 * that timed out and is tried again later (by the refund job, same id) is found there
 * instead of sent twice.
 * <li>All go through one {@link CircuitBreaker}; every call is timed
 * ({@code payment.provider.requests},
 * {@code operation=initialise|check|login|payout|payout-check}).
 * <li>Notifications: the {@code notify_token} they carry is compared in constant time
 * with the SHA-256 stored for their transaction at initialisation.
 * </ul>
 * Request bodies carry the credentials and answers carry tokens: neither is logged.
 */
class CinetPayNewApiGateway implements PaymentProvider {

	static final String LOGIN_PATH = "/v1/oauth/login";

	static final String PAYMENT_PATH = "/v1/payment";

	static final String STATUS_PATH = "/v1/payment/{merchantTransactionId}";

	static final String TRANSFER_PATH = "/v1/transfer";

	static final String TRANSFER_STATUS_PATH = "/v1/transfer/{merchantTransactionId}";

	static final String TIMER = CinetPayGateway.TIMER;

	private static final Logger log = LoggerFactory.getLogger(CinetPayNewApiGateway.class);

	private static final String INITIALISE = "initialise";

	private static final String CHECK = "check";

	private static final String LOGIN = "login";

	private static final String PAYOUT = "payout";

	private static final String PAYOUT_CHECK = "payout-check";

	private static final String UNAVAILABLE = ProviderCalls.UNAVAILABLE;

	private final CinetPayProperties properties;

	private final CinetPayNewApiProperties api;

	private final WebClient http;

	private final JsonMapper json;

	private final CinetPayNewApiAnswers answers;

	private final MeterRegistry meters;

	private final ProviderCalls calls;

	private final CinetPayAccessTokens tokens;

	CinetPayNewApiGateway(CinetPayProperties properties, CinetPayNewApiProperties api, WebClient http, JsonMapper json,
			MeterRegistry meters, CircuitBreaker breaker, Clock clock) {
		this.properties = properties;
		this.api = api;
		this.http = http;
		this.json = json;
		this.answers = new CinetPayNewApiAnswers(json);
		this.meters = meters;
		this.calls = new ProviderCalls("CinetPay (new API)", properties, meters, breaker, log);
		this.tokens = new CinetPayAccessTokens(() -> login(clock), clock);
	}

	@Override
	public String api() {
		return "new";
	}

	@Override
	public Mono<Initialisation> initialise(PaymentRequest request) {
		String transactionId = request.transactionId();
		Mono<Initialisation> call = authorised(
				token -> send(HttpMethod.POST, PAYMENT_PATH, paymentBody(request), token))
			.map(answer -> answers.initialisation(transactionId, answer.status(), answer.body()))
			.onErrorResume(LoginRefused.class, refused -> Mono.just(
					new Initialisation.Refused(transactionId, refused.code(), refused.getMessage(), "login refused")));
		return calls.guarded(INITIALISE, transactionId, call, Initialisation.ProviderUnavailable::new,
				CinetPayGateway::initialisationOutcome);
	}

	@Override
	public Mono<PaymentCheck> check(String transactionId) {
		Mono<PaymentCheck> call = Mono
			.defer(() -> authorised(token -> send(HttpMethod.GET, STATUS_PATH, null, token, transactionId)))
			.retryWhen(calls.retries("check of transaction " + transactionId))
			.map(answer -> answers.check(transactionId, answer.status(), answer.body()))
			.onErrorResume(LoginRefused.class, refused -> Mono.just(
					new PaymentCheck.Unknown(transactionId, refused.code(), "login refused: " + refused.getMessage())));
		return calls.guarded(CHECK, transactionId, call, PaymentCheck.ProviderUnavailable::new,
				CinetPayGateway::checkOutcome);
	}

	/**
	 * Sends a payout unless CinetPay already has one with this id (then {@code Sent},
	 * already sent). The send goes once per call: a timed-out one is found by the status
	 * call of the next attempt. A number whose operator cannot be told from its prefix is
	 * refused without a call (the new API wants the method: {@code OM_CI},
	 * {@code MTN_CI}, {@code MOOV_CI}).
	 */
	@Override
	public Mono<Payout> payout(PayoutRequest request) {
		String id = request.payoutId();
		String method = payoutMethod(request.nationalNumber());
		if (method == null) {
			return Mono
				.just(new Payout.Refused(id, "NO_OPERATOR", "no mobile-money operator known for the number's prefix"));
		}
		Mono<Payout> call = transferStatus(id).flatMap(existing -> {
			if (!(existing instanceof PayoutCheck.NotFound)) {
				return Mono.just(alreadyThere(id, existing));
			}
			return authorised(token -> send(HttpMethod.POST, TRANSFER_PATH, transferBody(request, method), token))
				.map(answer -> answers.payout(id, answer.status(), answer.body()));
		})
			.onErrorResume(LoginRefused.class,
					refused -> Mono.just(new Payout.Deferred(id, refused.code(), "login refused")));
		return calls.guarded(PAYOUT, id, call, Payout.ProviderUnavailable::new, CinetPayTransfers::payoutOutcome);
	}

	@Override
	public Mono<PayoutCheck> checkPayout(String payoutId) {
		Mono<PayoutCheck> call = transferStatus(payoutId).onErrorResume(LoginRefused.class,
				refused -> Mono.just(new PayoutCheck.Unknown(payoutId, refused.code(), "login refused")));
		return calls.guarded(PAYOUT_CHECK, payoutId, call, PayoutCheck.ProviderUnavailable::new,
				CinetPayTransfers::checkOutcome);
	}

	private Mono<PayoutCheck> transferStatus(String payoutId) {
		return Mono.defer(() -> authorised(token -> send(HttpMethod.GET, TRANSFER_STATUS_PATH, null, token, payoutId)))
			.retryWhen(calls.retries("transfer status of " + payoutId))
			.map(answer -> answers.payoutCheck(payoutId, answer.status(), answer.body()));
	}

	/**
	 * A payout the status call already knows: sent before (a timed-out send that reached
	 * CinetPay). An answer that says neither yes nor no is not a reason to send: the
	 * refund job tries again later.
	 */
	private static Payout alreadyThere(String id, PayoutCheck existing) {
		if (existing instanceof PayoutCheck.PaidOut paid) {
			return new Payout.Sent(id, paid.providerReference(), true);
		}
		if (existing instanceof PayoutCheck.Rejected || existing instanceof PayoutCheck.InProgress) {
			return new Payout.Sent(id, "", true);
		}
		if (existing instanceof PayoutCheck.Unknown unknown) {
			return new Payout.ProviderUnavailable(id,
					"transfer status unclear before sending: " + unknown.code() + " " + unknown.message());
		}
		if (existing instanceof PayoutCheck.ProviderUnavailable unavailable) {
			return new Payout.ProviderUnavailable(id, unavailable.reason());
		}
		throw new IllegalStateException("a payout CinetPay does not have is sent, not reported: " + existing);
	}

	/**
	 * The new API's payout method for an Ivorian number (10 digits since 2021): 07
	 * Orange, 05 MTN, 01 Moov; null for any other prefix.
	 */
	static String payoutMethod(String nationalNumber) {
		return switch (nationalNumber.substring(0, 2)) {
			case "07" -> "OM_CI";
			case "05" -> "MTN_CI";
			case "01" -> "MOOV_CI";
			default -> null;
		};
	}

	private Map<String, Object> transferBody(PayoutRequest request, String method) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("currency", request.currency());
		body.put("merchant_transaction_id", request.payoutId());
		body.put("phone_number", request.phone());
		body.put("amount", request.amount());
		body.put("payment_method", method);
		body.put("reason", request.reason());
		body.put("notify_url", properties.notifyBaseUrl() + CinetPayTransfers.NOTIFY_PATH);
		return body;
	}

	@Override
	public String notifiedTransaction(ReceivedNotification notification) {
		return notification.field("merchant_transaction_id").strip();
	}

	/**
	 * The notification's {@code notify_token} against the digest stored for its
	 * transaction, in constant time. Any {@code status} in the notification is ignored
	 * (only the check call says what happened).
	 */
	@Override
	public Mono<Boolean> verifiesNotification(ReceivedNotification notification, Mono<String> notificationKey) {
		String received = notification.field("notify_token");
		if (received.isEmpty()) {
			return Mono.just(false);
		}
		byte[] digest = CinetPayNewApiAnswers.digest(received).getBytes(StandardCharsets.US_ASCII);
		return notificationKey.filter(stored -> !stored.isEmpty())
			.map(stored -> MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), digest))
			.defaultIfEmpty(false);
	}

	/**
	 * The call with the cached token; when CinetPay refuses that token, once more with a
	 * new one (whatever it answers then).
	 */
	private Mono<Answer> authorised(Function<AccessToken, Mono<Answer>> call) {
		return tokens.get()
			.flatMap(token -> call.apply(token)
				.flatMap(answer -> answers.tokenRejected(answer.status(), answer.body())
						? tokens.renew(token).flatMap(call) : Mono.just(answer)));
	}

	private Mono<AccessToken> login(Clock clock) {
		Map<String, Object> credentials = new LinkedHashMap<>();
		credentials.put("api_key", api.apiKey());
		credentials.put("api_password", api.apiPassword());
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(meters);
			return send(HttpMethod.POST, LOGIN_PATH, credentials, null)
				.map(answer -> answers.login(answer.status(), answer.body(), api.tokenLifetime(), clock))
				.doOnNext(token -> sample.stop(calls.timer(LOGIN, "ok")))
				.doOnError(LoginRefused.class, refused -> {
					log.error("CinetPay refused our login: {} {} (check CINETPAY_NEW_API_KEY and _PASSWORD)",
							refused.code(), refused.getMessage());
					sample.stop(calls.timer(LOGIN, "refused"));
				})
				.doOnError(failure -> !(failure instanceof LoginRefused),
						failure -> sample.stop(calls.timer(LOGIN, UNAVAILABLE)));
		});
	}

	/** One HTTP exchange, bounded by the attempt timeout; 5xx and 429 are failures. */
	private Mono<Answer> send(HttpMethod method, String path, Map<String, Object> body, AccessToken token,
			Object... pathVariables) {
		WebClient.RequestBodySpec request = http.method(method)
			.uri(path, pathVariables)
			.accept(MediaType.APPLICATION_JSON);
		if (token != null) {
			request = request.headers(headers -> headers.setBearerAuth(token.value()));
		}
		WebClient.RequestHeadersSpec<?> ready = body == null ? request
				: request.contentType(MediaType.APPLICATION_JSON).bodyValue(json.writeValueAsBytes(body));
		return ready
			.exchangeToMono(response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(bytes -> new Answer(response.statusCode().value(), bytes)))
			.timeout(attemptTimeout())
			.flatMap(ProviderCalls::failOnServerError);
	}

	/** A backstop over the connector's timeouts, for one exchange. */
	private Duration attemptTimeout() {
		return properties.connectTimeout().plus(properties.responseTimeout()).plusMillis(500);
	}

	private Map<String, Object> paymentBody(PaymentRequest request) {
		PaymentRequest.Payer payer = request.payer();
		String returnUrl = properties.returnUrl(request.transactionId());
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("currency", PaymentRequest.CURRENCY);
		body.put("merchant_transaction_id", request.transactionId());
		body.put("amount", request.charge().amount());
		body.put("lang", api.lang());
		body.put("designation", PaymentDescription.sanitise(request.description()));
		putIfPresent(body, "client_email", payer.email());
		putIfPresent(body, "client_first_name", payer.firstName());
		putIfPresent(body, "client_last_name", payer.lastName());
		putIfPresent(body, "client_phone_number", payer.phone());
		body.put("success_url", returnUrl);
		body.put("failed_url", returnUrl);
		body.put("notify_url", properties.notifyUrl());
		return body;
	}

	private static void putIfPresent(Map<String, Object> body, String field, String value) {
		if (!value.isBlank()) {
			body.put(field, value.strip());
		}
	}

}
