package ci.monepiceriz.payment;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.PayableOrder;
import ci.monepiceriz.payment.domain.Charge;
import ci.monepiceriz.payment.domain.ChargeDecision;
import ci.monepiceriz.payment.persistence.R2dbcPaymentAttempts;
import ci.monepiceriz.payment.persistence.R2dbcPaymentAttempts.Attempt;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.idempotency.IdempotencyKeys;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Mono;

/**
 * The payment module's API: starting to pay an order on the provider's hosted checkout,
 * and reading an attempt's state.
 * <p>
 * Starting is two short transactions around the provider's call, which never runs with a
 * database connection held: the first claims the idempotency key, locks the order's row
 * (two starts of one order take turns), checks that the order can be paid, and either
 * answers the order's open attempt or writes a new STARTING one (and the order's rounding
 * discount); after it commits, the provider is called; the second records its answer (the
 * attempt OPEN with its URL, or FAILED) with the key's answer.
 */
@Service
public class PaymentService {

	private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

	static final String IDEMPOTENCY_SCOPE = "payments";

	/**
	 * A STARTING attempt older than this has lost its request (an instance died between
	 * the two transactions): it is marked FAILED and replaced. Well above the provider's
	 * timeouts.
	 */
	static final Duration STARTING_ABANDONED_AFTER = Duration.ofMinutes(2);

	static final String PROVIDER = "CINETPAY";

	/**
	 * What our transaction ids look like: an order number, '-', random letters/digits.
	 */
	private static final Pattern TRANSACTION_ID = Pattern.compile("[A-Z0-9-]{8,64}");

	/**
	 * What a CinetPay payment token can look like (letters, digits and a few separators):
	 * anything else is not looked up.
	 */
	private static final Pattern PAYMENT_TOKEN = Pattern.compile("[A-Za-z0-9._~-]{1,200}");

	private final Transactions transactions;

	private final IdempotencyKeys idempotency;

	private final OrderingService ordering;

	private final R2dbcPaymentAttempts attempts;

	private final PaymentProvider provider;

	private final Clock clock;

	PaymentService(Transactions transactions, IdempotencyKeys idempotency, OrderingService ordering,
			R2dbcPaymentAttempts attempts, PaymentProvider provider, Clock clock) {
		this.transactions = transactions;
		this.idempotency = idempotency;
		this.ordering = ordering;
		this.attempts = attempts;
		this.provider = provider;
		this.clock = clock;
	}

	// --- starting ---------------------------------------------------------------------

	/**
	 * Starts paying order {@code number} for the holder of its {@code accessToken}; the
	 * answer's body is {@code render}ed once and kept with {@code idempotencyKey}.
	 */
	public Mono<StartOutcome> start(String number, String accessToken, String idempotencyKey,
			Function<PaymentStarted, byte[]> render) {
		return ordering.payable(number, accessToken)
			.flatMap(found -> begin(number, idempotencyKey, render))
			.switchIfEmpty(Mono.fromSupplier(StartOutcome.OrderNotFound::new));
	}

	/** What the first transaction decided. */
	private sealed interface Decision {

	}

	/** Answer this; the provider is not called. */
	private record Done(StartOutcome outcome) implements Decision {
	}

	/** A STARTING attempt was committed: call the provider for it. */
	private record Call(Attempt attempt, PaymentRequest request) implements Decision {
	}

	private Mono<StartOutcome> begin(String number, String key, Function<PaymentStarted, byte[]> render) {
		byte[] hash = Tokens.sha256("start-payment " + number);
		return transactions.inTransaction(idempotency.claim(IDEMPOTENCY_SCOPE, key, hash).flatMap(claim -> {
			if (claim instanceof IdempotencyKeys.Replay replay) {
				// status 0: the key's first request is between its two transactions
				return Mono.<Decision>just(new Done(replay.status() == 0 ? new StartOutcome.Starting()
						: new StartOutcome.Answered(replay.status(), replay.body(), true)));
			}
			if (claim instanceof IdempotencyKeys.Mismatch) {
				return Mono.<Decision>just(new Done(new StartOutcome.KeyReused()));
			}
			return ordering.lockForPayment(number)
				.switchIfEmpty(rollback(new StartOutcome.OrderNotFound()))
				.flatMap(order -> decide(order, key, render));
		}))
			.onErrorResume(Rollback.class, rollback -> Mono.just(new Done(rollback.outcome)))
			.flatMap(decision -> decision instanceof Call call ? initialise(call, key, render)
					: Mono.just(((Done) decision).outcome()));
	}

	private Mono<Decision> decide(PayableOrder order, String key, Function<PaymentStarted, byte[]> render) {
		Instant now = clock.instant();
		PayableOrder.Payability payability = order.payability(now);
		if (payability != PayableOrder.Payability.PAYABLE) {
			return rollback(new StartOutcome.NotPayable(payability));
		}
		return attempts.live(order.number()).flatMap(live -> {
			if (R2dbcPaymentAttempts.OPEN.equals(live.status())) {
				byte[] body = render.apply(started(live));
				return idempotency.remember(IDEMPOTENCY_SCOPE, key, 200, body)
					.thenReturn((Decision) new Done(new StartOutcome.Answered(200, body, false)));
			}
			if (live.createdAt().plus(STARTING_ABANDONED_AFTER).isAfter(now)) {
				return rollback(new StartOutcome.Starting());
			}
			log.warn("Payment attempt {} of order {} was left STARTING since {}: marked FAILED and replaced",
					live.transactionId(), live.orderNumber(), live.createdAt());
			return attempts.fail(live.id(), "ABANDONED: no provider answer recorded", now).then(Mono.<Decision>empty());
		}).switchIfEmpty(Mono.defer(() -> create(order, now)));
	}

	private Mono<Decision> create(PayableOrder order, Instant now) {
		ChargeDecision decision = Charge.forAmountDue(order.total());
		if (decision instanceof ChargeDecision.BelowMinimum below) {
			return rollback(new StartOutcome.BelowMinimum(below.due(), below.minimum()));
		}
		Charge charge = (Charge) decision;
		String transactionId = newTransactionId(order.number());
		return ordering.recordRoundingDiscount(order.number(), charge.roundingDiscount())
			.then(attempts.insert(order.number(), transactionId, PROVIDER, provider.api(), charge.amount(),
					charge.roundingDiscount(), PaymentRequest.CURRENCY, now))
			.map(attempt -> new Call(attempt, new PaymentRequest(transactionId, charge,
					"Commande " + order.number() + " MonEpice&Riz", order.number(), payer(order))));
	}

	/** The provider's call, with no transaction open, then its answer recorded. */
	private Mono<StartOutcome> initialise(Call call, String key, Function<PaymentStarted, byte[]> render) {
		return provider.initialise(call.request())
			// the port answers outcomes; anything else is treated as no answer
			.onErrorResume(error -> {
				log.error("Payment initialisation of {} failed unexpectedly", call.attempt().transactionId(), error);
				return Mono.just(new Initialisation.ProviderUnavailable(call.attempt().transactionId(), "error"));
			})
			.switchIfEmpty(Mono.fromSupplier(
					() -> new Initialisation.ProviderUnavailable(call.attempt().transactionId(), "no answer")))
			.flatMap(result -> transactions.inTransaction(record(call.attempt(), result, key, render)));
	}

	private Mono<StartOutcome> record(Attempt attempt, Initialisation result, String key,
			Function<PaymentStarted, byte[]> render) {
		Instant now = clock.instant();
		if (result instanceof Initialisation.Initialised opened) {
			return attempts
				.open(attempt.id(), opened.paymentUrl(), opened.paymentToken(), opened.notificationKey(), now)
				.flatMap(done -> {
					if (!done) {
						return idempotency.forget(IDEMPOTENCY_SCOPE, key).thenReturn(new StartOutcome.Starting());
					}
					byte[] body = render.apply(new PaymentStarted(attempt.orderNumber(), attempt.transactionId(),
							opened.paymentUrl(), attempt.amount(), attempt.roundingDiscount(), attempt.currency()));
					return idempotency.remember(IDEMPOTENCY_SCOPE, key, 201, body)
						.thenReturn(new StartOutcome.Answered(201, body, false));
				});
		}
		if (result instanceof Initialisation.Refused refused) {
			log.error("CinetPay refused to open payment {}: {} {} {}", attempt.transactionId(), refused.code(),
					refused.message(), refused.description());
			return attempts.fail(attempt.id(), "REFUSED: " + refused.code() + " " + refused.message(), now)
				.then(idempotency.forget(IDEMPOTENCY_SCOPE, key))
				.thenReturn(new StartOutcome.ProviderRefused(refused.code()));
		}
		Initialisation.ProviderUnavailable unavailable = (Initialisation.ProviderUnavailable) result;
		log.warn("CinetPay did not open payment {}: {}", attempt.transactionId(), unavailable.reason());
		return attempts.fail(attempt.id(), "UNAVAILABLE: " + unavailable.reason(), now)
			.then(idempotency.forget(IDEMPOTENCY_SCOPE, key))
			.thenReturn(new StartOutcome.ProviderUnavailable());
	}

	private static PaymentStarted started(Attempt attempt) {
		return new PaymentStarted(attempt.orderNumber(), attempt.transactionId(), attempt.paymentUrl(),
				attempt.amount(), attempt.roundingDiscount(), attempt.currency());
	}

	/**
	 * The order number, '-' and 10 random base-36 characters (about 51 bits): unique per
	 * attempt, and only characters CinetPay takes in a transaction id.
	 */
	static String newTransactionId(String orderNumber) {
		String random = new BigInteger(1, Tokens.sha256(Tokens.random())).toString(36).toUpperCase(Locale.ROOT);
		return orderNumber + "-" + random.substring(0, 10);
	}

	/** The customer's name split for the checkout: first word, then the rest. */
	private static PaymentRequest.Payer payer(PayableOrder order) {
		String name = order.customerName().strip();
		int space = name.indexOf(' ');
		String first = space < 0 ? name : name.substring(0, space);
		String last = space < 0 ? name : name.substring(space + 1).strip();
		return new PaymentRequest.Payer(first, last, order.customerPhone(), order.customerEmail());
	}

	private static <T> Mono<T> rollback(StartOutcome outcome) {
		return Mono.error(() -> new Rollback(outcome));
	}

	/**
	 * Carries an outcome out of the first transaction, rolling it back (key included).
	 */
	private static final class Rollback extends RuntimeException {

		private final transient StartOutcome outcome;

		Rollback(StartOutcome outcome) {
			super(outcome.getClass().getSimpleName(), null, false, false);
			this.outcome = outcome;
		}

	}

	// --- reading ----------------------------------------------------------------------

	/**
	 * The attempt of this transaction id and its order, as stored; empty when there is
	 * none. Reads only: the return page never changes anything.
	 */
	public Mono<PaymentState> state(String transactionId) {
		if (!looksLikeTransactionId(transactionId)) {
			return Mono.empty();
		}
		return attempts.byTransactionId(transactionId).flatMap(this::state);
	}

	/**
	 * The attempt CinetPay knows by this payment token (its {@code token} parameter on
	 * the return page) and its order; empty when there is none. Reads only.
	 */
	public Mono<PaymentState> stateByPaymentToken(String paymentToken) {
		if (paymentToken == null || !PAYMENT_TOKEN.matcher(paymentToken).matches()) {
			return Mono.empty();
		}
		return attempts.byPaymentToken(paymentToken).flatMap(this::state);
	}

	/** Whether this could be one of our transaction ids (cheap check before a lookup). */
	static boolean looksLikeTransactionId(String text) {
		return text != null && TRANSACTION_ID.matcher(text).matches();
	}

	private Mono<PaymentState> state(Attempt attempt) {
		return ordering.payableState(attempt.orderNumber())
			.map(order -> new PaymentState(attempt.transactionId(), attempt.orderNumber(), attempt.status(),
					order.status().name(), order.paymentStatus().name(), attempt.amount(), attempt.currency()));
	}

}
