package ci.monepiceriz.notification.domain;

import java.time.Duration;

/**
 * Pauses between attempts of a notice that certainly did not go: {@code first} after the
 * first failure, doubling, never more than {@code max}.
 */
public record Backoff(Duration first, Duration max) {

	public Backoff {
		if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
			throw new IllegalArgumentException("a backoff starts above zero and its maximum is not below its start");
		}
	}

	/** The pause after the {@code attempts}-th failed attempt (1 for the first). */
	public Duration after(int attempts) {
		if (attempts < 1) {
			throw new IllegalArgumentException("attempts start at 1: " + attempts);
		}
		Duration pause = first;
		for (int i = 1; i < attempts && pause.compareTo(max) < 0; i++) {
			pause = pause.multipliedBy(2);
		}
		return pause.compareTo(max) < 0 ? pause : max;
	}

}
