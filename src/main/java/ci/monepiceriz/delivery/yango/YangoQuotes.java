package ci.monepiceriz.delivery.yango;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ci.monepiceriz.delivery.DeliveryQuotes;
import ci.monepiceriz.delivery.FlatFeeQuotes;
import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.Destination;
import ci.monepiceriz.delivery.domain.DestinationCell;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import ci.monepiceriz.shared.CircuitBreaker;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link DeliveryQuotes} port on Yango's {@code check-price} (yango.md §2.3), over
 * {@link YangoHttp} (a non-blocking {@code WebClient} of its own, timeouts on its
 * connector, see {@code YangoConfiguration}):
 * <ul>
 * <li>The destination is rounded to its {@link DestinationCell} (~110 m) and the centre
 * is quoted; a price is cached per cell ({@link QuoteCache}, Redis) for
 * {@code cache-ttl}, Yango's "not served" for {@code not-served-ttl}.
 * <li>{@code Authorization: Bearer <token>} and the required {@code Accept-Language} on
 * every call; the token is never logged, nor are bodies (they hold the shop's address).
 * <li>{@code check-price} is idempotent: after a timeout, a connection failure, a 5xx or
 * a 429 it is retried up to {@code retries} times, with exponential backoff and jitter,
 * or after the 429's {@code Retry-After} when it is at most {@code max-retry-after}
 * (longer: no retry). The whole quote, waits included, has {@code quote-timeout}.
 * <li>One {@link CircuitBreaker}: while open, a quote is "unavailable" at once.
 * <li>Each quote that reaches Yango (retries included) is timed:
 * {@code delivery.provider.requests}, tags {@code provider=yango},
 * {@code operation=check-price},
 * {@code outcome=quoted|not-served|unavailable|circuit-open|error|cancelled}.
 * <li>When Yango cannot quote, {@code fallback} decides: the flat fee, or
 * {@link QuoteOutcome.NotDeliverable}.
 * </ul>
 */
class YangoQuotes implements DeliveryQuotes {

	static final String SOURCE = "YANGO";

	static final String TIMER = "delivery.provider.requests";

	private static final Logger log = LoggerFactory.getLogger(YangoQuotes.class);

	private static final String OPERATION = "check-price";

	private final YangoProperties properties;

	private final YangoHttp http;

	private final JsonMapper json;

	private final CheckPrice checkPrice;

	private final QuoteCache cache;

	private final FlatFeeQuotes flat;

	private final MeterRegistry meters;

	private final CircuitBreaker breaker;

	/** Where quotes start: part of the cache's key. */
	private final DestinationCell storeCell;

	YangoQuotes(YangoProperties properties, YangoHttp http, JsonMapper json, QuoteCache cache, FlatFeeQuotes flat,
			MeterRegistry meters, CircuitBreaker breaker) {
		this.properties = properties;
		this.http = http;
		this.json = json;
		this.checkPrice = new CheckPrice(json);
		this.cache = cache;
		this.flat = flat;
		this.meters = meters;
		this.breaker = breaker;
		// required when Yango is enabled (YangoProperties refuses to bind without it)
		this.storeCell = DestinationCell.of(properties.store().latitude(), properties.store().longitude());
	}

	@Override
	public Mono<QuoteOutcome> quote(Destination destination) {
		DestinationCell cell = DestinationCell.of(destination);
		String key = QuoteCache.key(storeCell, cell, properties.taxiClass());
		return cache.get(key)
			.map(this::answered)
			.switchIfEmpty(Mono.defer(() -> ask(cell, destination.address(), key)));
	}

	private Mono<QuoteOutcome> ask(DestinationCell cell, String address, String key) {
		return guarded(cell, address).flatMap(answer -> outcome(answer, key));
	}

	private Mono<QuoteOutcome> outcome(CheckPrice.Answer answer, String key) {
		// Yango's own answers are kept (a price, "not served"), never its unavailability
		return cache.put(key, answer).thenReturn(answered(answer));
	}

	private QuoteOutcome answered(CheckPrice.Answer answer) {
		if (answer instanceof CheckPrice.Priced priced) {
			return quoted(priced);
		}
		if (answer instanceof CheckPrice.NotServed) {
			return fallback(QuoteOutcome.Reason.NOT_SERVED);
		}
		return fallback(QuoteOutcome.Reason.PROVIDER_UNAVAILABLE);
	}

	private QuoteOutcome quoted(CheckPrice.Priced priced) {
		Duration eta = priced.eta() != null ? priced.eta() : flat.flat().eta();
		return new QuoteOutcome.Quoted(new DeliveryQuote(priced.fee(), eta, SOURCE));
	}

	private QuoteOutcome fallback(QuoteOutcome.Reason reason) {
		if (properties.fallback() == YangoProperties.Fallback.FLAT_FEE) {
			return new QuoteOutcome.Quoted(flat.flat());
		}
		return new QuoteOutcome.NotDeliverable(reason);
	}

	/**
	 * The call behind the circuit breaker, timed, its provider failures turned into
	 * {@code Unusable}. The body is built before a permit is asked: a bug there (any
	 * error but a provider failure) propagates without holding the breaker's permit (nor
	 * its half-open trial); a bug after it releases the permit.
	 */
	private Mono<CheckPrice.Answer> guarded(DestinationCell cell, String address) {
		return Mono.defer(() -> {
			byte[] body = json
				.writeValueAsBytes(CheckPrice.body(properties.store(), cell, address, properties.taxiClass()));
			Timer.Sample sample = Timer.start(meters);
			if (!breaker.tryAcquire()) {
				sample.stop(timer("circuit-open"));
				return Mono.just(new CheckPrice.Unusable("circuit open: Yango failed repeatedly"));
			}
			return call(cell, body).onErrorResume(YangoHttp::providerFailure, failure -> {
				pauseIfAsked(failure);
				return Mono.just(new CheckPrice.Unusable(logged(cell, failure)));
			})
				.doOnNext(answer -> recordOutcome(sample, answer))
				.doOnError(error -> recordAbandon(sample, "error"))
				.doOnCancel(() -> recordAbandon(sample, "cancelled"));
		});
	}

	private Mono<CheckPrice.Answer> call(DestinationCell cell, byte[] body) {
		return Mono.defer(() -> http.exchange(CheckPrice.PATH, null, body))
			.retryWhen(http.retries("check-price for cell " + cell.key()))
			.timeout(properties.quoteTimeout())
			.map(answer -> checkPrice.read(answer.status(), answer.body()));
	}

	/** For tests: the circuit breaker of these quotes. */
	CircuitBreaker breaker() {
		return breaker;
	}

	private void recordOutcome(Timer.Sample sample, CheckPrice.Answer answer) {
		String outcome;
		if (answer instanceof CheckPrice.Unusable unusable) {
			breaker.failed();
			outcome = "unavailable";
			log.warn("Yango could not quote: {}", unusable.reason());
		}
		else {
			breaker.succeeded();
			outcome = answer instanceof CheckPrice.Priced ? "quoted" : "not-served";
		}
		sample.stop(timer(outcome));
	}

	/**
	 * A 429 whose {@code Retry-After} was too long to wait for: no quote calls Yango
	 * before then (the fallback answers), rather than every cache miss being refused
	 * again and keeping the account rate-limited.
	 */
	private void pauseIfAsked(Throwable failure) {
		Instant until = http.pausedUntil(failure);
		if (until != null) {
			breaker.pauseUntil(until);
			log.warn("Yango asked to wait: no quote asks it before {}", until);
		}
	}

	private void recordAbandon(Timer.Sample sample, String outcome) {
		breaker.abandoned();
		sample.stop(timer(outcome));
	}

	private String logged(DestinationCell cell, Throwable failure) {
		return "check-price for cell " + cell.key() + " failed: " + YangoHttp.reason(failure);
	}

	private Timer timer(String outcome) {
		return Timer.builder(TIMER)
			.description("Calls to the delivery provider, retries included")
			.tag("provider", "yango")
			.tag("operation", OPERATION)
			.tag("outcome", outcome)
			.register(meters);
	}

}
