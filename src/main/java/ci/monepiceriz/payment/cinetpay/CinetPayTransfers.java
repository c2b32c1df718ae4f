package ci.monepiceriz.payment.cinetpay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import ci.monepiceriz.payment.Payout;
import ci.monepiceriz.payment.PayoutCheck;
import ci.monepiceriz.payment.PayoutRequest;
import ci.monepiceriz.payment.cinetpay.ProviderCalls.Answer;
import ci.monepiceriz.shared.CircuitBreaker;
import ci.monepiceriz.shared.JsonBodies;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Payouts through CinetPay's v1 Transfer API (cinetpay.md §1.7), the payout half of
 * {@link CinetPayGateway}. Form-encoded requests on a {@link WebClient} of its own
 * (connect and response timeouts from {@code shop.payment.cinetpay.*}).
 * <ul>
 * <li>{@code POST /auth/login} (apikey + API password) gives a token CinetPay keeps 5
 * minutes: it is reused for {@code token-lifetime} (below that) by the injected clock,
 * and fetched again at once when CinetPay calls it expired or invalid (705, 706, 707).
 * <li>A payout adds the number as a contact first ({@code POST /transfer/contact}; 726
 * "already a contact" is fine), then sends ({@code POST /transfer/money/send/contact})
 * with our payout id as {@code client_transaction_id}: CinetPay refuses a second transfer
 * with it (805), read as "already sent". So every call here is idempotent, and each is
 * retried after a timeout, a connection failure or a 5xx ({@code check-retries} times,
 * exponential backoff with jitter), the send included.
 * <li>{@code GET /transfer/check/money} by {@code client_transaction_id}: {@code VAL} and
 * {@code REJ} are final, {@code NEW}, {@code REC}, {@code NOS} in progress.
 * <li>Answers are read defensively: {@code code} is a number on success and a string on
 * errors, {@code data} an array or an object (integrators disagree).
 * <li>A circuit breaker of its own (the Transfer API is another host than the checkout);
 * every call is timed as {@code payment.provider.requests} with
 * {@code operation=payout|payout-check}.
 * </ul>
 * Neither the token, the apikey nor the password is ever logged, nor any body.
 */
final class CinetPayTransfers {

	static final String LOGIN_PATH = "/auth/login";

	static final String CONTACT_PATH = "/transfer/contact";

	static final String SEND_PATH = "/transfer/money/send/contact";

	static final String CHECK_PATH = "/transfer/check/money";

	/** Where CinetPay posts transfer notifications, on our public base URL. */
	static final String NOTIFY_PATH = "/api/webhooks/cinetpay/transfers";

	private static final Logger log = LoggerFactory.getLogger(CinetPayTransfers.class);

	private static final String PAYOUT = "payout";

	private static final String PAYOUT_CHECK = "payout-check";

	private static final String UNAVAILABLE = ProviderCalls.UNAVAILABLE;

	private static final String SUCCESS = "0";

	private static final String ALREADY_A_CONTACT = "726";

	private static final String CLIENT_TRANSACTION_ID_EXISTS = "805";

	private static final String NOT_FOUND = "723";

	/** Expired, invalid or unrefreshable token: log in again. */
	private static final Set<String> TOKEN_REJECTED = Set.of("705", "706", "707");

	/**
	 * Refusals about the payee or the amount, which no retry changes (cinetpay.md §1.7):
	 * not a particular's number, amount too small or too large, invalid amount, invalid
	 * phone. Everything else (602 payout balance short, 721/804 operator unavailable, 724
	 * not yet a contact, -1, 709, 710, 715 errors, ...) is tried again later.
	 */
	static final Set<String> PERMANENT_REFUSALS = Set.of("717", "719", "720", "801", "802");

	private static final Set<String> IN_PROGRESS = Set.of("NEW", "REC", "NOS");

	private final CinetPayProperties properties;

	private final CinetPayTransferProperties transfer;

	private final WebClient http;

	private final JsonMapper json;

	private final ProviderCalls calls;

	private final Clock clock;

	private final AtomicReference<Token> token = new AtomicReference<>();

	CinetPayTransfers(CinetPayProperties properties, CinetPayTransferProperties transfer, WebClient http,
			JsonMapper json, MeterRegistry meters, CircuitBreaker breaker, Clock clock) {
		this.properties = properties;
		this.transfer = transfer;
		this.http = http;
		this.json = json;
		this.calls = new ProviderCalls("CinetPay's Transfer API", properties, meters, breaker, log,
				failure -> failure instanceof TokenRejected || failure instanceof LoginRefused,
				CinetPayTransfers::ownReason);
		this.clock = clock;
	}

	// --- the port's calls

	Mono<Payout> payout(PayoutRequest request) {
		String id = request.payoutId();
		Mono<Payout> call = authenticated(token -> addContact(token, request)
			.flatMap(refusal -> refusal.isEmpty() ? send(token, request) : Mono.just(refusal.get().apply(id))));
		return calls.guarded(PAYOUT, id, call, Payout.ProviderUnavailable::new, CinetPayTransfers::payoutOutcome);
	}

	Mono<PayoutCheck> checkPayout(String payoutId) {
		Mono<PayoutCheck> call = authenticated(token -> check(token, payoutId));
		return calls.guarded(PAYOUT_CHECK, payoutId, call, PayoutCheck.ProviderUnavailable::new,
				CinetPayTransfers::checkOutcome);
	}

	// --- the token

	/** A login token: CinetPay's, obtained at {@code obtainedAt}. */
	private record Token(String value, Instant obtainedAt) {
	}

	/**
	 * {@code call} with a valid token; when CinetPay says the token is expired or
	 * invalid, once more with a fresh one. Two calls finding the token stale at once may
	 * both log in: harmless, both tokens are valid.
	 */
	private <T> Mono<T> authenticated(Function<Token, Mono<T>> call) {
		return token().flatMap(call).onErrorResume(TokenRejected.class, rejected -> {
			token.compareAndSet(rejected.token, null);
			log.info("CinetPay transfer token refused ({}): logging in again", rejected.code);
			return token().flatMap(call);
		});
	}

	private Mono<Token> token() {
		return Mono.defer(() -> {
			Token current = token.get();
			if (current != null && clock.instant().isBefore(current.obtainedAt().plus(transfer.tokenLifetime()))) {
				return Mono.just(current);
			}
			return login().doOnNext(token::set);
		});
	}

	private Mono<Token> login() {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("apikey", properties.apiKey());
		form.add("password", transfer.apiPassword());
		return post(LOGIN_PATH, null, form).map(answer -> {
			JsonNode root = JsonBodies.object(json, answer.body());
			String code = root == null ? "" : CinetPayAnswers.text(root, "code");
			String value = root == null ? "" : CinetPayAnswers.text(root.path("data"), "token");
			if (!SUCCESS.equals(code) || value.isEmpty()) {
				String message = root == null ? "unreadable answer (HTTP " + answer.status() + ")"
						: CinetPayAnswers.text(root, "message");
				log.error("CinetPay transfer login refused: {} {} (check the apikey and CINETPAY_API_PASSWORD)", code,
						message);
				throw new LoginRefused(code + " " + message);
			}
			return new Token(value, clock.instant());
		});
	}

	// --- the steps

	/**
	 * Adds the number to the merchant's contacts (a transfer goes to contacts only);
	 * empty when it is one now (726, already one, included), else the payout's outcome.
	 */
	private Mono<Optional<Function<String, Payout>>> addContact(Token token, PayoutRequest request) {
		Map<String, Object> contact = new LinkedHashMap<>();
		contact.put("prefix", request.countryCode());
		contact.put("phone", request.nationalNumber());
		String[] names = names(request.recipientName());
		contact.put("name", names[1]);
		contact.put("surname", names[0]);
		contact.put("email", "");
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("data", json.writeValueAsString(List.of(contact)));
		return post(CONTACT_PATH, token.value(), form).map(answer -> {
			JsonNode root = answered(answer, token);
			String code = CinetPayAnswers.text(root, "code");
			if (ALREADY_A_CONTACT.equals(code)) {
				return Optional.empty();
			}
			if (!SUCCESS.equals(code)) {
				return Optional.of(refusal(code, CinetPayAnswers.text(root, "message")));
			}
			// per contact: 0 added, 726 already one, anything else a refusal
			for (JsonNode item : items(root.path("data"))) {
				String itemCode = CinetPayAnswers.text(item, "code");
				if (!itemCode.isEmpty() && !SUCCESS.equals(itemCode) && !ALREADY_A_CONTACT.equals(itemCode)) {
					String message = CinetPayAnswers.text(item, "status");
					return Optional
						.of(refusal(itemCode, message.isEmpty() ? CinetPayAnswers.text(item, "message") : message));
				}
			}
			return Optional.empty();
		});
	}

	private Mono<Payout> send(Token token, PayoutRequest request) {
		String id = request.payoutId();
		Map<String, Object> transferData = new LinkedHashMap<>();
		transferData.put("prefix", request.countryCode());
		transferData.put("phone", request.nationalNumber());
		transferData.put("amount", request.amount());
		transferData.put("notify_url", properties.notifyBaseUrl() + NOTIFY_PATH);
		transferData.put("client_transaction_id", id);
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("data", json.writeValueAsString(List.of(transferData)));
		return post(SEND_PATH, token.value(), form).map(answer -> {
			JsonNode root = answered(answer, token);
			String code = CinetPayAnswers.text(root, "code");
			String message = CinetPayAnswers.text(root, "message");
			if (SUCCESS.equals(code)) {
				JsonNode item = first(root.path("data"));
				String itemCode = CinetPayAnswers.text(item, "code");
				if (!itemCode.isEmpty() && !SUCCESS.equals(itemCode)) {
					code = itemCode;
					message = CinetPayAnswers.text(item, "message");
				}
				else {
					return new Payout.Sent(id, CinetPayAnswers.text(item, "transaction_id"), false);
				}
			}
			if (CLIENT_TRANSACTION_ID_EXISTS.equals(code)) {
				log.info("CinetPay transfer {} was already sent (805): following it", id);
				return new Payout.Sent(id, "", true);
			}
			return refusal(code, message).apply(id);
		});
	}

	private Mono<PayoutCheck> check(Token token, String payoutId) {
		return get(CHECK_PATH, token.value(), payoutId).map(answer -> {
			JsonNode root = answered(answer, token);
			String code = CinetPayAnswers.text(root, "code");
			if (NOT_FOUND.equals(code)) {
				return new PayoutCheck.NotFound(payoutId);
			}
			if (!SUCCESS.equals(code)) {
				return new PayoutCheck.Unknown(payoutId, code, CinetPayAnswers.text(root, "message"));
			}
			JsonNode item = first(root.path("data"));
			if (item.isMissingNode() || item.isEmpty()) {
				return new PayoutCheck.NotFound(payoutId);
			}
			String echoed = CinetPayAnswers.text(item, "client_transaction_id");
			if (!echoed.isEmpty() && !echoed.equals(payoutId)) {
				return new PayoutCheck.Unknown(payoutId, code, "answer about another transfer");
			}
			String status = CinetPayAnswers.text(item, "treatment_status").toUpperCase(Locale.ROOT);
			if ("VAL".equals(status)) {
				return new PayoutCheck.PaidOut(payoutId, CinetPayAnswers.text(item, "transaction_id"),
						CinetPayAnswers.text(item, "operator_transaction_id"));
			}
			if ("REJ".equals(status)) {
				return new PayoutCheck.Rejected(payoutId, status, CinetPayAnswers.text(item, "comment"));
			}
			if (IN_PROGRESS.contains(status)) {
				return new PayoutCheck.InProgress(payoutId, status);
			}
			return new PayoutCheck.Unknown(payoutId, code, "treatment_status " + status);
		});
	}

	/** The answer's JSON; a token refusal becomes {@link TokenRejected}. */
	private JsonNode answered(Answer answer, Token token) {
		JsonNode root = JsonBodies.object(json, answer.body());
		if (root == null) {
			return json.createObjectNode()
				.put("code", "")
				.put("message", "unreadable answer (HTTP " + answer.status() + ")");
		}
		String code = CinetPayAnswers.text(root, "code");
		if (TOKEN_REJECTED.contains(code)) {
			throw new TokenRejected(token, code);
		}
		return root;
	}

	private static Function<String, Payout> refusal(String code, String message) {
		if (PERMANENT_REFUSALS.contains(code)) {
			return id -> new Payout.Refused(id, code, message);
		}
		return id -> new Payout.Deferred(id, code, message);
	}

	/**
	 * The first object of {@code data}: itself when an object, else its first element.
	 */
	private static JsonNode first(JsonNode data) {
		List<JsonNode> items = items(data);
		return items.isEmpty() ? MissingNode.getInstance() : items.get(0);
	}

	/** The objects in {@code data}: itself, or those of (nested) arrays. */
	private static List<JsonNode> items(JsonNode data) {
		List<JsonNode> items = new ArrayList<>();
		if (data.isObject()) {
			items.add(data);
		}
		else if (data.isArray()) {
			for (JsonNode element : data) {
				items.addAll(items(element));
			}
		}
		return items;
	}

	private static String[] names(String name) {
		String full = name.strip();
		int space = full.indexOf(' ');
		return space < 0 ? new String[] { full, full }
				: new String[] { full.substring(0, space), full.substring(space + 1).strip() };
	}

	// --- HTTP

	private Mono<Answer> post(String path, String token, MultiValueMap<String, String> form) {
		return Mono
			.defer(() -> http.post()
				.uri(builder -> token == null ? builder.path(path).queryParam("lang", "fr").build()
						: builder.path(path).queryParam("token", token).queryParam("lang", "fr").build())
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.APPLICATION_JSON)
				.body(BodyInserters.fromFormData(form))
				.exchangeToMono(CinetPayTransfers::answer))
			.flatMap(ProviderCalls::failOnServerError)
			.timeout(attemptTimeout())
			.retryWhen(calls.retries("call " + path));
	}

	private Mono<Answer> get(String path, String token, String payoutId) {
		return Mono
			.defer(() -> http.get()
				.uri(builder -> builder.path(path)
					.queryParam("token", token)
					.queryParam("client_transaction_id", payoutId)
					.queryParam("lang", "fr")
					.build())
				.accept(MediaType.APPLICATION_JSON)
				.exchangeToMono(CinetPayTransfers::answer))
			.flatMap(ProviderCalls::failOnServerError)
			.timeout(attemptTimeout())
			.retryWhen(calls.retries("call " + path));
	}

	private static Mono<Answer> answer(org.springframework.web.reactive.function.client.ClientResponse response) {
		return response.bodyToMono(byte[].class)
			.defaultIfEmpty(new byte[0])
			.map(bytes -> new Answer(response.statusCode().value(), bytes));
	}

	private Duration attemptTimeout() {
		return properties.connectTimeout().plus(properties.responseTimeout()).plusMillis(500);
	}

	static String payoutOutcome(Payout outcome) {
		if (outcome instanceof Payout.Sent sent) {
			return sent.alreadySent() ? "already-sent" : "sent";
		}
		if (outcome instanceof Payout.Refused) {
			return "refused";
		}
		if (outcome instanceof Payout.Deferred) {
			return "deferred";
		}
		return UNAVAILABLE;
	}

	static String checkOutcome(PayoutCheck outcome) {
		if (outcome instanceof PayoutCheck.PaidOut) {
			return "paid-out";
		}
		if (outcome instanceof PayoutCheck.Rejected) {
			return "rejected";
		}
		if (outcome instanceof PayoutCheck.InProgress) {
			return "in-progress";
		}
		if (outcome instanceof PayoutCheck.NotFound) {
			return "not-found";
		}
		if (outcome instanceof PayoutCheck.Unknown) {
			return "unknown";
		}
		return UNAVAILABLE;
	}

	/** How a token or login refusal is described; null for any other failure. */
	private static String ownReason(Throwable failure) {
		if (failure instanceof TokenRejected rejected) {
			return "token refused twice (" + rejected.code + ")";
		}
		if (failure instanceof LoginRefused refused) {
			return "login refused: " + refused.getMessage();
		}
		return null;
	}

	/** CinetPay called the token expired or invalid. */
	private static final class TokenRejected extends RuntimeException {

		private final transient Token token;

		private final String code;

		TokenRejected(Token token, String code) {
			super("token refused: " + code, null, false, false);
			this.token = token;
			this.code = code;
		}

	}

	/** CinetPay refused the apikey and password (a configuration problem). */
	private static final class LoginRefused extends RuntimeException {

		LoginRefused(String codeAndMessage) {
			super(codeAndMessage, null, false, false);
		}

	}

}
