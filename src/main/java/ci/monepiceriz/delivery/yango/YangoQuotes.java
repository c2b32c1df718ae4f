package ci.monepiceriz.delivery.yango;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

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
 * The {@link DeliveryQuotes} port on Yango's {@code check-price} (yango.md §2.3), over a
 * non-blocking {@link WebClient} (timeouts on its connector, see
 * {@code YangoConfiguration}):
 * <ul>
 * <li>The destination is rounded to its {@link DestinationCell} (~110 m) and the centre
 * is quoted; a price is cached per cell ({@link QuoteCache}, Redis) for
 * {@code cache-ttl}.
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

	private static final double JITTER = 0.5;

	private final YangoProperties properties;

	private final WebClient http;

	private final JsonMapper json;

	private final CheckPrice checkPrice;

	private final QuoteCache cache;

	private final FlatFeeQuotes flat;

	private final MeterRegistry meters;

	private final CircuitBreaker breaker;

	private final Clock clock;

	YangoQuotes(YangoProperties properties, WebClient http, JsonMapper json, QuoteCache cache, FlatFeeQuotes flat,
			MeterRegistry meters, CircuitBreaker breaker, Clock clock) {
		this.properties = properties;
		this.http = http;
		this.json = json;
		this.checkPrice = new CheckPrice(json);
		this.cache = cache;
		this.flat = flat;
		this.meters = meters;
		this.breaker = breaker;
		this.clock = clock;
	}

	@Override
	public Mono<QuoteOutcome> quote(Destination destination) {
		DestinationCell cell = DestinationCell.of(destination);
		String key = QuoteCache.key(cell, properties.taxiClass());
		return cache.get(key).map(this::quoted).switchIfEmpty(Mono.defer(() -> ask(cell, destination.address(), key)));
	}

	private Mono<QuoteOutcome> ask(DestinationCell cell, String address, String key) {
		return guarded(cell, address).flatMap(answer -> outcome(answer, key));
	}

	private Mono<QuoteOutcome> outcome(CheckPrice.Answer answer, String key) {
		if (answer instanceof CheckPrice.Priced priced) {
			return cache.put(key, priced).thenReturn(quoted(priced));
		}
		if (answer instanceof CheckPrice.NotServed) {
			return Mono.just(fallback(QuoteOutcome.Reason.NOT_SERVED));
		}
		return Mono.just(fallback(QuoteOutcome.Reason.PROVIDER_UNAVAILABLE));
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
	 * {@code Unusable}. A bug (any other error) propagates, releasing the breaker's
	 * permit.
	 */
	private Mono<CheckPrice.Answer> guarded(DestinationCell cell, String address) {
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(meters);
			if (!breaker.tryAcquire()) {
				sample.stop(timer("circuit-open"));
				return Mono.just(new CheckPrice.Unusable("circuit open: Yango failed repeatedly"));
			}
			return call(cell, address)
				.onErrorResume(YangoQuotes::providerFailure,
						failure -> Mono.just(new CheckPrice.Unusable(logged(cell, failure))))
				.doOnNext(answer -> recordOutcome(sample, answer))
				.doOnError(error -> recordAbandon(sample, "error"))
				.doOnCancel(() -> recordAbandon(sample, "cancelled"));
		});
	}

	private Mono<CheckPrice.Answer> call(DestinationCell cell, String address) {
		byte[] body = json
			.writeValueAsBytes(CheckPrice.body(properties.store(), cell, address, properties.taxiClass()));
		return Mono.defer(() -> post(body))
			.timeout(attemptTimeout())
			.retryWhen(retries(cell))
			.timeout(properties.quoteTimeout())
			.map(answer -> checkPrice.read(answer.status(), answer.body()));
	}

	private Mono<Answer> post(byte[] body) {
		return http.post()
			.uri(CheckPrice.PATH)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + properties.token())
			.header(HttpHeaders.ACCEPT_LANGUAGE, properties.acceptLanguage())
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono(response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(bytes -> new Answer(response.statusCode().value(), bytes,
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER))))
			.flatMap(this::failOnRetryable);
	}

	private Mono<Answer> failOnRetryable(Answer answer) {
		if (answer.status() == 429) {
			return Mono.error(() -> new RateLimited(retryAfter(answer.retryAfter(), clock.instant())));
		}
		if (answer.status() >= 500) {
			return Mono.error(() -> new ServerFailure(answer.status()));
		}
		return Mono.just(answer);
	}

	/**
	 * Backoff with jitter, or the 429's {@code Retry-After}; a {@code Retry-After} longer
	 * than {@code max-retry-after} ends the retries (the fallback answers at once rather
	 * than keep the shopper waiting).
	 */
	private Retry retries(DestinationCell cell) {
		return Retry.from(signals -> signals.concatMap(signal -> {
			Throwable failure = signal.failure();
			long attempt = signal.totalRetries();
			if (!providerFailure(failure) || attempt >= properties.retries()) {
				return Mono.error(failure);
			}
			Duration delay = backoff(attempt);
			if (failure instanceof RateLimited limited && limited.retryAfter != null) {
				if (limited.retryAfter.compareTo(properties.maxRetryAfter()) > 0) {
					log.info("Yango check-price for cell {} rate limited, Retry-After {} too long: not retried",
							cell.key(), limited.retryAfter);
					return Mono.error(failure);
				}
				delay = limited.retryAfter;
			}
			log.info("Yango check-price for cell {} retried ({}) in {} ms: {}", cell.key(), attempt + 1,
					delay.toMillis(), reason(failure));
			return Mono.delay(delay).thenReturn(attempt);
		}));
	}

	private Duration backoff(long attempt) {
		long base = properties.retryBackoff().toMillis() << Math.min(attempt, 20);
		long capped = Math.min(base, properties.retryMaxBackoff().toMillis());
		double factor = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		return Duration.ofMillis(Math.max(1, Math.round(capped * factor)));
	}

	/**
	 * {@code Retry-After} in seconds or as an HTTP date (from {@code now}); null when
	 * absent or unreadable.
	 */
	static Duration retryAfter(String header, Instant now) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String value = header.strip();
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
		}
		catch (NumberFormatException notSeconds) {
			try {
				Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				Duration wait = Duration.between(now, at);
				return wait.isNegative() ? Duration.ZERO : wait;
			}
			catch (DateTimeParseException unreadable) {
				return null;
			}
		}
	}

	/** A backstop over the connector's timeouts, for one attempt. */
	private Duration attemptTimeout() {
		return properties.connectTimeout().plus(properties.responseTimeout()).plusMillis(500);
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

	private void recordAbandon(Timer.Sample sample, String outcome) {
		breaker.abandoned();
		sample.stop(timer(outcome));
	}

	private String logged(DestinationCell cell, Throwable failure) {
		return "check-price for cell " + cell.key() + " failed: " + reason(failure);
	}

	private Timer timer(String outcome) {
		return Timer.builder(TIMER)
			.description("Calls to the delivery provider, retries included")
			.tag("provider", "yango")
			.tag("operation", OPERATION)
			.tag("outcome", outcome)
			.register(meters);
	}

	/** Failures of the provider or the network, as opposed to bugs. */
	private static boolean providerFailure(Throwable failure) {
		return failure instanceof WebClientRequestException || failure instanceof ServerFailure
				|| failure instanceof RateLimited || failure instanceof TimeoutException;
	}

	/** Why a call failed, without anything from the request (it holds the token). */
	private String reason(Throwable failure) {
		if (failure instanceof ServerFailure server) {
			return "HTTP " + server.status;
		}
		if (failure instanceof RateLimited) {
			return "HTTP 429";
		}
		if (failure instanceof TimeoutException || (failure instanceof WebClientRequestException
				&& failure.getCause() instanceof ReadTimeoutException)) {
			return "no answer in time";
		}
		Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
		return "request failed: " + cause.getClass().getSimpleName();
	}

	/** An HTTP answer: status, raw body and {@code Retry-After}. */
	private record Answer(int status, byte[] body, String retryAfter) {
	}

	/** Yango answered 5xx: worth another try, check-price being idempotent. */
	private static final class ServerFailure extends RuntimeException {

		private final int status;

		ServerFailure(int status) {
			super("HTTP " + status, null, false, false);
			this.status = status;
		}

	}

	/** Yango answered 429, maybe saying when to come back. */
	private static final class RateLimited extends RuntimeException {

		private final transient Duration retryAfter;

		RateLimited(Duration retryAfter) {
			super("HTTP 429", null, false, false);
			this.retryAfter = retryAfter;
		}

	}

}
