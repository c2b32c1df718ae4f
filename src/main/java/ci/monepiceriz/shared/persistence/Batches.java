package ci.monepiceriz.shared.persistence;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Bounded batches run one after the other until one comes back short: the purges and the
 * payment expiry each touch at most a batch of rows per statement or transaction, so no
 * run holds many locks or a long transaction, whatever it finds to do.
 */
public final class Batches {

	private Batches() {
	}

	/**
	 * Runs {@code batch} (which answers how many rows it handled) again as long as it
	 * handled {@code size}; answers the total.
	 */
	public static Mono<Long> untilShort(Supplier<Mono<Long>> batch, long size) {
		return Mono.defer(batch)
			.expand(handled -> handled < size ? Mono.empty() : Mono.defer(batch))
			.reduce(0L, Long::sum);
	}

}
