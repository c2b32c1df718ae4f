package ci.monepiceriz.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A small circuit breaker for the calls to a provider (CinetPay, Yango), written here
 * rather than taken from a library because this is all the adapter needs: after
 * {@code failureThreshold} consecutive failed calls the circuit opens and calls fail at
 * once (no connection, no waiting) for {@code openDuration}; then one trial call goes
 * through (half-open): its success closes the circuit, its failure opens it again. Time
 * comes from the injected clock. Per instance: each instance learns on its own that a
 * provider is down. A provider that says when to come back (a 429's {@code Retry-After})
 * keeps it open until then: {@link #pauseUntil}.
 * <p>
 * Thread-safe; its methods hold a monitor for a few field updates only, never during a
 * call.
 */
public final class CircuitBreaker {

	public enum State {

		CLOSED, OPEN, HALF_OPEN

	}

	private final int failureThreshold;

	private final Duration openDuration;

	private final Clock clock;

	private State state = State.CLOSED;

	private int consecutiveFailures;

	private Instant openUntil = Instant.MIN;

	private Instant pausedUntil = Instant.MIN;

	private boolean trialInFlight;

	public CircuitBreaker(int failureThreshold, Duration openDuration, Clock clock) {
		if (failureThreshold < 1) {
			throw new IllegalArgumentException("failureThreshold must be at least 1: " + failureThreshold);
		}
		this.failureThreshold = failureThreshold;
		this.openDuration = openDuration;
		this.clock = clock;
	}

	/**
	 * Whether a call may go out now. Every permitted call must be followed by exactly one
	 * of {@link #succeeded()}, {@link #failed()} or {@link #abandoned()}.
	 */
	public synchronized boolean tryAcquire() {
		if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
			state = State.HALF_OPEN;
			trialInFlight = false;
		}
		if (state == State.CLOSED) {
			return true;
		}
		if (state == State.HALF_OPEN && !trialInFlight) {
			trialInFlight = true;
			return true;
		}
		return false;
	}

	public synchronized void succeeded() {
		consecutiveFailures = 0;
		trialInFlight = false;
		// a call sent before the provider asked for a pause does not end the pause
		if (!clock.instant().isBefore(pausedUntil)) {
			state = State.CLOSED;
		}
	}

	public synchronized void failed() {
		consecutiveFailures++;
		if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
			open(clock.instant().plus(openDuration));
		}
	}

	/**
	 * The provider asked not to be called before {@code until}: open until then (or
	 * longer, if already open for longer), whatever the count of failures; then one
	 * trial.
	 */
	public synchronized void pauseUntil(Instant until) {
		if (until.isAfter(clock.instant())) {
			open(until);
			pausedUntil = until.isAfter(pausedUntil) ? until : pausedUntil;
		}
	}

	/** Closed, whatever came before (a test, or an operator who knows better). */
	public synchronized void reset() {
		state = State.CLOSED;
		consecutiveFailures = 0;
		trialInFlight = false;
		openUntil = Instant.MIN;
		pausedUntil = Instant.MIN;
	}

	private void open(Instant until) {
		state = State.OPEN;
		openUntil = until.isAfter(openUntil) ? until : openUntil;
		trialInFlight = false;
	}

	/** A permitted call was cancelled before it told anything: it counts for nothing. */
	public synchronized void abandoned() {
		trialInFlight = false;
	}

	public synchronized State state() {
		return state;
	}

}
