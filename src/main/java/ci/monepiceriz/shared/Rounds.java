package ci.monepiceriz.shared;

import org.slf4j.Logger;

import reactor.core.publisher.Mono;

/**
 * Rounds of scheduled jobs: a round that fails is logged as a warning and ends quietly,
 * and the next round tries again (an error out of a scheduled {@code Mono} would only be
 * logged by the scheduler, without saying which job).
 */
public final class Rounds {

	private Rounds() {
	}

	/** {@code round}, its failure logged as "{@code what} failed, will retry". */
	public static Mono<Void> retriedNextTime(Mono<?> round, Logger log, String what) {
		return round.onErrorResume(error -> {
			log.warn("{} failed, will retry: {}", what, error.toString());
			return Mono.empty();
		}).then();
	}

}
