package ci.monepiceriz.cart;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Deletes expired carts every {@code shop.cart.purge-interval}, on every instance (the
 * batches skip rows another instance has locked). A fixed rate, not a fixed delay: Spring
 * then subscribes to the returned chain and goes back at once, where with a fixed delay
 * its scheduler thread would wait for the chain to complete. A run still going when the
 * next one is due makes that one a no-op. A failure is logged and the next run comes as
 * planned.
 */
@Component
class CartPurge {

	private static final Logger log = LoggerFactory.getLogger(CartPurge.class);

	private final Carts carts;

	private final AtomicBoolean running = new AtomicBoolean();

	CartPurge(Carts carts) {
		this.carts = carts;
	}

	@Scheduled(fixedRateString = "${shop.cart.purge-interval:1h}")
	Mono<Void> run() {
		return Mono.defer(() -> {
			if (!running.compareAndSet(false, true)) {
				return Mono.empty();
			}
			return carts.purgeExpired()
				.filter(deleted -> deleted > 0)
				.doOnNext(deleted -> log.info("Purged {} expired cart(s)", deleted))
				.doOnError(error -> log.warn("Cart purge failed, next run as planned: {}", error.toString()))
				.onErrorResume(error -> Mono.empty())
				.doFinally(signal -> running.set(false))
				.then();
		});
	}

}
