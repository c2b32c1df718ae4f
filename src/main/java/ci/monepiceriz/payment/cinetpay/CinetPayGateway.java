package ci.monepiceriz.payment.cinetpay;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import ci.monepiceriz.payment.domain.PaymentDescription;
import ci.monepiceriz.payment.cinetpay.ProviderCalls.Answer;
import ci.monepiceriz.payment.domain.XToken;
import ci.monepiceriz.shared.CircuitBreaker;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link PaymentProvider} on CinetPay's legacy Checkout v2 API ({@code apikey} +
 * {@code site_id}, cinetpay.md §1.1, §1.2), over a non-blocking {@link WebClient} with
 * connect and response timeouts (set on its connector, see
 * {@code CinetPayConfiguration}).
 * <ul>
 * <li>{@code POST /v2/payment} (initialise) is sent once, never retried: CinetPay refuses
 * a reused {@code transaction_id} and a timed-out request may have created the payment.
 * <li>{@code POST /v2/payment/check} is idempotent: after a timeout, a connection failure
 * or a 5xx it is retried up to {@code check-retries} times with exponential backoff and
 * jitter.
 * <li>Both go through one {@link CircuitBreaker}: while it is open they answer
 * {@code ProviderUnavailable} at once.
 * <li>Each call (retries included) is timed: {@code payment.provider.requests}, tags
 * {@code provider=cinetpay}, {@code operation=initialise|check}, {@code outcome}.
 * </ul>
 * Payouts go through CinetPay's v1 Transfer API, another host with its own token and
 * circuit: {@link CinetPayTransfers}.
 * <p>
 * Request bodies carry the apikey: they are never logged, and neither are answers.
 */
class CinetPayGateway implements PaymentProvider {

	static final String INITIALISE_PATH = "/v2/payment";

	static final String CHECK_PATH = "/v2/payment/check";

	static final String TIMER = "payment.provider.requests";

	private static final Logger log = LoggerFactory.getLogger(CinetPayGateway.class);

	private static final String INITIALISE = "initialise";

	private static final String CHECK = "check";

	private static final String UNAVAILABLE = ProviderCalls.UNAVAILABLE;

	private final CinetPayProperties properties;

	private final WebClient http;

	private final JsonMapper json;

	private final CinetPayAnswers answers;

	private final ProviderCalls calls;

	private final CinetPayTransfers transfers;

	CinetPayGateway(CinetPayProperties properties, WebClient http, JsonMapper json, MeterRegistry meters,
			CircuitBreaker breaker, CinetPayTransfers transfers) {
		this.transfers = transfers;
		this.properties = properties;
		this.http = http;
		this.json = json;
		this.answers = new CinetPayAnswers(json);
		this.calls = new ProviderCalls("CinetPay", properties, meters, breaker, log);
	}

	@Override
	public Mono<Initialisation> initialise(PaymentRequest request) {
		String transactionId = request.transactionId();
		Mono<Initialisation> call = Mono.defer(() -> post(INITIALISE_PATH, initialisationBody(request)))
			.timeout(attemptTimeout())
			.map(answer -> answers.initialisation(transactionId, answer.status(), answer.body()));
		return calls.guarded(INITIALISE, transactionId, call, Initialisation.ProviderUnavailable::new,
				CinetPayGateway::initialisationOutcome);
	}

	@Override
	public String notifiedTransaction(ReceivedNotification notification) {
		return notification.field("cpm_trans_id").strip();
	}

	/**
	 * The {@code x-token} over the raw form fields, keyed by the Secret Key: the stored
	 * key is never read (nothing is looked up before the signature is checked).
	 */
	@Override
	public Mono<Boolean> verifiesNotification(ReceivedNotification notification, Mono<String> notificationKey) {
		return Mono.fromSupplier(() -> verifies(notification));
	}

	private boolean verifies(ReceivedNotification notification) {
		if (properties.secretKey().isEmpty()) {
			log.error("CinetPay notification cannot be verified: no secret key configured");
			return false;
		}
		return XToken.verifies(properties.secretKey(), notification.fields(), notification.signature());
	}

	@Override
	public String api() {
		return "v2";
	}

	@Override
	public Mono<PaymentCheck> check(String transactionId) {
		Mono<PaymentCheck> call = Mono.defer(() -> post(CHECK_PATH, checkBody(transactionId)))
			.timeout(attemptTimeout())
			.retryWhen(calls.retries("check of transaction " + transactionId))
			.map(answer -> answers.check(transactionId, answer.status(), answer.body()));
		return calls.guarded(CHECK, transactionId, call, PaymentCheck.ProviderUnavailable::new,
				CinetPayGateway::checkOutcome);
	}

	@Override
	public Mono<Payout> payout(PayoutRequest request) {
		return transfers.payout(request);
	}

	@Override
	public Mono<PayoutCheck> checkPayout(String payoutId) {
		return transfers.checkPayout(payoutId);
	}

	private Mono<Answer> post(String path, Map<String, Object> body) {
		return http.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(json.writeValueAsBytes(body))
			.exchangeToMono(response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(bytes -> new Answer(response.statusCode().value(), bytes)))
			.flatMap(ProviderCalls::failOnServerError);
	}

	/** A backstop over the connector's timeouts, for one attempt. */
	private Duration attemptTimeout() {
		return properties.connectTimeout().plus(properties.responseTimeout()).plusMillis(500);
	}

	private Map<String, Object> initialisationBody(PaymentRequest request) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("apikey", properties.apiKey());
		body.put("site_id", properties.siteId());
		body.put("transaction_id", request.transactionId());
		body.put("amount", request.charge().amount());
		body.put("currency", PaymentRequest.CURRENCY);
		body.put("description", PaymentDescription.sanitise(request.description()));
		body.put("notify_url", properties.notifyUrl());
		body.put("return_url", properties.returnUrl(request.transactionId()));
		body.put("channels", properties.channels());
		body.put("lang", "fr");
		body.put("metadata", request.orderNumber());
		PaymentRequest.Payer payer = request.payer();
		putIfPresent(body, "customer_name", payer.lastName());
		putIfPresent(body, "customer_surname", payer.firstName());
		putIfPresent(body, "customer_phone_number", payer.phone());
		putIfPresent(body, "customer_email", payer.email());
		body.put("customer_country", "CI");
		return body;
	}

	private Map<String, Object> checkBody(String transactionId) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("apikey", properties.apiKey());
		body.put("site_id", properties.siteId());
		body.put("transaction_id", transactionId);
		return body;
	}

	private static void putIfPresent(Map<String, Object> body, String field, String value) {
		if (!value.isBlank()) {
			body.put(field, value.strip());
		}
	}

	static String initialisationOutcome(Initialisation outcome) {
		if (outcome instanceof Initialisation.Initialised) {
			return "initialised";
		}
		if (outcome instanceof Initialisation.Refused) {
			return "refused";
		}
		return UNAVAILABLE;
	}

	static String checkOutcome(PaymentCheck outcome) {
		if (outcome instanceof PaymentCheck.Accepted) {
			return "accepted";
		}
		if (outcome instanceof PaymentCheck.Refused) {
			return "refused";
		}
		if (outcome instanceof PaymentCheck.Pending) {
			return "pending";
		}
		if (outcome instanceof PaymentCheck.Unknown) {
			return "unknown";
		}
		return UNAVAILABLE;
	}

}
