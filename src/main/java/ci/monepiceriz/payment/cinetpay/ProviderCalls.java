package ci.monepiceriz.payment.cinetpay;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;

import ci.monepiceriz.shared.CircuitBreaker;
import ci.monepiceriz.shared.TransportFailures;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * What the three CinetPay clients (Checkout v2, the new API, the v1 Transfer API) do
 * around each call alike: the circuit breaker, the {@code payment.provider.requests}
 * timer per operation and outcome, provider failures (timeouts, connection failures, 5xx
 * and 429) turned into an "unavailable" outcome and described without anything from the
 * request (it holds credentials), and the bounded retries with backoff and jitter of
 * idempotent calls.
 */
final class ProviderCalls {

	/** The outcome tag of a call that got no usable answer. */
	static final String UNAVAILABLE = "unavailable";

	private static final double JITTER = 0.5;

	private final String provider;

	private final CinetPayProperties properties;

	private final MeterRegistry meters;

	private final CircuitBreaker breaker;

	private final Logger log;

	private final Predicate<Throwable> alsoUnavailable;

	private final Function<Throwable, String> ownReason;

	/**
	 * @param provider how logs name this client ("CinetPay", "CinetPay (new API)", ...)
	 * @param alsoUnavailable failures of the client's own making that also mean "no
	 * usable answer" (a token refused twice, a login refused)
	 * @param ownReason the description of those failures, null for any other
	 */
	ProviderCalls(String provider, CinetPayProperties properties, MeterRegistry meters, CircuitBreaker breaker,
			Logger log, Predicate<Throwable> alsoUnavailable, Function<Throwable, String> ownReason) {
		this.provider = provider;
		this.properties = properties;
		this.meters = meters;
		this.breaker = breaker;
		this.log = log;
		this.alsoUnavailable = alsoUnavailable;
		this.ownReason = ownReason;
	}

	ProviderCalls(String provider, CinetPayProperties properties, MeterRegistry meters, CircuitBreaker breaker,
			Logger log) {
		this(provider, properties, meters, breaker, log, failure -> false, failure -> null);
	}

	/**
	 * The call behind the circuit breaker, timed, its provider failures turned into the
	 * "unavailable" outcome. A bug (any other error) propagates, releasing the breaker's
	 * permit.
	 */
	<T> Mono<T> guarded(String operation, String id, Mono<T> call, BiFunction<String, String, T> unavailable,
			Function<T, String> outcomeOf) {
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(meters);
			if (!breaker.tryAcquire()) {
				sample.stop(timer(operation, "circuit-open"));
				return Mono.just(unavailable.apply(id, "circuit open: " + provider + " failed repeatedly"));
			}
			return call.onErrorResume(this::unavailable, failure -> {
				String reason = reason(failure);
				log.warn("{} {} of {} failed: {}", provider, operation, id, reason);
				return Mono.just(unavailable.apply(id, reason));
			}).doOnNext(outcome -> {
				String tag = outcomeOf.apply(outcome);
				if (UNAVAILABLE.equals(tag)) {
					breaker.failed();
				}
				else {
					breaker.succeeded();
				}
				sample.stop(timer(operation, tag));
			})
				.doOnError(error -> abandoned(operation, sample, "error"))
				.doOnCancel(() -> abandoned(operation, sample, "cancelled"));
		});
	}

	private void abandoned(String operation, Timer.Sample sample, String outcome) {
		breaker.abandoned();
		sample.stop(timer(operation, outcome));
	}

	/**
	 * Retries of an idempotent call after a provider failure: {@code check-retries}
	 * times, exponential backoff from {@code retry-backoff} up to
	 * {@code retry-max-backoff}, 50 % jitter; the last failure is what remains.
	 */
	Retry retries(String what) {
		return Retry.backoff(properties.checkRetries(), properties.retryBackoff())
			.maxBackoff(properties.retryMaxBackoff())
			.jitter(JITTER)
			.filter(ProviderCalls::providerFailure)
			.doBeforeRetry(signal -> log.info("{} {} retried ({}): {}", provider, what, signal.totalRetries() + 1,
					reason(signal.failure())))
			.onRetryExhaustedThrow((spec, signal) -> signal.failure());
	}

	/** A 5xx or a 429 is a failure worth another try of an idempotent call. */
	static Mono<Answer> failOnServerError(Answer answer) {
		if (answer.status() >= 500 || answer.status() == 429) {
			return Mono.error(() -> new ServerFailure(answer.status()));
		}
		return Mono.just(answer);
	}

	Timer timer(String operation, String outcome) {
		return Timer.builder(CinetPayGateway.TIMER)
			.description("Calls to the payment provider, retries included")
			.tag("provider", "cinetpay")
			.tag("operation", operation)
			.tag("outcome", outcome)
			.register(meters);
	}

	/** Failures of the provider or the network, as opposed to bugs. */
	static boolean providerFailure(Throwable failure) {
		return failure instanceof ServerFailure || TransportFailures.transport(failure);
	}

	private boolean unavailable(Throwable failure) {
		return providerFailure(failure) || alsoUnavailable.test(failure);
	}

	/** Why a call failed, without anything from the request. */
	String reason(Throwable failure) {
		String own = ownReason.apply(failure);
		if (own != null) {
			return own;
		}
		if (failure instanceof ServerFailure server) {
			return "HTTP " + server.status;
		}
		if (TransportFailures.timedOut(failure)) {
			return "no answer within " + properties.responseTimeout();
		}
		Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
		return "request failed: " + cause.getClass().getSimpleName();
	}

	/** An HTTP answer: status and raw body. */
	record Answer(int status, byte[] body) {
	}

	/** The provider answered 5xx or 429. */
	static final class ServerFailure extends RuntimeException {

		private final int status;

		ServerFailure(int status) {
			super("HTTP " + status, null, false, false);
			this.status = status;
		}

	}

}
