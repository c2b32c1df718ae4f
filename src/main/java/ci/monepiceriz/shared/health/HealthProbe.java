package ci.monepiceriz.shared.health;

import reactor.core.publisher.Mono;

/**
 * One dependency checked by {@code GET /api/health}. Probes sharing a {@link #check} name
 * are combined: the check is ok only when all of them are.
 */
public interface HealthProbe {

	/**
	 * The check this probe belongs to: {@code database}, {@code redis}, {@code storage}
	 * or {@code services}.
	 */
	String check();

	/** The probe's verdict; an error or a timeout counts as a failed check. */
	Mono<ProbeResult> probe();

	/**
	 * A probe's verdict with a short message for operators (never secrets or personal
	 * data).
	 */
	record ProbeResult(boolean ok, String message) {

		public static ProbeResult ok(String message) {
			return new ProbeResult(true, message);
		}

		public static ProbeResult error(String message) {
			return new ProbeResult(false, message);
		}

	}

}
