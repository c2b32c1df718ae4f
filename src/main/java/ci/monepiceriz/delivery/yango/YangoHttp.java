package ci.monepiceriz.delivery.yango;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import ci.monepiceriz.shared.TransportFailures;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * One exchange with Yango's B2B API, shared by quotes and claims (yango.md §2.1, §2.10):
 * {@code Authorization: Bearer <token>} and the required {@code Accept-Language} on every
 * call, JSON both ways, the body read whole. A 429 and a 5xx are errors
 * ({@link RateLimited}, {@link ServerFailure}) so that {@link #retries(String)} can retry
 * idempotent calls; every other status is an answer for the caller to read. Neither the
 * token nor a body is ever logged.
 */
final class YangoHttp {

	private static final Logger log = LoggerFactory.getLogger(YangoHttp.class);

	private static final double JITTER = 0.5;

	private final YangoProperties properties;

	private final WebClient http;

	private final Clock clock;

	YangoHttp(YangoProperties properties, WebClient http, Clock clock) {
		this.properties = properties;
		this.http = http;
		this.clock = clock;
	}

	/** Yango's answer: its status and raw body (empty if none). */
	record Response(int status, byte[] body) {
	}

	/**
	 * POSTs this JSON body to {@code uri} ({@code {id}} expanded), or GETs it when the
	 * body is null; one attempt, bounded by {@link #attemptTimeout()}.
	 */
	Mono<Response> exchange(String uri, String id, byte[] body) {
		WebClient.RequestHeadersSpec<?> request = body == null ? http.get().uri(uri, id)
				: http.post().uri(uri, id).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
		return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + properties.token())
			.header(HttpHeaders.ACCEPT_LANGUAGE, properties.acceptLanguage())
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono(response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.flatMap(bytes -> answer(response.statusCode().value(), bytes,
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER))))
			.timeout(attemptTimeout());
	}

	private Mono<Response> answer(int status, byte[] body, String retryAfter) {
		if (status == 429) {
			return Mono.error(() -> new RateLimited(retryAfter(retryAfter, clock.instant())));
		}
		if (status >= 500) {
			return Mono.error(() -> new ServerFailure(status));
		}
		return Mono.just(new Response(status, body));
	}

	/**
	 * For idempotent calls: after a timeout, a connection failure, a 5xx or a 429, up to
	 * {@code retries} more attempts, {@code retry-backoff} doubling up to
	 * {@code retry-max-backoff} with 50 % jitter, or the 429's {@code Retry-After} when
	 * it is at most {@code max-retry-after} (longer: not retried, the caller's fallback
	 * or next round answers sooner). {@code what} names the call in the log.
	 */
	Retry retries(String what) {
		return Retry.from(signals -> signals.concatMap(signal -> {
			Throwable failure = signal.failure();
			long attempt = signal.totalRetries();
			if (!providerFailure(failure) || attempt >= properties.retries()) {
				return Mono.error(failure);
			}
			Duration delay = backoff(attempt);
			if (failure instanceof RateLimited limited && limited.retryAfter != null) {
				if (limited.retryAfter.compareTo(properties.maxRetryAfter()) > 0) {
					log.info("Yango {} rate limited, Retry-After {} too long: not retried", what, limited.retryAfter);
					return Mono.error(failure);
				}
				delay = limited.retryAfter;
			}
			log.info("Yango {} retried ({}) in {} ms: {}", what, attempt + 1, delay.toMillis(), reason(failure));
			return Mono.delay(delay).thenReturn(attempt);
		}));
	}

	private Duration backoff(long attempt) {
		long base = properties.retryBackoff().toMillis() << Math.min(attempt, 20);
		long capped = Math.min(base, properties.retryMaxBackoff().toMillis());
		double factor = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		return Duration.ofMillis(Math.max(1, Math.round(capped * factor)));
	}

	/** A backstop over the connector's timeouts, for one attempt. */
	Duration attemptTimeout() {
		return properties.connectTimeout().plus(properties.responseTimeout()).plusMillis(500);
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

	/** Failures of the provider or the network, as opposed to bugs. */
	static boolean providerFailure(Throwable failure) {
		return failure instanceof ServerFailure || failure instanceof RateLimited
				|| TransportFailures.transport(failure);
	}

	/** Why a call failed, without anything from the request (it holds the token). */
	static String reason(Throwable failure) {
		if (failure instanceof ServerFailure || failure instanceof RateLimited) {
			return failure.getMessage();
		}
		if (TransportFailures.timedOut(failure)) {
			return "no answer in time";
		}
		Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
		return "request failed: " + cause.getClass().getSimpleName();
	}

	/** Yango answered 5xx: worth another try for an idempotent call. */
	static final class ServerFailure extends RuntimeException {

		ServerFailure(int status) {
			super("HTTP " + status, null, false, false);
		}

	}

	/**
	 * The longest a 429's {@code Retry-After} keeps a circuit open: a header asking for
	 * hours (a misconfigured proxy, say) does not turn Yango off for hours.
	 */
	static final Duration MAX_PAUSE = Duration.ofMinutes(10);

	/**
	 * Until when Yango asked not to be called, when {@code failure} is a 429 with a
	 * {@code Retry-After} (at most {@link #MAX_PAUSE} from now); null otherwise.
	 */
	Instant pausedUntil(Throwable failure) {
		if (failure instanceof RateLimited limited && limited.retryAfter != null) {
			return clock.instant().plus(limited.retryAfter.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : limited.retryAfter);
		}
		return null;
	}

	/** Yango answered 429, maybe saying when to come back. */
	static final class RateLimited extends RuntimeException {

		private final transient Duration retryAfter;

		RateLimited(Duration retryAfter) {
			super("HTTP 429", null, false, false);
			this.retryAfter = retryAfter;
		}

	}

}
