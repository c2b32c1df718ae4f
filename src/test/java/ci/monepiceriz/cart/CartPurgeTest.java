package ci.monepiceriz.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class CartPurgeTest {

	@Test
	void aFailedRunCompletesQuietlyAndTheNextOneRuns() {
		Carts carts = mock(Carts.class);
		when(carts.purgeExpired()).thenReturn(Mono.error(new IllegalStateException("database down")))
			.thenReturn(Mono.just(3L));
		CartPurge purge = new CartPurge(carts);
		StepVerifier.create(purge.run()).verifyComplete();
		StepVerifier.create(purge.run()).verifyComplete();
		verify(carts, times(2)).purgeExpired();
	}

	@Test
	void aRunDueWhileTheLastOneIsStillGoingDoesNothing() {
		Carts carts = mock(Carts.class);
		Sinks.One<Long> slow = Sinks.one();
		when(carts.purgeExpired()).thenReturn(slow.asMono()).thenReturn(Mono.just(1L));
		CartPurge purge = new CartPurge(carts);
		CompletableFuture<Void> first = purge.run().toFuture();
		// the first run is subscribed and waits for the database; one due meanwhile is a
		// no-op
		StepVerifier.create(purge.run()).verifyComplete();
		verify(carts, times(1)).purgeExpired();
		slow.tryEmitValue(5L);
		assertThat(first).succeedsWithin(Duration.ofSeconds(5));
		StepVerifier.create(purge.run()).verifyComplete();
		verify(carts, times(2)).purgeExpired();
	}

}
